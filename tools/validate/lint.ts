import { ESLint, type Linter } from 'eslint';
import globals = require('globals');
import promisePlugin = require('eslint-plugin-promise');
import noUnsanitizedPlugin = require('eslint-plugin-no-unsanitized');
import { relativePath } from './files';
import { error, type Problem } from './problems';

/*
 * FDK's own lint list, copied in the order FDK 10.1 prints it in its debug log for each file it lints
 * ("(lint.js) Running the following lints on the file app/scripts/app.js : ..."). Source: Freshworks'
 * repository freshworks-developers/app-setup-events-samples, log/fdk.log at
 * 1a7ad2d8a00552b4bd38e6716b6d725aefa1e8a5 (FDK 10.1 on Node 24.11.1, 2026-06-17), lines 108 and 109.
 * The two lists differ in one rule: app files get `no-cross-scope-assign`, server files
 * `no-dependency-mismatch`.
 */
const FDK_LINTS_SHARED = [
  'no-eval', 'no-alert', 'no-debugger', 'no-unreachable', 'no-duplicate-imports', 'constructor-super', 'for-direction',
  'no-class-assign', 'no-new-native-nonconstructor', 'valid-typeof', 'no-eq-null', 'no-var', 'require-await',
  'no-unreachable-loop', 'no-redeclare', 'no-self-assign', 'no-setter-return', 'no-shadow-restricted-names',
  'no-this-before-super', 'no-unsafe-finally', 'no-unsafe-optional-chaining', 'no-unused-vars', 'no-useless-catch',
  'eqeqeq', 'prefer-const', 'require-yield', 'no-global-assign', 'no-caller', 'no-process-env', 'complexity',
  'max-nested-callbacks', 'handle-callback-err', 'getter-return', 'no-async-promise-executor', 'no-case-declarations',
  'no-compare-neg-zero', 'no-cond-assign', 'no-const-assign', 'no-constant-condition', 'no-control-regex',
  'no-delete-var', 'no-dupe-args', 'no-dupe-class-members', 'no-dupe-else-if', 'no-dupe-keys', 'no-duplicate-case',
  'no-empty', 'no-empty-character-class', 'no-empty-pattern', 'no-ex-assign', 'no-extra-boolean-cast', 'no-extra-semi',
  'no-fallthrough', 'no-func-assign', 'no-import-assign', 'no-inner-declarations', 'no-invalid-regexp',
  'no-irregular-whitespace', 'no-loss-of-precision', 'no-misleading-character-class', 'no-mixed-spaces-and-tabs',
  'no-nonoctal-decimal-escape', 'no-obj-calls', 'no-octal', 'no-prototype-builtins', 'no-regex-spaces',
  'no-sparse-arrays', 'no-unexpected-multiline', 'no-unsafe-negation', 'no-unused-labels', 'no-useless-backreference',
  'no-useless-escape', 'no-with', 'use-isnan', 'no-unpkg-cdn', 'no-proxy-requests', 'no-unhandled-promise',
  'no-logging-rejections', 'no-non-client-request-model', 'no-deprecated-apis',
] as const;

/** What FDK runs on every .js file under app/ (and, here, on the install page's scripts under config/). */
export const FDK_APP_LINTS = [...FDK_LINTS_SHARED, 'no-cross-scope-assign', 'no-empty-function'] as const;
/** What FDK runs on every .js file under server/. */
export const FDK_SERVER_LINTS = [...FDK_LINTS_SHARED, 'no-dependency-mismatch', 'no-empty-function'] as const;

type FdkLint = (typeof FDK_APP_LINTS)[number] | (typeof FDK_SERVER_LINTS)[number];

/**
 * FDK's own rules, which are not ESLint's: FDK's code for them is not public, so each is either
 * stood in for by a check of ours (named) or, where its name alone does not say what it refuses,
 * not reproduced (null). Every other name in FDK's lists is an ESLint core rule and runs as such.
 */
export const FDK_OWN_LINTS = {
  'no-unpkg-cdn': 'security/unpkg',
  'no-dependency-mismatch': 'dependencies/undeclared, dependencies/unused, dependencies/version-mismatch',
  'no-unhandled-promise': 'eslint/promise/catch-or-return',
  'no-proxy-requests': null,
  'no-logging-rejections': null,
  'no-non-client-request-model': null,
  'no-deprecated-apis': null,
  'no-cross-scope-assign': null,
} as const satisfies Partial<Record<FdkLint, string | null>>;

/**
 * Options for FDK's ESLint rules where ESLint's defaults are not what we enforce. FDK's log names
 * the rules, not their options: the limits are Freshworks' validation rules (marketplace
 * `skills/app-dev/.cursor/rules/validation-workflow.mdc`: complexity at most 7, no unused
 * parameters) and the platform notes (4 nested callbacks); the rest is our stricter choice.
 */
const RULE_OPTIONS: Partial<Record<FdkLint, Linter.RuleEntry>> = {
  complexity: ['error', { max: 7 }],
  'max-nested-callbacks': ['error', { max: 4 }],
  // No ignore pattern: FDK reports `_unused` parameters as well.
  'no-unused-vars': ['error', { vars: 'all', args: 'all', caughtErrors: 'none' }],
  // Any first parameter named like an error (err, error, fetchErr) must be handled.
  'handle-callback-err': ['error', '^.*(e|E)rr'],
};

/**
 * Rules of ours beyond FDK's list: `promise/catch-or-return` stands in for FDK's
 * no-unhandled-promise; `no-implied-eval` completes no-eval; no-unsanitized answers Freshworks'
 * security review (marketplace `skills/app-dev/.cursor/rules/security.mdc`: sanitize innerHTML).
 */
const OUR_RULES: Linter.RulesRecord = {
  'promise/catch-or-return': ['error', { allowFinally: true }],
  'no-implied-eval': 'error',
  'no-unsanitized/property': 'error',
  'no-unsanitized/method': 'error',
};

function isFdkOwnLint(name: FdkLint): name is keyof typeof FDK_OWN_LINTS {
  return Object.hasOwn(FDK_OWN_LINTS, name);
}

/** The ESLint rules that apply one of FDK's lists, every rule an error, plus ours. */
export function eslintRulesFor(lints: readonly FdkLint[]): Linter.RulesRecord {
  const fromFdk = lints.filter((name) => !isFdkOwnLint(name)).map((name) => [name, RULE_OPTIONS[name] ?? 'error'] as const);
  return { ...Object.fromEntries(fromFdk), ...OUR_RULES };
}

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
  const appRules = eslintRulesFor(FDK_APP_LINTS);
  return [
    {
      plugins: { promise: promisePlugin, 'no-unsanitized': noUnsanitizedPlugin },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
    {
      files: ['server/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs', globals: SERVER_GLOBALS },
      rules: eslintRulesFor(FDK_SERVER_LINTS),
    },
    {
      files: ['app/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: APP_GLOBALS },
      rules: appRules,
    },
    {
      files: ['config/**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: INSTALL_PAGE_GLOBALS },
      rules: appRules,
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
