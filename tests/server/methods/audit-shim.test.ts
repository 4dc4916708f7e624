import { strict as assert } from 'node:assert';
import { MemoryStore } from '../audit/memoryStore';
import { FakeRequest, fail, ok } from '../fakes/request';
import { agent, emailOf, standardRoles } from '../freshservice/fixtures';
import { recordConsole } from './recorded-console';
import { loadShippedServer, type FdkGlobals, type ShippedMethod } from './shipped-server';

/** The audit methods through the shipped server/server.js, loaded as FDK loads it, each load with an empty $db. */
function loadServer(request: FakeRequest, renderData: FdkGlobals['renderData']): Record<string, ShippedMethod> {
  return loadShippedServer({ $request: request, $db: new MemoryStore(), renderData });
}

describe('server/server.js (as FDK loads it): audit methods', () => {
  // server.js requires ./lib through Node, so those modules log through the process console, not the sandbox's.
  const logged = recordConsole(['error', 'warn', 'log', 'info', 'debug']);

  it('exposes getAccessOverview and getUserAccess', () => {
    const methods = loadServer(new FakeRequest(), () => undefined);
    for (const name of ['getAccessOverview', 'getUserAccess']) {
      assert.equal(typeof methods[name], 'function', name);
    }
  });

  it('answers getUserAccess through renderData with the FDK globals', async () => {
    const request = new FakeRequest().script('findAgentByEmail', ok({ agents: [agent(21000049726)] })).script('listRoles', ok({ roles: standardRoles() }));
    const replies: unknown[][] = [];
    const methods = loadServer(request, (...args) => replies.push(args));
    await methods.getUserAccess?.({ email: emailOf(21000049726), iparams: { freshservice_domain: 'acme', api_key: 'k' } });
    assert.equal(replies.length, 1);
    const [error, data] = replies[0] ?? [];
    assert.equal(error, null);
    assert.equal((data as { kind: string }).kind, 'agent');
  });

  it('logs a failure by code and status, never the api_key iparam', async () => {
    const request = new FakeRequest().script('findAgentByEmail', fail(401, { message: 'unauthorized' }));
    const replies: unknown[][] = [];
    const methods = loadServer(request, (...args) => replies.push(args));
    await methods.getUserAccess?.({ email: emailOf(21000049726), iparams: { freshservice_domain: 'acme', api_key: 'k-logged-nowhere' } });
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
