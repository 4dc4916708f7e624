/**
 * The checks FDK v10.1.9's `fdk pack` runs before it packs (Freshworks, App SDK v3.0 "What's new",
 * August 2026; docs/platform-contract.md): the `fdk-unit-test` script in manifest.json, a
 * vitest.config.js file and a tests/ directory ("PRE_PKG validation"), then at least 80% unit-test
 * coverage on statements, branches, functions and lines, read from coverage/unit/coverage-final.json.
 * Ours beside them: engines.fdk names that FDK or a later one, and the coverage describes the
 * JavaScript that ships. The rule ids are ours.
 */
import { z } from 'zod';
import type { CoverageMapData } from 'istanbul-lib-coverage';
import { coverageFigures, METRICS, readCoverageData, UNIT_COVERAGE_FILE, UNIT_COVERAGE_MINIMUM, type CoverageFigures } from '../coverage/figures';
import { SERVER_FILE } from '../validate/server-exports';
import { directoryExists, fileExists, listFiles, readText, relativePath } from '../validate/files';
import { error, type Problem } from '../validate/problems';

export const UNIT_TEST_SCRIPT = 'fdk-unit-test';

/** The FDK whose `fdk pack` checks these are: coverage at pack time arrived in v10.1.9. */
export const PACK_CHECKS_FDK = '10.1.9';

/** What the pre-pack checks read of manifest.json and package.json; anything else is the validator's. */
const PackFieldsSchema = z.looseObject({
  scripts: z.record(z.string(), z.unknown()).optional(),
  engines: z.looseObject({ fdk: z.unknown().optional() }).optional(),
});

function packFieldsOf(root: string, file: string): z.infer<typeof PackFieldsSchema> {
  try {
    return PackFieldsSchema.parse(JSON.parse(readText(root, file)));
  } catch {
    return {};
  }
}

function scriptIn(root: string, file: string): unknown {
  return packFieldsOf(root, file).scripts?.[UNIT_TEST_SCRIPT];
}

/** Whether a version "a.b.c" is at least `minimum`, compared number by number. */
function isAtLeast(version: string, minimum: string): boolean {
  const have = version.split('.').map(Number);
  for (const [index, wanted] of minimum.split('.').map(Number).entries()) {
    const part = have[index] ?? 0;
    if (part !== wanted) {
      return part > wanted;
    }
  }
  return true;
}

/** engines.fdk names an FDK whose pack runs the checks below: the manifest says which FDK the app is packed with. */
function checkEngines(root: string): Problem[] {
  const fdk = packFieldsOf(root, 'manifest.json').engines?.fdk;
  return typeof fdk === 'string' && isAtLeast(fdk, PACK_CHECKS_FDK)
    ? []
    : [error('manifest.json', 'pack/engines', `engines.fdk is ${JSON.stringify(fdk)}; these are FDK ${PACK_CHECKS_FDK}'s pack checks (coverage at pack time arrived in ${PACK_CHECKS_FDK}): name FDK ${PACK_CHECKS_FDK} or later`)];
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

/** PRE_PKG: the unit-test script, vitest.config.js and a tests/ directory with files in it; and engines naming that FDK. */
export function checkPrePack(root: string): Problem[] {
  const problems = [...checkEngines(root), ...checkUnitTestScript(root)];
  if (!fileExists(root, 'vitest.config.js')) {
    problems.push(error('vitest.config.js', 'pack/vitest-config', `there is no vitest.config.js; fdk pack (FDK ${PACK_CHECKS_FDK} and later) refuses to pack without it`));
  }
  if (!directoryExists(root, 'tests') || listFiles(root, 'tests').length === 0) {
    problems.push(error('tests', 'pack/tests-folder', `there is no tests/ directory with the unit tests; fdk pack (FDK ${PACK_CHECKS_FDK} and later) refuses to pack without it`));
  }
  return problems;
}

export interface UnitCoverage {
  figures?: CoverageFigures;
  problems: Problem[];
}

/**
 * The files the coverage describes must be JavaScript that ships (server/ or app/ of the staged
 * app), server.js among them when there is one: a report of TypeScript sources or of a compiled
 * copy outside the app measures code fdk pack does not package.
 */
function checkMeasuredFiles(root: string, data: CoverageMapData): Problem[] {
  const measured = Object.keys(data).map((file) => relativePath(root, file));
  const notShipped = measured.filter((file) => !/^(?:server|app)\/.+\.js$/.test(file) || !fileExists(root, file));
  const problems = notShipped.map((file) =>
    error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `it measures ${file}, which is not JavaScript the app ships; measure server/server.js and server/lib (vitest.config.js coverage.include)`),
  );
  if (fileExists(root, SERVER_FILE) && !measured.includes(SERVER_FILE)) {
    problems.push(error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `it does not measure ${SERVER_FILE}; load it in the tests with its file name (vm.runInNewContext(code, sandbox, { filename }))`));
  }
  return problems;
}

/** Reads coverage/unit/coverage-final.json as fdk pack does: the shipped files it measures, and at least 80% on all four figures. */
export function checkUnitCoverage(root: string): UnitCoverage {
  if (!fileExists(root, UNIT_COVERAGE_FILE)) {
    return { problems: [error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `${UNIT_COVERAGE_FILE} is missing; run npm run ${UNIT_TEST_SCRIPT} (vitest's "json" coverage reporter writes it)`)] };
  }
  let data: CoverageMapData;
  let figures: CoverageFigures;
  try {
    data = readCoverageData(root, UNIT_COVERAGE_FILE);
    figures = coverageFigures(data);
  } catch (cause) {
    return { problems: [error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `cannot read it as istanbul coverage: ${cause instanceof Error ? cause.message : String(cause)}`)] };
  }
  const problems = METRICS.filter((metric) => !(figures[metric] >= UNIT_COVERAGE_MINIMUM)).map((metric) =>
    error(UNIT_COVERAGE_FILE, 'pack/unit-coverage', `${metric} coverage is ${figures[metric]}%, under the ${UNIT_COVERAGE_MINIMUM}% fdk pack requires`),
  );
  return { figures, problems: [...checkMeasuredFiles(root, data), ...problems] };
}
