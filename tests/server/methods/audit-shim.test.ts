import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { restore, stub, type SinonStub } from 'sinon';
import { MemoryStore } from '../audit/memoryStore';
import { FakeRequest, fail, ok } from '../fakes/request';
import { agent, standardRoles } from '../freshservice/fixtures';

/**
 * Loads the shipped server/server.js the way FDK does (a bare `exports = {...}` run in a
 * sandbox with $request, $db and renderData) and calls the audit methods through it.
 * Needs server/lib, built by `tsc -p tsconfig.server.json`.
 */
const SERVER_FILE = resolve(__dirname, '../../../../server/server.js');

interface Sandbox {
  exports: Record<string, (args: Record<string, unknown>) => Promise<void>>;
}

function loadServer(request: FakeRequest, renderData: (error: unknown, data?: unknown) => void): Sandbox['exports'] {
  const sandbox: Sandbox & Record<string, unknown> = {
    exports: {},
    $request: request,
    $db: new MemoryStore(),
    renderData,
    console,
    require: createRequire(SERVER_FILE),
  };
  runInNewContext(readFileSync(SERVER_FILE, 'utf8'), sandbox);
  return sandbox.exports;
}

describe('server/server.js (as FDK loads it): audit methods', () => {
  // server.js requires ./lib through Node, so those modules log through the process console, not the sandbox's.
  let logs: SinonStub[] = [];
  beforeEach(() => {
    logs = [stub(console, 'error'), stub(console, 'warn'), stub(console, 'log'), stub(console, 'info'), stub(console, 'debug')];
  });
  afterEach(() => restore());

  function logged(): string {
    return logs.flatMap((log) => log.getCalls().map((call) => JSON.stringify(call.args))).join('\n');
  }

  it('exposes getAccessOverview, getUserAccess and listAccountAdmins', () => {
    const methods = loadServer(new FakeRequest(), () => undefined);
    for (const name of ['getAccessOverview', 'getUserAccess', 'listAccountAdmins']) {
      assert.equal(typeof methods[name], 'function', name);
    }
  });

  it('answers getUserAccess through renderData with the FDK globals', async () => {
    const request = new FakeRequest().script('getAgent', ok({ agent: agent(21000049726) })).script('listRoles', ok({ roles: standardRoles() }));
    const replies: unknown[][] = [];
    const methods = loadServer(request, (...args) => replies.push(args));
    await methods.getUserAccess?.({ userId: 21000049726, iparams: { freshservice_domain: 'acme', api_key: 'k' } });
    assert.equal(replies.length, 1);
    const [error, data] = replies[0] ?? [];
    assert.equal(error, null);
    assert.equal((data as { kind: string }).kind, 'agent');
  });

  it('logs a failure by code and status, never the api_key iparam', async () => {
    const request = new FakeRequest().script('getAgent', fail(401, { message: 'unauthorized' }));
    const replies: unknown[][] = [];
    const methods = loadServer(request, (...args) => replies.push(args));
    await methods.getUserAccess?.({ userId: 21000049726, iparams: { freshservice_domain: 'acme', api_key: 'k-logged-nowhere' } });
    assert.equal((replies[0]?.[0] as { status: number }).status, 401);
    assert.match(logged(), /getUserAccess failed: \w+ \(401\)/);
    assert.doesNotMatch(logged(), /k-logged-nowhere/);
  });

  it('runs getAccessOverview to the end through renderData, its cursor signed with js-sha256 under the api_key iparam', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: [agent(21000049726)] }));
    const replies: unknown[][] = [];
    const methods = loadServer(request, (...args) => replies.push(args));
    const iparams = { freshservice_domain: 'acme', api_key: 'k-0123' };
    await methods.getAccessOverview?.({ cursor: null, iparams });
    const first = replies[0]?.[1] as { cursor: string };
    assert.match(first.cursor, /^[0-9a-f]{64}\./);
    await methods.getAccessOverview?.({ cursor: first.cursor, iparams });
    const [error, last] = replies[1] ?? [];
    assert.equal(error, null);
    assert.deepEqual([(last as { cursor: unknown }).cursor, (last as { agents: unknown[] }).agents.length], [null, 1]);
    assert.doesNotMatch(logged(), /k-0123/);
  });
});
