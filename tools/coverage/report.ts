/**
 * The last lines of `npm test`: the unit-test coverage FDK 10.1.9's `fdk pack` checks (at least
 * 80% on all four, from coverage/unit/coverage-final.json) beside this project's local measure of
 * its simulation coverage (at least 50%, which the real FDK gathers only during `fdk run`): the
 * shipped app/scripts as the browser tests drove them (coverage/browser-app, written by
 * tests/browser/app-coverage.ts). Figures, not a gate: vitest enforces the unit thresholds itself.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { coverageFigures, METRICS, readCoverageData, UNIT_COVERAGE_FILE, UNIT_COVERAGE_MINIMUM, type CoverageFigures } from './figures';

/** build/tools/coverage/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

interface Row {
  label: string;
  file: string;
  minimum: string;
}

const ROWS: Row[] = [
  { label: 'unit tests: shipped server/ (vitest)', file: UNIT_COVERAGE_FILE, minimum: `fdk pack: ${UNIT_COVERAGE_MINIMUM}% each` },
  { label: 'browser tests: app/scripts (Chromium)', file: 'coverage/browser-app/coverage-final.json', minimum: 'fdk pack: 50% each, from fdk run' },
];

function figuresOf(file: string): CoverageFigures | null {
  return existsSync(join(REPO_ROOT, file)) ? coverageFigures(readCoverageData(REPO_ROOT, file)) : null;
}

function line(cells: string[], widths: number[]): string {
  return cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  ');
}

const widths = [40, 11, 9, 10, 7];
console.log(`\n${line(['Coverage', ...METRICS], widths)}  minimum`);
for (const row of ROWS) {
  const figures = figuresOf(row.file);
  const cells = figures === null ? METRICS.map(() => '-') : METRICS.map((metric) => `${figures[metric].toFixed(2)}%`);
  console.log(`${line([row.label, ...cells], widths)}  ${figures === null ? `(no ${row.file}: those tests did not run)` : row.minimum}`);
}
console.log('Reports: coverage/unit/ and coverage/browser-app/. The real simulation figure comes only from `fdk run` (README, "Using the real FDK").');
