/*
 * Why this file exists, and why nothing runs it.
 *
 * From FDK v10.1.9, `fdk pack` checks before packing (its PRE_PKG validation) that the app has an
 * `fdk-unit-test` script in manifest.json, a vitest.config.js file and a tests/ directory, and it
 * reads the unit tests' coverage from coverage/unit/coverage-final.json (Freshworks, App SDK v3.0,
 * "What's new", August 2026; see docs/platform-contract.md).
 *
 * This project's unit tests are mocha and sinon tests, not vitest tests: `fdk-unit-test` compiles
 * the TypeScript and runs the mocha suites under tests/server and tests/common, and c8 (.c8rc.json)
 * writes coverage/unit/coverage-final.json with 80% thresholds. vitest is not a dependency and
 * nothing here loads this file. It says the same in vitest's terms: no vitest test files, and the
 * coverage report in coverage/unit.
 */
export default {
  test: {
    include: [],
    coverage: { reportsDirectory: 'coverage/unit', reporter: ['json'] },
  },
};
