/**
 * What `npm run package` stages for `fdk pack`: the FDK app as it ships (built), plus exactly
 * what `fdk pack` needs to run the unit tests in that folder (FDK 10.1.9 runs the manifest's
 * `fdk-unit-test` script before packing and checks for vitest.config.js and tests/).
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import ts = require('typescript');
import { fileExists, listFiles, relativePath } from '../validate/files';

/** The FDK app: manifest, configuration, the pages and their compiled scripts, server.js and the compiled server. */
const APP_FILES = ['manifest.json', 'server/server.js'];
const APP_FOLDERS = ['config', 'app', 'server/lib'];
/** TypeScript sources: compiled into app/scripts and server/lib, which ship instead. */
const NOT_SHIPPED = ['app/src/'];

/** How `fdk-unit-test` runs: npm scripts (and package.json's #server/#common imports), vitest's configuration, the TypeScript projects it compiles. */
const UNIT_TEST_SETUP = [
  'package.json',
  'package-lock.json',
  'vitest.config.js',
  'tsconfig.base.json',
  'tsconfig.json',
  'tsconfig.server.json',
  'tsconfig.unit.json',
];
/** The projects `fdk-unit-test` compiles; every source file they read is staged. */
const UNIT_TEST_PROJECTS = ['tsconfig.server.json', 'tsconfig.unit.json'];

function isInside(root: string, file: string): boolean {
  const path = relative(root, file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path) && !path.split(sep).includes('node_modules');
}

/** Every file of the app a TypeScript project compiles, with the files its imports reach (outside node_modules). */
function sourcesOfProject(root: string, project: string): string[] {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, project), {}, host);
  if (parsed === undefined) {
    throw new Error(`${project} cannot be read`);
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map((source) => source.fileName)
    .filter((file) => isInside(root, file))
    .map((file) => relativePath(root, file));
}

/** The relative paths to stage, sorted; a setup file the app does not have is left out (the pre-pack checks name what is missing). */
export function packageContents(root: string): string[] {
  const app = [...APP_FILES, ...APP_FOLDERS.flatMap((dir) => listFiles(root, dir))].filter((file) => !NOT_SHIPPED.some((prefix) => file.startsWith(prefix)));
  const setup = UNIT_TEST_SETUP.filter((file) => fileExists(root, file));
  const sources = UNIT_TEST_PROJECTS.filter((project) => existsSync(join(root, project))).flatMap((project) => sourcesOfProject(root, project));
  return [...new Set([...app, ...setup, ...sources])].filter((file) => existsSync(join(root, file))).sort();
}
