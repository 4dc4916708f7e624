import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { restore, useFakeTimers } from 'sinon';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { createAppEngine, EngineSetupError } from '../../../../dev/runtime/engine/index';
import type { AppEngine, EngineOptions } from '../../../../dev/runtime/engine/index';
import { ServerSandbox } from '../../../../dev/runtime/engine/sandbox';
import { createFixtureApp, REPO_ROOT } from './fixtures';
import type { FixtureApp, FixtureAppFiles } from './fixtures';

const SERVER = `
const helpers = require('./lib/helpers');
const { z } = require('zod');

exports = {
  echo: function (args) {
    renderData(null, { received: args });
  },
  fail: function () {
    renderData({ status: 403, message: 'Only an Account Admin can do this.', code: 'NOT_ACCOUNT_ADMIN' });
  },
  failWithoutStatus: function () {
    renderData({ message: 'no status given' });
  },
  throws: function () {
    throw new Error('boom');
  },
  rejects: async function () {
    await Promise.resolve();
    throw new Error('async boom');
  },
  silent: function () {
    // never replies
  },
  spins: function () {
    while (true) {
      // a synchronous endless loop
    }
  },
  huge: function (args) {
    renderData(null, { text: 'x'.repeat(args.size) });
  },
  globals: function () {
    renderData(null, {
      process: typeof process, Buffer: typeof Buffer, setTimeout: typeof setTimeout, setInterval: typeof setInterval,
      setImmediate: typeof setImmediate, clearTimeout: typeof clearTimeout, global: typeof global, fetch: typeof fetch,
      module: typeof module, renderData: typeof renderData, $request: typeof $request, $db: typeof $db, $schedule: typeof $schedule,
      console: typeof console, require: typeof require
    });
  },
  requireThis: function (args) {
    try {
      require(args.name);
      renderData(null, { loaded: true });
    } catch (error) {
      renderData(null, { loaded: false, isError: error instanceof Error, message: error.message });
    }
  },
  evalBlocked: function () {
    try {
      renderData(null, { result: new Function('return 1')() });
    } catch (error) {
      renderData(null, { blocked: true });
    }
  },
  validate: function (args) {
    const parsed = z.object({ agentId: z.number().int() }).safeParse(args);
    renderData(null, { valid: parsed.success, doubled: helpers.double(args.agentId) });
  },
  remember: async function (args) {
    await $db.set('note', { text: args.text });
    const stored = await $db.get('note');
    try {
      await $db.get('missing');
    } catch (error) {
      renderData(null, { stored: stored, missingStatus: error.status });
      return;
    }
    renderData(null, { stored: stored });
  },
  later: async function (args) {
    await $db.set('k' + args.n, { n: args.n });
    await $db.get('k' + args.n);
    renderData(null, { n: args.n });
  },
  escape: function () {
    const pending = $db.get('missing');
    pending.then(null, function () { return null; });
    const attempts = [
      function () { return $db.get.constructor('return process')(); },
      function () { return $request.constructor.constructor('return process')(); },
      function () { return $request.invokeTemplate.constructor('return process')(); },
      function () { return renderData.constructor('return process')(); },
      function () { return require.constructor('return process')(); },
      function () { return console.log.constructor('return process')(); },
      function () { return pending.constructor.constructor('return process')(); },
      function () { return exports.constructor.constructor('return process')(); },
      function () { return require('./lib/helpers').constructor.constructor('return process')(); }
    ];
    renderData(null, {
      reached: attempts.map(function (attempt) {
        try {
          return typeof attempt();
        } catch (error) {
          return 'refused';
        }
      })
    });
  },
  twice: function () {
    renderData(null, { first: true });
    renderData(null, { second: true });
  },
  notDeclared: function () {
    renderData(null, {});
  }
};`;

const FUNCTIONS = [
  'echo', 'fail', 'failWithoutStatus', 'throws', 'rejects', 'silent', 'spins', 'huge', 'globals', 'requireThis',
  'evalBlocked', 'validate', 'remember', 'later', 'twice', 'escape',
];

const FILES: FixtureAppFiles = {
  server: SERVER,
  functions: FUNCTIONS,
  dependencies: { zod: '4.6.7' },
  serverFiles: { 'lib/helpers.js': "exports.double = function (n) { return require('./math.json').factor * n; };", 'lib/math.json': '{"factor":2}' },
  otherFiles: { 'outside.js': 'module.exports = 1;' },
};

type Failure = { requestID: string; status: number; message: string };
type Success = { requestID: string; response: Record<string, unknown> };

describe('engine: server methods', () => {
  let app: FixtureApp;
  let engine: AppEngine | undefined;
  let logLines: string[];

  before(() => {
    app = createFixtureApp(FILES);
  });

  after(() => app.remove());

  afterEach(async () => {
    restore();
    await engine?.close();
    engine = undefined;
  });

  async function start(options: Partial<EngineOptions> = {}): Promise<AppEngine> {
    logLines = [];
    engine = await createAppEngine({
      appRoot: app.root,
      iparams: { freshservice_domain: 'acme', api_key: 'secret-key-123', team_name: 'ops' },
      store: createKeyValueStore({ operationsPerMinute: 0 }),
      log: (line) => logLines.push(line),
      ...options,
    });
    return engine;
  }

  it('resolves renderData(null, data) as { requestID, response } with the payload plus all iparams', async () => {
    const running = await start();
    const result = await running.invokeServerMethod('echo', { agentId: 7, iparams: { api_key: 'forged' } });
    assert.equal(result.ok, true);
    const body = result.body as Success;
    assert.match(body.requestID, /^[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(body), ['requestID', 'response']);
    assert.deepEqual(body.response, {
      received: { agentId: 7, iparams: { freshservice_domain: 'acme', api_key: 'secret-key-123', team_name: 'ops' } },
    });
    assert.match(logLines.at(-1) ?? '', /^server-method echo 200 \d+ms$/);
  });

  it('forwards only status and message of renderData(error), never extra fields such as code', async () => {
    const running = await start();
    const result = await running.invokeServerMethod('fail', {});
    assert.equal(result.ok, false);
    const body = result.body as Failure;
    assert.deepEqual(Object.keys(body).sort(), ['message', 'requestID', 'status']);
    assert.equal(body.status, 403);
    assert.equal(body.message, 'Only an Account Admin can do this.');
    const noStatus = (await running.invokeServerMethod('failWithoutStatus', {})).body as Failure;
    assert.equal(noStatus.status, 500);
  });

  it('answers an unknown method, or one missing from the manifest, with 404', async () => {
    const running = await start();
    for (const name of ['nope', 'notDeclared', 'toString', '__proto__']) {
      const result = await running.invokeServerMethod(name, {});
      assert.equal(result.ok, false, name);
      assert.equal((result.body as Failure).status, 404, name);
    }
  });

  it('answers a thrown error or a rejected promise with 500 and a generic message', async () => {
    const running = await start();
    for (const name of ['throws', 'rejects']) {
      const body = (await running.invokeServerMethod(name, {})).body as Failure;
      assert.equal(body.status, 500);
      assert.doesNotMatch(body.message, /boom/);
    }
  });

  /**
   * A method that never replies, declared with `declaration` in the manifest: answers after how many
   * milliseconds of the fake clock it times out, checked one millisecond before and at the limit.
   */
  async function timesOutAfter(declaration: Record<string, unknown>, limitMs: number): Promise<void> {
    const silentApp = createFixtureApp({ server: 'exports = { silent: function () { return 1; } };', functions: ['silent'] });
    const manifestFile = join(silentApp.root, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { modules: { common: { functions: Record<string, unknown> } } };
    manifest.modules.common.functions['silent'] = declaration;
    writeFileSync(manifestFile, JSON.stringify(manifest));
    try {
      const running = await createAppEngine({ appRoot: silentApp.root, iparams: {}, store: createKeyValueStore() });
      const clock = useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let settled = false;
      const pending = running.invokeServerMethod('silent', {}).finally(() => {
        settled = true;
      });
      await clock.tickAsync(limitMs - 1);
      assert.equal(settled, false, `still running after ${limitMs - 1} ms`);
      await clock.tickAsync(1);
      assert.equal(((await pending).body as Failure).status, 504);
      await running.close();
    } finally {
      silentApp.remove();
    }
  }

  it('shortens the limit to a smaller manifest timeout', async () => {
    await timesOutAfter({ timeout: 5 }, 5_000);
  });

  it('gives a method without a manifest timeout 5 s, the stricter of the defaults Freshworks documents', async () => {
    await timesOutAfter({}, 5_000);
  });

  it('never gives a method more than 20 s, even with a manifest timeout of 30', async () => {
    await timesOutAfter({ timeout: 30 }, 20_000);
  });

  it('times out a method that never replies after 20 s with 504', async () => {
    const running = await start();
    const clock = useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = running.invokeServerMethod('silent', {});
    void pending.then(() => (settled = true));
    await clock.tickAsync(19_999);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    const result = await pending;
    assert.equal(result.ok, false);
    assert.equal((result.body as Failure).status, 504);
  });

  it('stops a synchronous endless loop at the time limit with 504, and keeps serving', async () => {
    const running = await start({ limits: { serverMethodTimeoutMs: 50 } });
    const result = await running.invokeServerMethod('spins', {});
    assert.equal((result.body as Failure).status, 504);
    assert.equal((await running.invokeServerMethod('echo', {})).ok, true);
  });

  it('rejects a payload over 100 KB without calling the method', async () => {
    const running = await start();
    const result = await running.invokeServerMethod('echo', { text: 'x'.repeat(100 * 1024) });
    assert.equal(result.ok, false);
    assert.equal((result.body as Failure).status, 413);
    const fits = await running.invokeServerMethod('echo', { text: 'x'.repeat(99 * 1024) });
    assert.equal(fits.ok, true);
  });

  it('rejects a response over 100 KB', async () => {
    const running = await start();
    const result = await running.invokeServerMethod('huge', { size: 100 * 1024 });
    assert.equal(result.ok, false);
    assert.equal((result.body as Failure).status, 500);
    assert.match((result.body as Failure).message, /100 KB/);
  });

  it('allows 50 calls a minute per installation, then answers 429', async () => {
    let now = 5_000_000;
    const running = await start({ now: () => now });
    for (let index = 0; index < 50; index += 1) {
      assert.equal((await running.invokeServerMethod('echo', {})).ok, true);
    }
    const refused = await running.invokeServerMethod('echo', {});
    assert.equal((refused.body as Failure).status, 429);
    now += 60_001;
    assert.equal((await running.invokeServerMethod('echo', {})).ok, true);
  });

  it("gives methods FDK's globals only: no process, Buffer, timers, global or fetch", async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('globals', {})).body as Success;
    assert.deepEqual(body.response, {
      process: 'undefined', Buffer: 'undefined', setTimeout: 'undefined', setInterval: 'undefined',
      setImmediate: 'undefined', clearTimeout: 'undefined', global: 'undefined', fetch: 'undefined',
      module: 'undefined', renderData: 'function', $request: 'object', $db: 'object', $schedule: 'object', console: 'object', require: 'function',
    });
  });

  for (const name of ['fs', 'node:fs', 'child_process', 'http', 'sinon', '../outside', '../manifest.json']) {
    it(`makes require('${name}') throw a sandbox Error`, async () => {
      const running = await start();
      const body = (await running.invokeServerMethod('requireThis', { name })).body as Success;
      assert.equal(body.response['loaded'], false);
      assert.equal(body.response['isError'], true);
      assert.match(String(body.response['message']), /Cannot find module/);
    });
  }

  it("keeps the host's Function constructor out of reach through every platform global", async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('escape', {})).body as Success;
    assert.deepEqual(body.response['reached'], Array(9).fill('refused'));
  });

  it('loads declared dependencies and relative files (js and json) inside the sandbox', async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('validate', { agentId: 21 })).body as Success;
    assert.deepEqual(body.response, { valid: true, doubled: 42 });
    const invalid = (await running.invokeServerMethod('validate', { agentId: 'x' })).body as Success;
    assert.equal(invalid.response['valid'], false);
  });

  it('refuses code generation from strings (eval, new Function)', async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('evalBlocked', {})).body as Success;
    assert.deepEqual(body.response, { blocked: true });
  });

  it('gives $db the store semantics: set, get, get of a missing key rejecting 404', async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('remember', { text: 'hello' })).body as Success;
    assert.deepEqual(body.response, { stored: { text: 'hello' }, missingStatus: 404 });
  });

  it('routes each renderData to its own call when calls overlap', async () => {
    const running = await start({ store: createKeyValueStore({ operationsPerMinute: 0, interleave: { seed: 7, maxTurns: 6 } }) });
    const results = await Promise.all([1, 2, 3, 4].map((n) => running.invokeServerMethod('later', { n })));
    assert.deepEqual(
      results.map((result) => (result.body as Success).response['n']),
      [1, 2, 3, 4],
    );
  });

  it('leaves nothing on the promises of the process however many engines it starts (one async context for all)', async () => {
    // Node 20 writes every AsyncLocalStorage that has run onto each new promise, as a symbol key,
    // until it is disabled: one per engine made each promise of a test worker slower with every runtime.
    const slotsOnAPromise = (): number => Object.getOwnPropertySymbols(Promise.resolve()).length;
    const warmUp = await start();
    await warmUp.invokeServerMethod('echo', { n: 0 });
    await warmUp.close();
    const slots = slotsOnAPromise();
    for (const n of [1, 2, 3]) {
      const running = await start();
      assert.deepEqual((await running.invokeServerMethod('later', { n })).ok, true);
      await running.close();
    }
    engine = undefined;
    assert.equal(slotsOnAPromise(), slots, 'each engine added an async context to every promise');
  });

  it('keeps the first renderData of a call and ignores later ones', async () => {
    const running = await start();
    const body = (await running.invokeServerMethod('twice', {})).body as Success;
    assert.deepEqual(body.response, { first: true });
  });

  it('never writes payloads or iparams to the log', async () => {
    const running = await start();
    await running.invokeServerMethod('echo', { text: 'private-payload' });
    await running.invokeServerMethod('throws', {});
    const everything = logLines.join('\n');
    assert.doesNotMatch(everything, /secret-key-123|private-payload|acme/);
  });
});

describe('engine: loading the app', () => {
  const apps: FixtureApp[] = [];

  afterEach(() => {
    for (const app of apps.splice(0)) {
      app.remove();
    }
  });

  function load(files: FixtureAppFiles) {
    const app = createFixtureApp(files);
    apps.push(app);
    return createAppEngine({ appRoot: app.root, iparams: {}, store: createKeyValueStore() });
  }

  it('fails with a clear EngineSetupError when config/requests.json has the wrong shape', async () => {
    const bad = { broken: { schema: { method: 'GET', host: 'x.freshservice.com', path: '/a', body: '{}' } } };
    await assert.rejects(load({ server: 'exports = {};', requests: bad }), (error: Error) => {
      assert.ok(error instanceof EngineSetupError);
      assert.match(error.message, /requests\.json/);
      return true;
    });
  });

  it('rejects maxAttempts over 5 and retryDelay over 1500 ms', async () => {
    const schema = { method: 'GET', host: 'x.freshservice.com', path: '/a' };
    await assert.rejects(load({ requests: { a: { schema, options: { maxAttempts: 6 } } } }), EngineSetupError);
    await assert.rejects(load({ requests: { a: { schema, options: { retryDelay: 1501 } } } }), EngineSetupError);
  });

  it('fails with a hint to compile the server when server.js requires a missing file', async () => {
    await assert.rejects(load({ server: "const x = require('./lib/missing');\nexports = {};", functions: ['a'] }), (error: Error) => {
      assert.ok(error instanceof EngineSetupError);
      assert.match(error.message, /tsc -p tsconfig\.server\.json/);
      return true;
    });
  });

  it('refuses an undeclared npm package at load time', async () => {
    await assert.rejects(load({ server: "const { z } = require('zod');\nexports = {};" }), /declare it in manifest\.json/);
  });
});

describe('engine: the shipped server/server.js', () => {
  it('loads the real app in the sandbox the way FDK does, with every declared method exported', async () => {
    const engine = await createAppEngine({ appRoot: REPO_ROOT, iparams: {}, store: createKeyValueStore() });
    try {
      const unknown = await engine.invokeServerMethod('noSuchMethod', {});
      assert.equal((unknown.body as Failure).status, 404);
    } finally {
      await engine.close();
    }
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8')) as {
      modules: { common: { functions?: Record<string, unknown> } };
      dependencies?: Record<string, string>;
    };
    // Exactly what the manifest declares, as FDK allows (zod, js-sha256, ...).
    const sandbox = new ServerSandbox(join(REPO_ROOT, 'server'), new Set(Object.keys(manifest.dependencies ?? {})), {
      $request: {}, $db: {}, $schedule: {}, renderData: () => undefined, console: { log: () => undefined },
    });
    const exported = sandbox.runServerFile(join(REPO_ROOT, 'server', 'server.js'));
    for (const name of Object.keys(manifest.modules.common.functions ?? {})) {
      assert.equal(typeof exported[name], 'function', name);
    }
  });
});
