import { ESLint, type Linter } from 'eslint';
import globals = require('globals');
import promisePlugin = require('eslint-plugin-promise');
import noUnsanitizedPlugin = require('eslint-plugin-no-unsanitized');
import { relativePath } from './files';
import { error, type Problem } from './problems';

/** The rules FDK's validator enforces on every .js file of app/, server/ and the install page under config/ (platform notes, section 1). */
export const FDK_RULES: Linter.RulesRecord = {
  'no-var': 'error',
  complexity: ['error', { max: 7 }],
  'max-nested-callbacks': ['error', { max: 4 }],
  // No ignore pattern: FDK reports `_unused` parameters as well.
  'no-unused-vars': ['error', { vars: 'all', args: 'all', caughtErrors: 'none' }],
  'require-await': 'error',
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-alert': 'error',
  'no-eq-null': 'error',
  'no-empty-function': 'error',
  'no-redeclare': 'error',
  'no-self-assign': 'error',
  'no-debugger': 'error',
  'no-unreachable': 'error',
  'promise/catch-or-return': ['error', { allowFinally: true }],
  'no-unsanitized/property': 'error',
  'no-unsanitized/method': 'error',
};

/** Globals FDK's serverless sandbox provides. */
const SERVER_GLOBALS: Linter.Globals = {
  $request: 'readonly',
  $db: 'readonly',
  $schedule: 'readonly',
  renderData: 'readonly',
  exports: 'writable',
  require: 'readonly',
  console: 'readonly',
};

/** Browser globals plus what FDK's client library defines in every app page. */
const APP_GLOBALS: Linter.Globals = { ...globals.browser, app: 'readonly', client: 'writable' };

/** The install page (config/assets/*.js) runs like app code, with FDK's `utils` for the form's fields. */
const INSTALL_PAGE_GLOBALS: Linter.Globals = { ...APP_GLOBALS, utils: 'readonly' };

export function fdkLintConfig(): Linter.Config[] {
  return [
    {
      plugins: { promise: promisePlugin, 'no-unsanitized': noUnsanitizedPlugin },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: FDK_RULES,
    },
    {
      files: ['server/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: SERVER_GLOBALS },
    },
    {
      files: ['app/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: APP_GLOBALS },
    },
    {
      files: ['config/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: INSTALL_PAGE_GLOBALS },
    },
  ];
}

export interface LintOutcome {
  problems: Problem[];
  lintedFileCount: number;
}

function toProblems(root: string, result: ESLint.LintResult): Problem[] {
  const file = relativePath(root, result.filePath);
  return result.messages.map((message) =>
    error(file, `eslint/${message.ruleId ?? 'parse-error'}`, `${message.message} (line ${message.line})`),
  );
}

/**
 * Lints the given files (relative to root) with the real ESLint and only our in-code config:
 * `overrideConfigFile: true` keeps any eslint.config.js of the project out of it.
 */
export async function lintFdkFiles(root: string, files: readonly string[]): Promise<LintOutcome> {
  if (files.length === 0) {
    return { problems: [], lintedFileCount: 0 };
  }
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: fdkLintConfig(), ignore: false });
  const results = await eslint.lintFiles([...files]);
  return { problems: results.flatMap((result) => toProblems(root, result)), lintedFileCount: results.length };
}
