import { hasErrors, error, type Problem } from '../validate/problems';
import { validateApp } from '../validate/validate';
import type { CoverageFigures } from '../coverage/figures';
import { checkPrePack, checkUnitCoverage, UNIT_TEST_SCRIPT } from './pre-pack';
import { removeUnitTestOutput, stageApp, type StagedFile } from './stage';

/** Runs `npm run fdk-unit-test` in the staged folder, as fdk pack does; `output` is what it printed. */
export type UnitTestRunner = (stageDir: string) => Promise<{ passed: boolean; output: string }>;

export interface PackageReport {
  files: StagedFile[];
  problems: Problem[];
  /** The unit tests' coverage in the staged folder, when they ran. */
  unitCoverage?: CoverageFigures;
  lintedFileCount: number;
}

/** The last lines of a failed run: enough to see which test failed, not the whole suite's output. */
function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}

async function unitTests(stageDir: string, run: UnitTestRunner): Promise<Pick<PackageReport, 'problems' | 'unitCoverage'>> {
  try {
    const result = await run(stageDir);
    if (!result.passed) {
      return { problems: [error('tests', 'pack/unit-tests', `npm run ${UNIT_TEST_SCRIPT} failed in the staged folder:\n${tail(result.output)}`)] };
    }
    const coverage = checkUnitCoverage(stageDir);
    return coverage.figures === undefined ? { problems: coverage.problems } : { problems: coverage.problems, unitCoverage: coverage.figures };
  } finally {
    removeUnitTestOutput(stageDir);
  }
}

/**
 * Stages the built app for `fdk pack` and checks the staged folder as fdk validate and fdk pack
 * would: our validator, FDK 10.1.9's pre-pack checks, then the unit tests and their coverage.
 * Stops at the first step that finds errors.
 */
export async function packageApp(repoRoot: string, stageDir: string, runUnitTests: UnitTestRunner): Promise<PackageReport> {
  const files = stageApp(repoRoot, stageDir);
  const validation = await validateApp(stageDir);
  const report: PackageReport = { files, problems: [...validation.problems], lintedFileCount: validation.lintedFileCount };
  report.problems.push(...checkPrePack(stageDir));
  if (hasErrors(report.problems)) {
    return report;
  }
  const tested = await unitTests(stageDir, runUnitTests);
  report.problems.push(...tested.problems);
  if (tested.unitCoverage !== undefined) {
    report.unitCoverage = tested.unitCoverage;
  }
  return report;
}
