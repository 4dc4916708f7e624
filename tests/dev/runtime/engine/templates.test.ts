import { strict as assert } from 'node:assert';
import { restore, useFakeTimers } from 'sinon';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine, EngineOptions } from '../../../../dev/runtime/engine/index';
import { answer, closedPort, createFixtureApp, startStubApi } from './fixtures';
import type { FixtureApp, StubApi } from './fixtures';

const FRESHSERVICE_HOST = '<%= iparam.freshservice_domain %>.freshservice.com';
const AUTH = { Authorization: 'Basic <%= encode(iparam.api_key + ":X") %>', 'Content-Type': 'application/json' };

function template(overrides: Record<string, unknown>, options?: Record<string, unknown>) {
  const schema = { method: 'GET', protocol: 'https', host: FRESHSERVICE_HOST, path: '/api/v2/agents', headers: AUTH, ...overrides };
  return options === undefined ? { schema } : { schema, options };
}

const TEMPLATES = {
  listAgents: template({ query: { page: '<%= context.page %>', per_page: '100' } }, { maxAttempts: 3, retryDelay: 1 }),
  getAgent: template({ path: '/api/v2/agents/<%= context.id %>' }),
  createNote: template({ method: 'POST', path: '/api/v2/notes' }),
  keyInPath: template({ path: '/api/v2/<%= iparam.api_key %>' }),
  keyInQuery: template({ query: { key: '<%= iparam.api_key %>' } }),
  teamInPath: template({ path: '/api/v2/teams/<%= iparam.team_name %>' }),
  contextInHost: template({ host: '<%= context.subdomain %>.freshservice.com' }),
  contextInHeader: template({ headers: { ...AUTH, 'X-Team': '<%= context.team %>' } }),
  plainHttpElsewhere: template({ protocol: 'http', host: 'example.com' }),
  ipHost: template({ host: '127.0.0.1' }),
  accountHost: template({ host: '<%= current_host.endpoint_urls.freshservice %>' }),
  noPath: { schema: { method: 'GET', host: FRESHSERVICE_HOST, headers: AUTH } },
  undeclared: template({}),
};

const SERVER = `
exports = {
  contextInHostFromServer: async function (args) {
    try {
      const result = await $request.invokeTemplate('contextInHost', { context: { subdomain: args.subdomain } });
      renderData(null, { status: result.status, body: JSON.parse(result.response) });
    } catch (error) {
      renderData({ status: error.status, message: error.message || error.response });
    }
  }
};`;

describe('engine: request templates', () => {
  let app: FixtureApp;
  let stub: StubApi;
  let engine: AppEngine | undefined;
  let logLines: string[];

  before(() => {
    app = createFixtureApp({
      server: SERVER,
      functions: ['contextInHostFromServer'],
      requests: TEMPLATES,
      declaredRequests: Object.keys(TEMPLATES).filter((name) => name !== 'undeclared'),
    });
  });

  after(() => app.remove());

  afterEach(async () => {
    restore();
    await engine?.close();
    engine = undefined;
    await stub?.stop();
  });

  async function start(script: Parameters<typeof startStubApi>[0], options: Partial<EngineOptions> = {}) {
    stub = await startStubApi(script);
    logLines = [];
    engine = await createAppEngine({
      appRoot: app.root,
      iparams: { freshservice_domain: 'acme', api_key: 'secret-key-123', team_name: 'ops' },
      store: createKeyValueStore(),
      freshserviceUrl: stub.url,
      log: (line) => logLines.push(line),
      ...options,
    });
    return engine;
  }

  it('renders iparams, encode() and context, routes the account host to freshserviceUrl and resolves the raw body', async () => {
    const running = await start([answer(200, '{"agents":[]}', { Link: '<x>; rel="next"' })]);
    const result = await running.invokeTemplate('listAgents', { context: { page: 2 } });
    assert.deepEqual(result.ok, true);
    const body = result.body as { status: number; headers: Record<string, string>; response: string };
    assert.equal(body.status, 200);
    assert.equal(body.response, '{"agents":[]}');
    assert.equal(body.headers['link'], '<x>; rel="next"');
    const [request] = stub.requests;
    assert.equal(request?.method, 'GET');
    assert.equal(request?.url, '/api/v2/agents?page=2&per_page=100');
    assert.equal(request?.headers['authorization'], `Basic ${Buffer.from('secret-key-123:X').toString('base64')}`);
    assert.deepEqual(logLines.length, 1);
    assert.match(logLines[0] ?? '', /^template listAgents 200 \d+ms$/);
  });

  it('substitutes context into the path and sends the body string', async () => {
    const running = await start([answer(200, '{}'), answer(201, '{"ok":true}')]);
    await running.invokeTemplate('getAgent', { context: { id: 21000049726 } });
    const created = await running.invokeTemplate('createNote', { body: '{"note":"hi"}' });
    assert.equal(stub.requests[0]?.url, '/api/v2/agents/21000049726');
    assert.equal(stub.requests[1]?.method, 'POST');
    assert.equal(stub.requests[1]?.body, '{"note":"hi"}');
    assert.equal((created.body as { status: number }).status, 201);
  });

  it('sends a template without protocol and path to https and /, their documented defaults', async () => {
    const running = await start([answer(200, '{}')]);
    const result = await running.invokeTemplate('noPath', {});
    assert.equal(result.ok, true, JSON.stringify(result.body));
    assert.equal(stub.requests[0]?.url, '/');
  });

  it('resolves current_host to the account host', async () => {
    const running = await start([answer(200, '{}')]);
    const result = await running.invokeTemplate('accountHost', {});
    assert.equal(result.ok, true);
    assert.equal(stub.requests.length, 1);
  });

  for (const name of ['keyInPath', 'keyInQuery']) {
    it(`rejects a secure iparam outside headers (${name}) with 400 PLATFORM, sending nothing`, async () => {
      const running = await start([]);
      const result = await running.invokeTemplate(name, {});
      assert.equal(result.ok, false);
      const body = result.body as { status: number; message: string; errorSource: string };
      assert.equal(body.status, 400);
      assert.equal(body.errorSource, 'PLATFORM');
      assert.match(body.message, /secure iparam "api_key" may only be used in headers/);
      assert.doesNotMatch(body.message, /secret-key-123/);
      assert.equal(stub.requests.length, 0);
    });
  }

  it('allows a non-secure iparam in the path', async () => {
    const running = await start([answer(200, '{}')]);
    const result = await running.invokeTemplate('teamInPath', {});
    assert.equal(result.ok, true);
    assert.equal(stub.requests[0]?.url, '/api/v2/teams/ops');
  });

  for (const name of ['contextInHost', 'contextInHeader']) {
    it(`rejects context outside path and query from the front end (${name})`, async () => {
      const running = await start([]);
      const result = await running.invokeTemplate(name, { context: { subdomain: 'acme', team: 'ops' } });
      const body = result.body as { status: number; message: string; errorSource: string };
      assert.equal(result.ok, false);
      assert.equal(body.status, 400);
      assert.equal(body.errorSource, 'PLATFORM');
      assert.match(body.message, /context may only be used in path and query/);
      assert.equal(stub.requests.length, 0);
    });
  }

  it('lets the installation page use context in the host and in headers', async () => {
    const running = await start([answer(200, '{"from":"install page"}'), answer(200, '{}')]);
    const host = await running.invokeInstallationTemplate('contextInHost', { context: { subdomain: 'acme' } });
    assert.equal(host.ok, true, JSON.stringify(host.body));
    assert.equal((host.body as { response: string }).response, '{"from":"install page"}');
    const header = await running.invokeInstallationTemplate('contextInHeader', { context: { team: 'ops' } });
    assert.equal(header.ok, true, JSON.stringify(header.body));
    assert.equal(stub.requests[1]?.headers['x-team'], 'ops');
  });

  it('lets server code use context anywhere (server rules)', async () => {
    const running = await start([answer(200, '{"from":"server"}')]);
    const result = await running.invokeServerMethod('contextInHostFromServer', { subdomain: 'acme' });
    assert.deepEqual(result.body, { requestID: (result.body as { requestID: string }).requestID, response: { status: 200, body: { from: 'server' } } });
  });

  it('under the raw reading (the default: Freshworks\' sample substitutes whole paths), lets a context value leave its path segment, as FDK may', async () => {
    const running = await start([answer(200, '{}'), answer(200, '{}')]);
    await running.invokeTemplate('getAgent', { context: { id: '../roles' } });
    await running.invokeTemplate('getAgent', { context: { id: '1/../../tickets' } });
    assert.deepEqual(stub.requests.map((request) => request.url), ['/api/v2/roles', '/api/v2/tickets'], 'a template with a caller\'s value in its path reaches other endpoints');
  });

  for (const id of ['../roles', '1/../../roles', '..', '7?page=2', '7#x', 'a\\b']) {
    it(`under the segment reading, rejects a context value that would leave its path segment (${id})`, async () => {
      const running = await start([], { contextInPath: 'segment' });
      const result = await running.invokeTemplate('getAgent', { context: { id } });
      assert.equal(result.ok, false);
      assert.equal((result.body as { status: number }).status, 400);
      assert.match((result.body as { message: string }).message, /single path segment/);
      assert.equal(stub.requests.length, 0);
    });
  }

  it('rejects a context value that is missing with 400 PLATFORM', async () => {
    const running = await start([]);
    const result = await running.invokeTemplate('getAgent', {});
    assert.equal((result.body as { status: number }).status, 400);
    assert.match((result.body as { message: string }).message, /context\.id has no value/);
  });

  it('rejects a template missing from requests.json or from the manifest', async () => {
    const running = await start([]);
    for (const name of ['notThere', 'undeclared']) {
      const result = await running.invokeTemplate(name, {});
      assert.equal(result.ok, false);
      assert.equal((result.body as { status: number }).status, 400);
    }
    assert.equal(stub.requests.length, 0);
  });

  it('refuses plain http to a host that is not the routed Freshservice, and IP hosts', async () => {
    const running = await start([]);
    const http = await running.invokeTemplate('plainHttpElsewhere', {});
    assert.equal((http.body as { status: number }).status, 403);
    const ip = await running.invokeTemplate('ipHost', {});
    assert.equal((ip.body as { status: number }).status, 400);
    assert.equal(stub.requests.length, 0);
  });

  it('retries a 429 and resolves when a later attempt succeeds', async () => {
    const running = await start([answer(429, '{"message":"slow down"}', { 'Retry-After': '1' }), answer(200, '{"agents":[1]}')]);
    const result = await running.invokeTemplate('listAgents', { context: { page: 1 } });
    assert.equal(result.ok, true);
    assert.equal((result.body as { response: string }).response, '{"agents":[1]}');
    assert.equal(stub.requests.length, 2);
  });

  it('rejects a 500 with errorSource APP after maxAttempts attempts', async () => {
    const failing = answer(500, '{"code":"internal_error"}');
    const running = await start([failing, failing, failing, answer(200, '{}')]);
    const result = await running.invokeTemplate('listAgents', { context: { page: 1 } });
    assert.equal(result.ok, false);
    const body = result.body as Record<string, unknown>;
    assert.equal(body['status'], 500);
    assert.equal(body['errorSource'], 'APP');
    assert.equal(body['attempts'], 3);
    assert.equal(body['response'], '{"code":"internal_error"}');
    assert.equal(typeof body['headers'], 'object');
    assert.equal(stub.requests.length, 3);
  });

  it('does not retry a 404 and rejects it at once', async () => {
    const running = await start([answer(404, '{"code":"not_found"}')]);
    const result = await running.invokeTemplate('listAgents', { context: { page: 1 } });
    assert.equal((result.body as { status: number; attempts: number }).attempts, 1);
    assert.equal(stub.requests.length, 1);
  });

  it('times out after 15 s with 504 PLATFORM', async () => {
    const running = await start([
      () => {
        // hang: never answer
      },
    ]);
    const clock = useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const arrived = stub.nextRequest();
    const pending = running.invokeTemplate('getAgent', { context: { id: 1 } });
    await arrived;
    await clock.tickAsync(14_999);
    let settled = false;
    void pending.then(() => (settled = true));
    await clock.tickAsync(0);
    assert.equal(settled, false);
    await clock.tickAsync(1);
    const result = await pending;
    assert.equal(result.ok, false);
    assert.deepEqual(
      { status: (result.body as { status: number }).status, source: (result.body as { errorSource: string }).errorSource },
      { status: 504, source: 'PLATFORM' },
    );
  });

  it('rejects a refused connection with 502 PLATFORM', async () => {
    const port = await closedPort();
    await start([], { freshserviceUrl: `http://127.0.0.1:${port}` });
    const result = await (engine as AppEngine).invokeTemplate('getAgent', { context: { id: 1 } });
    const body = result.body as { status: number; errorSource: string; attempts: number; message: string };
    assert.equal(body.status, 502);
    assert.equal(body.errorSource, 'PLATFORM');
    assert.equal(body.attempts, 1);
    assert.match(body.message, /ECONNREFUSED/);
  });

  it('allows 50 template requests a minute across the installation, then rejects with 429 PLATFORM', async () => {
    let now = 1_000_000;
    const running = await start([], { now: () => now });
    for (let index = 0; index < 50; index += 1) {
      const result = await running.invokeTemplate('getAgent', { context: { id: index } });
      assert.equal(result.ok, true);
    }
    const refused = await running.invokeTemplate('getAgent', { context: { id: 51 } });
    assert.equal(refused.ok, false);
    assert.equal((refused.body as { status: number }).status, 429);
    assert.equal((refused.body as { errorSource: string }).errorSource, 'PLATFORM');
    assert.equal(stub.requests.length, 50);
    now += 60_001;
    assert.equal((await running.invokeTemplate('getAgent', { context: { id: 52 } })).ok, true);
  });

  it('never writes iparams, keys or headers to the log', async () => {
    const running = await start([answer(401, '{"code":"invalid_credentials"}')]);
    await running.invokeTemplate('getAgent', { context: { id: 7 } });
    await running.invokeTemplate('keyInPath', {});
    const everything = logLines.join('\n');
    assert.equal(logLines.length, 2);
    assert.doesNotMatch(everything, /secret-key-123|c2VjcmV0|Basic|invalid_credentials/);
  });
});
