/**
 * `npm run package` (after `npm run build`): stages exactly the folder `fdk pack` should see under
 * dist/fdk-pack/<app name>/, checks it, and prints its files, its size and the next step.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatProblem, hasErrors } from '../validate/problems';
import { packageApp, type PackageReport, type UnitTestRunner } from './package-app';
import { formatFigures, UNIT_COVERAGE_MINIMUM } from '../coverage/figures';
import { UNIT_TEST_SCRIPT } from './pre-pack';

/** build/tools/package/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** `npm run fdk-unit-test` in the staged folder; its output is kept, and shown only when it fails. */
const runUnitTests: UnitTestRunner = (stageDir) =>
  new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', UNIT_TEST_SCRIPT], { cwd: stageDir, shell: process.platform === 'win32', env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (cause) => done({ passed: false, output: `${output}\n${cause.message}` }));
    child.on('close', (code) => done({ passed: code === 0, output }));
  });

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function printFiles(report: PackageReport): void {
  for (const file of report.files) {
    console.log(`  ${kilobytes(file.bytes).padStart(10)}  ${file.path}`);
  }
  const total = report.files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(`  ${report.files.length} files, ${kilobytes(total)} (node_modules is a link to this repository's, for the unit tests; fdk pack leaves it out)`);
}

async function main(): Promise<number> {
  const name = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string }).name;
  const stageDir = join(REPO_ROOT, 'dist', 'fdk-pack', name);
  const shown = relative(process.cwd(), stageDir) || '.';
  console.log(`package: staging the app for fdk pack in ${shown}; checking it (validate, pre-pack checks, npm run ${UNIT_TEST_SCRIPT})…`);
  const report = await packageApp(REPO_ROOT, stageDir, runUnitTests);
  report.problems.forEach((problem) => console.log(formatProblem(problem)));
  if (hasErrors(report.problems)) {
    console.log(`package: the staged app in ${shown} is not ready for fdk pack; fix the errors above and run npm run package again`);
    return 1;
  }
  console.log(`package: validate OK (${report.lintedFileCount} JavaScript files linted); pre-pack checks OK`);
  if (report.unitCoverage !== undefined) {
    console.log(`package: unit-test coverage in the staged folder: ${formatFigures(report.unitCoverage)} (fdk pack requires ${UNIT_COVERAGE_MINIMUM}%)`);
  }
  printFiles(report);
  console.log(`\nNext, with the FDK CLI (Node 24): cd ${shown} && fdk pack`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (cause: unknown) => {
    console.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
    process.exitCode = 2;
  },
);
