import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProblem, hasErrors } from './problems';
import { validateApp, type ValidationReport } from './validate';

const USAGE = 'usage: node build/tools/validate/cli.js [--root DIR]';

function summary(report: ValidationReport): string {
  const warnings = report.problems.length;
  const warningText = warnings === 0 ? '' : `, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return (
    'validate: OK: manifest, requests and iparams schemas, templates, server functions, locations, dependencies, ' +
    `unpkg URLs, and ${report.lintedFileCount} JavaScript files linted with FDK's rules${warningText}`
  );
}

async function main(argv: string[]): Promise<number> {
  let root: string;
  try {
    const { values } = parseArgs({ args: argv, options: { root: { type: 'string' } }, strict: true });
    root = resolve(values.root ?? process.cwd());
  } catch (cause) {
    console.error(`${cause instanceof Error ? cause.message : String(cause)}\n${USAGE}`);
    return 2;
  }
  const report = await validateApp(root);
  for (const problem of report.problems) {
    console.log(formatProblem(problem));
  }
  if (hasErrors(report.problems)) {
    const errors = report.problems.filter((problem) => problem.severity === 'error').length;
    console.log(`validate: ${errors} error${errors === 1 ? '' : 's'} in ${root}`);
    return 1;
  }
  console.log(summary(report));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (cause: unknown) => {
    console.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
    process.exitCode = 2;
  },
);
