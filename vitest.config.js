/*
 * The unit tests `fdk pack` runs, and the coverage it reads.
 *
 * FDK 10.1.9's `fdk pack` refuses to pack without this file, a tests/ folder and an `fdk-unit-test`
 * script in manifest.json; it runs that script and reads coverage/unit/coverage-final.json (at least
 * 80% on all four figures). Freshworks' own FDK 10.1 samples make the script `vitest run --coverage`
 * with a vitest.config.js like this one: V8 coverage, a JSON report in coverage/unit
 * (freshworks-developers/serverless-app-samples and app-setup-events-samples; docs/platform-contract.md,
 * rows 1 to 3). Ours compiles the TypeScript first (`rm -rf build && tsc -p tsconfig.server.json &&
 * tsc -p tsconfig.unit.json && vitest run --coverage`, the same in package.json and manifest.json).
 *
 * The tests are the TypeScript tests under tests/server and tests/common, written with
 * describe/it/beforeEach/afterEach and node:assert, compiled into build/tests. They load the shipped
 * server/server.js in a vm sandbox as FDK does, and the shipped server/lib through package.json's
 * imports (#server/*, #common/*), so the coverage describes the JavaScript that ships.
 */
// CommonJS, like everything else here that Node loads (package.json has no "type": "module"); a
// plain object is all vitest's defineConfig would return.
const { availableParallelism } = require('node:os');

module.exports = {
  test: {
    // Every core (vitest would keep one free): the files run side by side in worker threads, each
    // file still in a fresh module registry. On 2 cores this takes the run from 43 s to 27 s.
    pool: 'threads',
    maxWorkers: availableParallelism(),
    // The tests call describe, it, beforeEach and afterEach as globals.
    globals: true,
    include: ['build/tests/server/**/*.test.js', 'build/tests/common/**/*.test.js'],
    testTimeout: 10000,
    hookTimeout: 10000,
    coverage: {
      provider: 'v8',
      // Every file that ships under server/, run or not.
      include: ['server/server.js', 'server/lib/**/*.js'],
      reportsDirectory: 'coverage/unit',
      reporter: ['json', 'json-summary', 'lcov', 'text-summary'],
      thresholds: { statements: 80, branches: 80, functions: 80, lines: 80 },
    },
  },
};
