import { strict as assert } from 'node:assert';
import { restore, useFakeTimers } from 'sinon';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine, EngineOptions } from '../../../../dev/runtime/engine/index';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import type { KeyValueStore } from '#server/platform';
import { createFixtureApp } from './fixtures';
import type { FixtureApp } from './fixtures';

/** Handlers that record what they received in $db (key = the event), or answer the way a test needs. */
const SERVER = `
exports = {
  record: function (args) {
    $db.set(args.event, { args: args, ownRealm: Object.getPrototypeOf(args) === Object.prototype }).then(function () { renderData(); });
  },
  refuse: function () {
    renderData({ message: 'A mandatory set-up step failed' });
  },
  silent: function () {
    return 1;
  },
  throws: function () {
    throw new Error('the handler broke');
  },
  undeclared: function (args) {
    $db.set('undeclared', { ran: true }).then(function () { renderData(); });
  }
};
`;

const EVENTS = {
  common: { onAppInstall: 'record', afterAppUpdate: 'refuse', onScheduledEvent: 'silent', onAppUninstall: 'throws', onExternalEvent: 'missingHandler' },
  service_user: { onUserUpdate: 'record' },
};

const IPARAMS = { freshservice_domain: 'acme', api_key: 'SecretKeyValue123', team_name: 'Ops' };

describe('engine: events (app set-up, scheduled and product events)', () => {
  let app: FixtureApp;
  let engine: AppEngine | undefined;
  let store: KeyValueStore;
  let logs: string[];

  before(() => {
    // The template tells the engine which iparam holds the subdomain (currentHost.endpoint_urls).
    const whoAmI = { schema: { method: 'GET', host: '<%= iparam.freshservice_domain %>.freshservice.com', path: '/api/v2/agents/me' } };
    app = createFixtureApp({ server: SERVER, events: EVENTS, requests: { whoAmI } });
  });

  after(() => app.remove());

  afterEach(async () => {
    restore();
    await engine?.close();
    engine = undefined;
  });

  async function start(options: Partial<EngineOptions> = {}): Promise<AppEngine> {
    logs = [];
    store = createKeyValueStore();
    engine = await createAppEngine({ appRoot: app.root, iparams: IPARAMS, store, log: (line) => logs.push(line), ...options });
    return engine;
  }

  async function recorded(event: string): Promise<{ args: Record<string, unknown>; ownRealm: boolean }> {
    return (await store.get(event)) as { args: Record<string, unknown>; ownRealm: boolean };
  }

  it("delivers a declared set-up event to its handler with FDK's envelope and secure iparams, and logs one line without them", async () => {
    const running = await start({ now: () => 1_700_000_000_500 });
    const outcome = await running.invokeEvent('onAppInstall', { iparams: { api_key: 'forged' }, event: 'forged' });
    assert.deepEqual(outcome, { delivered: true, ok: true, status: 200, message: null });
    const { args, ownRealm } = await recorded('onAppInstall');
    assert.equal(ownRealm, true, "the payload is an object of the sandbox's realm");
    assert.deepEqual(args, {
      currentHost: { subscribed_modules: ['service_user'], endpoint_urls: { freshservice: 'https://acme.freshservice.com' } },
      event: 'onAppInstall',
      iparams: IPARAMS,
      region: 'us-east-1',
      timestamp: 1_700_000_000.5,
    });
    assert.equal(logs.filter((line) => line.startsWith('event ')).length, 1);
    assert.match(logs.find((line) => line.startsWith('event ')) ?? '', /^event onAppInstall 200 \d+ms$/);
    assert.ok(logs.every((line) => !line.includes('SecretKeyValue123') && !line.includes('forged')));
  });

  it('delivers a product event declared under service_user with its data', async () => {
    const running = await start();
    const data = { user: { id: 7, active: false }, changes: { active: [true, false] }, actor: { id: 1, name: 'Ana', type: 0 } };
    assert.equal((await running.invokeEvent('onUserUpdate', { data })).ok, true);
    const { args } = await recorded('onUserUpdate');
    assert.deepEqual(args['data'], data);
    assert.equal(args['event'], 'onUserUpdate');
    assert.ok(logs.every((line) => !line.includes('Ana')), 'never the payload in the log');
  });

  it('does not deliver an event the manifest does not declare, even when server.js exports a function of that name', async () => {
    const running = await start();
    const outcome = await running.invokeEvent('undeclared', { data: {} });
    assert.deepEqual({ delivered: outcome.delivered, status: outcome.status }, { delivered: false, status: 404 });
    const created = await running.invokeEvent('onUserCreate', { data: {} });
    assert.equal(created.delivered, false);
    await assert.rejects(store.get('undeclared'), (error: { status?: number }) => error.status === 404);
    assert.ok(logs.some((line) => /^event onUserCreate 404 \d+ms \(not delivered\)$/.test(line)));
  });

  it('does not deliver an event whose declared handler server.js does not export', async () => {
    const running = await start();
    const outcome = await running.invokeEvent('onExternalEvent', { data: {} });
    assert.equal(outcome.delivered, false);
    assert.match(outcome.message ?? '', /missingHandler/);
  });

  it("reports a handler's renderData({ message }) (a refused install or update) and a throw", async () => {
    const running = await start();
    const refused = await running.invokeEvent('afterAppUpdate', {});
    assert.deepEqual({ delivered: refused.delivered, ok: refused.ok, message: refused.message }, { delivered: true, ok: false, message: 'A mandatory set-up step failed' });
    const thrown = await running.invokeEvent('onAppUninstall', {});
    assert.deepEqual({ ok: thrown.ok, status: thrown.status }, { ok: false, status: 500 });
    assert.ok(logs.some((line) => line.includes('the handler broke')), 'the error goes to the log');
  });

  it('times out a handler that never calls renderData after 20 s with 504', async () => {
    const running = await start();
    const clock = useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let settled = false;
    const pending = running.invokeEvent('onScheduledEvent', { data: {} }).finally(() => {
      settled = true;
    });
    await clock.tickAsync(19_999);
    assert.equal(settled, false, 'still running after 19,999 ms');
    await clock.tickAsync(1);
    assert.deepEqual({ delivered: (await pending).delivered, status: (await pending).status }, { delivered: true, status: 504 });
  });

  it('keeps a shorter event limit given for tests', async () => {
    const running = await start({ limits: { eventTimeoutMs: 30 } });
    assert.equal((await running.invokeEvent('onScheduledEvent', { data: {} })).status, 504);
  });

  it('does not deliver a product event payload over 256 KB', async () => {
    const running = await start();
    const outcome = await running.invokeEvent('onUserUpdate', { data: { user: { id: 1, note: 'x'.repeat(256 * 1024) } } });
    assert.deepEqual({ delivered: outcome.delivered, status: outcome.status }, { delivered: false, status: 413 });
  });
});
