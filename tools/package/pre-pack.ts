/**
 * The checks FDK v10.1.9's `fdk pack` runs before it packs (Freshworks, App SDK v3.0 "What's new",
 * August 2026; docs/platform-contract.md): the `fdk-unit-test` script in manifest.json, a
 * vitest.config.js file and a tests/ directory ("PRE_PKG validation"), then at least 80% unit-test
 * coverage on statements, branches, functions and lines, read from coverage/unit/coverage-final.json.
 * The rule ids are ours.
 */
import { z } from 'zod';
import { METRICS, readCoverageFigures, UNIT_COVERAGE_FILE, UNIT_COVERAGE_MINIMUM, type CoverageFigures } from '../coverage/figures';
import { directoryExists, fileExists, listFiles, readText } from '../validate/files';
import { error, type Problem } from '../validate/problems';

export const UNIT_TEST_SCRIPT = 'fdk-unit-test';

const ScriptsSchema = z.looseObject({ scripts: z.record(z.string(), z.unknown()).optional() });

function scriptIn(root: string, file: string): unknown {
  try {
    return ScriptsSchema.parse(JSON.parse(readText(root, file))).scripts?.[UNIT_TEST_SCRIPT];
  } catch {
    return undefined;
  }
}

/** The manifest's script, and package.json's copy (what `npm run fdk-unit-test` runs) saying the same. */
function checkUnitTestScript(root: string): Problem[] {
  const inManifest = scriptIn(root, 'manifest.json');
  if (typeof inManifest !== 'string' || inManifest.trim() === '') {
    return [error('manifest.json', 'pack/unit-test-script', `manifest.json has no "scripts": { "${UNIT_TEST_SCRIPT}": "..." }; fdk pack refuses to pack without it`)];
  }
  const inPackage = fileExists(root, 'package.json') ? scriptIn(root, 'package.json') : inManifest;
  return inPackage === inManifest
    ? []
    : [error('package.json', 'pack/unit-test-script', `package.json's "${UNIT_TEST_SCRIPT}" differs from manifest.json's; make them the same command`)];
}

/** PRE_PKG: the unit-test script, vitest.config.js and a tests/ directory with files in it. */
export function checkPrePack(root: string): Problem[] {
  const problems = checkUnitTestScript(root);
  if (!fileExists(root, 'vitest.config.js')) {
    problems.push(error('vitest.config.js', 'pack/vitest-config', 'there is no vitest.config.js; fdk pack (FDK 10.1.9 and later) refuses to pack without it'));
  }
  if (!directoryExists(root, 'tests') || listFiles(root, 'tests').length === 0) {
    problems.push(error('tests', 'pack/tests-folder', 'there is no tests/ directory with the unit tests; fdk pack (FDK 10.1.9 and later) refuses to pack without it'));
  }
  return problems;
}

export interface UnitCoverage {
  figures?: CoverageFigures;
  problems: Problem[];
}

/** Reads coverage/unit/coverage-final.json as fdk pack does and checks the 80% minimum on all four. */
export function checkUnitCoverage(root: string): UnitCoverage {
  if (!fileExists(root, UNIT_COVERAGE_FILE)) {
    return { problems: [error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `${UNIT_COVERAGE_FILE} is missing; run npm run ${UNIT_TEST_SCRIPT} (c8's "json" reporter writes it)`)] };
  }
  let figures: CoverageFigures;
  try {
    figures = readCoverageFigures(root, UNIT_COVERAGE_FILE);
  } catch (cause) {
    return { problems: [error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `cannot read it as istanbul coverage: ${cause instanceof Error ? cause.message : String(cause)}`)] };
  }
  const problems = METRICS.filter((metric) => !(figures[metric] >= UNIT_COVERAGE_MINIMUM)).map((metric) =>
    error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `${metric} coverage is ${figures[metric]}%, under the ${UNIT_COVERAGE_MINIMUM}% fdk pack requires`),
  );
  return { figures, problems };
}
