import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { runInNewContext } from 'node:vm';
import { assert as sinonAssert, restore, spy, stub, type SinonSpy, type SinonStub } from 'sinon';
import { z } from 'zod';

// build/tests/server -> the repository root, where the shipped server/server.js lives.
const ROOT = join(__dirname, '..', '..', '..');
const SERVER_DIR = join(ROOT, 'server');
const SERVER_FILE = join(SERVER_DIR, 'server.js');

const eventsSchema = z.record(z.string(), z.object({ handler: z.string() })).optional();
const manifestSchema = z.object({
  modules: z.object({ common: z.object({ functions: z.record(z.string(), z.unknown()), events: eventsSchema }) }).catchall(z.object({ events: eventsSchema }).passthrough()),
  dependencies: z.record(z.string(), z.string()).optional(),
});
// Read leniently at load time so a broken manifest fails one test below instead of the whole mocha run.
const manifest = manifestSchema.safeParse(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')));
const SERVER_METHOD_NAMES = Object.keys(manifest.data?.modules.common.functions ?? {});
/** Every event handler the manifest names, in any module (app set-up, scheduled and product events). */
const EVENT_HANDLER_NAMES = Object.values(manifest.data?.modules ?? {}).flatMap((module) => Object.values((module as { events?: Record<string, { handler: string }> }).events ?? {}).map((event) => event.handler));
const FUNCTION_NAMES = [...SERVER_METHOD_NAMES, ...EVENT_HANDLER_NAMES];
const DECLARED_PACKAGES = Object.keys(manifest.data?.dependencies ?? {});

// A key distinctive enough to spot if any server code logs it.
const API_KEY = 'k-7f3a9c-never-logged';
const IPARAMS = { freshservice_domain: 'demo', api_key: API_KEY };

type ServerFunction = (args: Record<string, unknown>) => unknown;

interface Sandbox {
  exports: Record<string, ServerFunction>;
  $request: { invokeTemplate: SinonStub };
  $db: ReturnType<typeof createFakeStore>;
  $schedule: Record<'create' | 'update' | 'fetch' | 'delete', SinonStub>;
  renderData: SinonSpy;
  console: Record<ConsoleMethod, SinonSpy>;
  require: (specifier: string) => unknown;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/**
 * server.js logs through the sandbox's console, but the ./lib modules it requires are loaded by
 * Node and log through the real one: both are recorded, and the real one stays quiet in CI.
 */
let processConsole: SinonStub[] = [];

function everythingLogged(sandbox: Sandbox): string[] {
  const spies: SinonSpy[] = [...Object.values(sandbox.console), ...processConsole];
  return spies.flatMap((method) => method.getCalls().flatMap((call) => call.args.map((arg: unknown) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 6 })))));
}

/** FDK's sandbox `require`: declared packages and the app's own relative files, nothing else. */
function sandboxRequire(specifier: string): unknown {
  const isRelative = specifier.startsWith('./') || specifier.startsWith('../');
  const isDeclared = DECLARED_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));
  if (!isRelative && !isDeclared) {
    throw new Error(`require('${specifier}') is not allowed: it is neither relative nor declared in manifest.json dependencies`);
  }
  return createRequire(SERVER_FILE)(specifier);
}

/** A small `$db`: `get` of a missing key rejects with status 404, as FDK's does. */
function createFakeStore() {
  const values = new Map<string, unknown>();
  return {
    set: (key: string, value: unknown) => Promise.resolve(void values.set(key, value)).then(() => ({ Created: true })),
    get: (key: string) => (values.has(key) ? Promise.resolve(values.get(key)) : Promise.reject({ status: 404, message: 'Record not found' })),
    update: (key: string, _action: string, attributes: Record<string, unknown>) =>
      Promise.resolve(void values.set(key, { ...(values.get(key) as object | undefined), ...attributes })).then(() => ({ Updated: true })),
    delete: (key: string) => Promise.resolve(values.delete(key)).then(() => ({ Deleted: true })),
  };
}

/** Runs the built server.js the way Freshworks' own sample tests do, with only the platform's globals. */
function loadServer(invokeTemplate: SinonStub, onAnswer: () => void): Sandbox {
  const sandbox: Sandbox = {
    exports: {},
    $request: { invokeTemplate },
    $db: createFakeStore(),
    $schedule: { create: stub().resolves({ status: 200 }), update: stub().resolves({ status: 200 }), fetch: stub().rejects({ status: 404 }), delete: stub().resolves({ status: 200 }) },
    renderData: spy(onAnswer),
    console: { log: spy(), info: spy(), warn: spy(), error: spy(), debug: spy() },
    require: sandboxRequire,
  };
  runInNewContext(readFileSync(SERVER_FILE, 'utf8'), sandbox, { filename: SERVER_FILE });
  return sandbox;
}

/** Resolves after the macrotask queue turns once: by then every chain of already-settled fakes has run. */
function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls one server method and waits until it has answered through renderData, or until its
 * returned promise has settled and every pending microtask has run (a method that never answers
 * then fails the assertion instead of hanging until mocha's timeout).
 */
async function callUntilAnswered(name: string, invokeTemplate: SinonStub): Promise<Sandbox> {
  let answered: () => void = () => undefined;
  const answer = new Promise<void>((resolve) => {
    answered = resolve;
  });
  const sandbox = loadServer(invokeTemplate, () => answered());
  const method = sandbox.exports[name];
  assert.equal(typeof method, 'function', `server.js exports no function "${name}"`);
  const settled = Promise.resolve(method?.({ iparams: IPARAMS })).then(nextMacrotask, nextMacrotask);
  await Promise.race([answer, settled]);
  await settled;
  return sandbox;
}

function assertAnsweredOnce(sandbox: Sandbox, name: string): void {
  sinonAssert.calledOnce(sandbox.renderData);
  const [failure] = sandbox.renderData.firstCall.args as [unknown, unknown];
  if (failure !== null) {
    const body = z.object({ status: z.number(), message: z.string() }).safeParse(failure);
    assert.ok(body.success, `${name} answered with an error that has no status and message`);
  }
  const logged = everythingLogged(sandbox);
  if (failure !== null) {
    // Every failure is logged by code and status: seeing that line proves the check below is not blind.
    assert.ok(logged.some((line) => line.startsWith(`${name} failed: `)), `${name} failed without a log line: ${logged.join(' | ')}`);
  }
  assert.ok(!logged.some((line) => line.includes(API_KEY)), `${name} logged the API key`);
}

const SCENARIOS = [
  {
    what: 'Freshservice rejects the key (401)',
    invokeTemplate: () => stub().rejects({ status: 401, headers: {}, response: '{}', errorSource: 'APP', attempts: 1 }),
  },
  {
    what: 'every template answers 200 with an empty object',
    invokeTemplate: () => stub().resolves({ status: 200, headers: {}, response: '{}' }),
  },
];

describe('server/server.js loaded as FDK loads it (vm sandbox)', function () {
  beforeEach(function () {
    processConsole = CONSOLE_METHODS.map((method) => stub(console, method));
  });

  afterEach(function () {
    restore();
    processConsole = [];
  });

  it('finds server/lib, the compiled code server.js requires', function () {
    assert.ok(existsSync(join(SERVER_DIR, 'lib')), 'server/lib is missing: compile first with `npx tsc -p tsconfig.server.json`');
  });

  it('reads the server functions and dependencies from manifest.json', function () {
    assert.ok(manifest.success, `manifest.json has no modules.common.functions object: ${manifest.error?.message ?? ''}`);
  });

  it('exports exactly the server methods and event handlers manifest.json declares', function () {
    const sandbox = loadServer(stub(), () => undefined);
    assert.ok(SERVER_METHOD_NAMES.length > 0);
    // No afterAppUpdate: an app that declares it is not moved to new versions automatically (docs/platform-contract.md).
    assert.deepEqual(EVENT_HANDLER_NAMES.sort(), ['onAppInstall', 'onScheduledEvent', 'onUserCreate', 'onUserDelete', 'onUserUpdate']);
    assert.deepEqual(Object.keys(sandbox.exports).sort(), [...FUNCTION_NAMES].sort());
  });

  for (const scenario of SCENARIOS) {
    describe(`when ${scenario.what}`, function () {
      for (const name of FUNCTION_NAMES) {
        it(`${name} answers through renderData exactly once`, async function () {
          const sandbox = await callUntilAnswered(name, scenario.invokeTemplate());
          assertAnsweredOnce(sandbox, name);
        });
      }
    });
  }

  describe('the sandbox require', function () {
    for (const specifier of ['fs', 'http', 'node:child_process']) {
      it(`refuses the undeclared package ${specifier}`, function () {
        assert.throws(() => sandboxRequire(specifier), /not allowed/);
      });
    }

    it('allows the declared dependencies', function () {
      for (const name of DECLARED_PACKAGES) {
        assert.ok(sandboxRequire(name));
      }
    });

    it('is what server.js code sees as require', function () {
      const sandbox = loadServer(stub(), () => undefined);
      assert.throws(() => runInNewContext("require('fs')", sandbox), /not allowed/);
    });
  });
});
