import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { MemoryStore } from '../audit/memoryStore';
import { FakeRequest, ok } from '../fakes/request';
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
  });
});
