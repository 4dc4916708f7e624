import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { packageApp, type UnitTestRunner } from '../../../tools/package/package-app';
import { coverageFigures, UNIT_COVERAGE_FILE } from '../../../tools/coverage/figures';
import { checkPrePack } from '../../../tools/package/pre-pack';
import { stageApp } from '../../../tools/package/stage';
import { formatProblem } from '../../../tools/validate/problems';
import { validateApp } from '../../../tools/validate/validate';
import { createFixtureApp, type FixtureApp } from '../validate/fixture';

/** build/tests/tools/package/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

/** One file's istanbul coverage: `covered` of `statements` statements ran, no functions or branches. */
function fileCoverage(path: string, statements: number, covered: number) {
  const statementMap: Record<string, unknown> = {};
  const s: Record<string, number> = {};
  for (let index = 0; index < statements; index += 1) {
    statementMap[index] = { start: { line: index + 1, column: 0 }, end: { line: index + 1, column: 5 } };
    s[index] = index < covered ? 1 : 0;
  }
  return { [path]: { path, statementMap, fnMap: {}, branchMap: {}, s, f: {}, b: {} } };
}

/** The staged app's server.js and server/lib/agents.js, `covered` of 10 statements each run: what vitest writes, keyed by absolute path. */
function shippedCoverage(stageDir: string, covered: [number, number]): object {
  return { ...fileCoverage(join(stageDir, 'server/server.js'), 10, covered[0]), ...fileCoverage(join(stageDir, 'server/lib/agents.js'), 10, covered[1]) };
}

/** A unit-test run that passes and writes coverage-final.json (the coverage of the staged folder), as vitest does. */
function passingRun(coverageIn: (stageDir: string) => object): UnitTestRunner {
  return (stageDir) => {
    const file = join(stageDir, UNIT_COVERAGE_FILE);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(coverageIn(stageDir)));
    mkdirSync(join(stageDir, 'build', 'tests'), { recursive: true });
    return Promise.resolve({ passed: true, output: 'all passing' });
  };
}

/**
 * The validator's fixture app plus what fdk pack looks for: vitest.config.js, a unit test under
 * tests/, package.json with the manifest's fdk-unit-test command, and the unit tests' TypeScript
 * project (the files it compiles are staged with it).
 */
function packableFixtureApp(): FixtureApp {
  const app = createFixtureApp();
  app.write('vitest.config.js', 'export default { test: { include: [] } };\n');
  app.write('tests/unit.test.ts', 'export {};\n');
  app.write('package.json', JSON.stringify({ scripts: { 'fdk-unit-test': 'mocha' } }));
  app.write('tsconfig.unit.json', JSON.stringify({ compilerOptions: { types: [] }, include: ['tests/**/*.ts'] }));
  return app;
}

describe('npm run package', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'fdk-package-'));
    temps.push(dir);
    return join(dir, 'account-admin-access');
  };

  after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe('the real app, staged', function () {
    let stageDir: string;
    let paths: string[];

    before(function () {
      stageDir = tempDir();
      paths = stageApp(REPO_ROOT, stageDir).map((file) => file.path);
    });

    it('holds the built app: manifest, config, pages, compiled scripts, server.js and the compiled server', function () {
      for (const path of ['manifest.json', 'config/iparams.json', 'config/requests.json', 'config/assets/iparams.js', 'app/sidebar.html', 'app/scripts/sidebar.js', 'server/server.js', 'server/lib/server/src/methods/audit.js']) {
        assert.ok(paths.includes(path), path);
      }
    });

    it('holds what fdk pack needs to run the unit tests there, and FDK 10.1.9\'s pre-pack markers', function () {
      for (const path of ['package.json', 'package-lock.json', 'vitest.config.js', 'tsconfig.unit.json', 'server/src/methods/audit.ts', 'common/errors.ts', 'tests/server/server-shim.test.ts', 'tests/common/errors.test.ts']) {
        assert.ok(paths.includes(path), path);
      }
      assert.ok(existsSync(join(stageDir, 'node_modules', 'vitest', 'package.json')), 'node_modules is linked');
      assert.deepEqual(checkPrePack(stageDir), []);
    });

    it('leaves out what fdk pack does not need', function () {
      const unwanted = ['app/src/', 'docs/', 'bench/', 'tools/', 'dev/simulator/', 'dev/runtime/engine/', 'tests/browser/', 'tests/dev/', 'tests/tools/', 'build/', 'coverage/', '.fdk/', 'README.md', '.ci/'];
      assert.deepEqual(paths.filter((path) => unwanted.some((prefix) => path.startsWith(prefix))), []);
    });

    it('passes our validator (npm run validate on the staged tree)', async function () {
      const report = await validateApp(stageDir);
      assert.deepEqual(report.problems.filter((problem) => problem.severity === 'error').map(formatProblem), []);
    });
  });

  describe('the checks after staging', function () {
    let app: FixtureApp;

    beforeEach(function () {
      app = packableFixtureApp();
    });

    afterEach(() => app.cleanup());

    it('runs the unit tests in the staged folder, reads their coverage as fdk pack does, and removes their output', async function () {
      const stageDir = tempDir();
      const report = await packageApp(app.root, stageDir, passingRun((dir) => shippedCoverage(dir, [10, 10])));
      assert.deepEqual(report.problems.map(formatProblem), []);
      assert.deepEqual(report.unitCoverage, { statements: 100, branches: 100, functions: 100, lines: 100 });
      assert.equal(existsSync(join(stageDir, 'coverage')), false);
      assert.equal(existsSync(join(stageDir, 'build')), false);
    });

    it('fails coverage under 80% on any of the four figures, naming it', async function () {
      const report = await packageApp(app.root, tempDir(), passingRun((dir) => shippedCoverage(dir, [7, 8])));
      const lines = report.problems.map(formatProblem);
      assert.ok(lines.includes('coverage/unit/coverage-final.json: pack/unit-coverage: statements coverage is 75%, under the 80% fdk pack requires'), lines.join('\n'));
      assert.ok(lines.some((line) => line.includes('lines coverage is 75%')));
    });

    it('fails a coverage report of the TypeScript sources, or of a compiled copy outside the app, naming each file', async function () {
      const sources = (dir: string) => ({ ...shippedCoverage(dir, [10, 10]), ...fileCoverage(join(dir, 'server/src/agents.ts'), 4, 4), ...fileCoverage(join(dir, 'build/server/src/agents.js'), 4, 4) });
      const lines = (await packageApp(app.root, tempDir(), passingRun(sources))).problems.map(formatProblem);
      assert.deepEqual(lines, [
        'coverage/unit/coverage-final.json: pack/unit-coverage: it measures server/src/agents.ts, which is not JavaScript the app ships; measure server/server.js and server/lib (vitest.config.js coverage.include)',
        'coverage/unit/coverage-final.json: pack/unit-coverage: it measures build/server/src/agents.js, which is not JavaScript the app ships; measure server/server.js and server/lib (vitest.config.js coverage.include)',
      ]);
    });

    it('fails a coverage report that leaves out server.js', async function () {
      const withoutServerJs = (dir: string) => fileCoverage(join(dir, 'server/lib/agents.js'), 10, 10);
      const [problem] = (await packageApp(app.root, tempDir(), passingRun(withoutServerJs))).problems;
      assert.match(problem?.message ?? '', /does not measure server\/server\.js/);
    });

    it('fails when the unit tests fail, with the end of their output', async function () {
      const failing: UnitTestRunner = () => Promise.resolve({ passed: false, output: 'many lines\n  1 failing\n  1) ledger records the request' });
      const report = await packageApp(app.root, tempDir(), failing);
      const [problem] = report.problems;
      assert.equal(problem?.rule, 'pack/unit-tests');
      assert.match(problem?.message ?? '', /1\) ledger records the request$/);
    });

    it('fails a missing coverage file', async function () {
      const silent: UnitTestRunner = () => Promise.resolve({ passed: true, output: '' });
      const report = await packageApp(app.root, tempDir(), silent);
      assert.deepEqual(report.problems.map((problem) => problem.rule), ['pack/unit-coverage']);
    });

    it('does not run the unit tests when the staged app fails validation', async function () {
      app.write('app/scripts/app.js', 'var broken = 1;\nconsole.log(broken);\n');
      let ran = false;
      const report = await packageApp(app.root, tempDir(), () => {
        ran = true;
        return Promise.resolve({ passed: true, output: '' });
      });
      assert.ok(report.problems.some((problem) => problem.rule === 'eslint/no-var'));
      assert.equal(ran, false);
    });
  });

  describe("FDK 10.1.9's pre-pack checks", function () {
    let app: FixtureApp;

    beforeEach(function () {
      app = packableFixtureApp();
    });

    afterEach(() => app.cleanup());

    it('pass an app with the script, vitest.config.js and tests/', function () {
      assert.deepEqual(checkPrePack(app.root), []);
    });

    it('fail engines naming an FDK older than 10.1.9, whose pack runs none of them', function () {
      for (const fdk of ['10.0.1', '10.1.8', '9.9.9']) {
        app.setJson('manifest.json', ['engines', 'fdk'], fdk);
        assert.deepEqual(checkPrePack(app.root).map((problem) => `${problem.file} ${problem.rule}`), ['manifest.json pack/engines'], fdk);
      }
      for (const fdk of ['10.1.9', '10.1.10', '10.2.0', '11.0.0']) {
        app.setJson('manifest.json', ['engines', 'fdk'], fdk);
        assert.deepEqual(checkPrePack(app.root), [], fdk);
      }
    });

    it('fail a manifest without the fdk-unit-test script', function () {
      app.setJson('manifest.json', ['scripts'], undefined);
      assert.deepEqual(checkPrePack(app.root).map((problem) => `${problem.file} ${problem.rule}`), ['manifest.json pack/unit-test-script']);
    });

    it("fail package.json's script when it differs from the manifest's", function () {
      app.write('package.json', JSON.stringify({ scripts: { 'fdk-unit-test': 'vitest run' } }));
      assert.deepEqual(checkPrePack(app.root).map((problem) => `${problem.file} ${problem.rule}`), ['package.json pack/unit-test-script']);
    });

    it('fail a missing vitest.config.js and an empty tests/ folder', function () {
      app.remove('vitest.config.js');
      app.remove('tests/unit.test.ts');
      assert.deepEqual(checkPrePack(app.root).map((problem) => problem.rule), ['pack/vitest-config', 'pack/tests-folder']);
    });
  });

  it('computes the four figures as istanbul does', function () {
    const data = {
      ...fileCoverage('/x/a.js', 3, 3),
      '/x/b.js': {
        path: '/x/b.js',
        statementMap: { 0: { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } } },
        fnMap: { 0: { name: 'f', decl: { start: { line: 1, column: 0 }, end: { line: 1, column: 1 } }, loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } }, line: 1 } },
        branchMap: { 0: { type: 'if', line: 1, loc: { start: { line: 1, column: 0 }, end: { line: 1, column: 9 } }, locations: [{ start: { line: 1, column: 0 }, end: { line: 1, column: 4 } }, { start: { line: 1, column: 5 }, end: { line: 1, column: 9 } }] } },
        s: { 0: 0 },
        f: { 0: 0 },
        b: { 0: [1, 0] },
      },
    };
    assert.deepEqual(coverageFigures(data as never), { statements: 75, branches: 50, functions: 0, lines: 75 });
  });
});
