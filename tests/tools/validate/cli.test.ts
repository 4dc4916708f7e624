import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createFixtureApp, type FixtureApp } from './fixture';

// build/tests/tools/validate -> build/tools/validate/cli.js
const CLI = join(__dirname, '..', '..', '..', 'tools', 'validate', 'cli.js');

function runCli(root: string): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [CLI, '--root', root], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout };
}

describe('validate CLI', function () {
  let app: FixtureApp;

  beforeEach(function () {
    app = createFixtureApp();
  });

  afterEach(function () {
    app.cleanup();
  });

  it('exits 0 with a one-line summary for a valid app', function () {
    const { status, stdout } = runCli(app.root);
    assert.equal(status, 0, stdout);
    assert.match(stdout, /^validate: OK: .* 3 JavaScript files linted/);
    assert.equal(stdout.trim().split('\n').length, 1);
  });

  it('exits 1 and prints file, rule and message for each problem', function () {
    app.setJson('config/requests.json', ['listAgents', 'schema', 'protocol'], 'http');
    app.write('app/scripts/app.js', 'var shown = 1;\nconsole.log(shown);\n');
    const { status, stdout } = runCli(app.root);
    assert.equal(status, 1, stdout);
    const lines = stdout.trim().split('\n');
    assert.ok(lines.some((line) => line.startsWith('config/requests.json: requests/https-only: listAgents.schema.protocol: protocol is "http"')), stdout);
    assert.ok(lines.includes("app/scripts/app.js: eslint/no-var: Unexpected var, use let or const instead. (line 1)"), stdout);
  });

  it('exits 1 with a message to build when the built output is missing', function () {
    app.remove('app/scripts');
    const { status, stdout } = runCli(app.root);
    assert.equal(status, 1, stdout);
    assert.match(stdout, /^app\/scripts: build\/missing-output: .*npm run build/m);
  });
});
