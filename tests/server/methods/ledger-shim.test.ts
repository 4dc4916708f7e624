import { strict as assert } from 'node:assert';
import type { ApiKeyHistoryPage, ApiKeyIndexPage, ApiKeyRecord } from '#common/ledger';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, emailOf, standardRoles } from '../freshservice/fixtures';
import { recordConsole } from './recorded-console';
import { loadShippedServer, type ShippedMethod } from './shipped-server';

/**
 * The ledger through the shipped server/server.js, loaded as FDK loads it (a bare
 * `exports = {...}` in a sandbox with $request, $db and renderData), with the real agent
 * directory over scripted Freshservice answers and the FDK-like store with its rate limit on.
 * Needs server/lib, built by `tsc -p tsconfig.server.json`.
 */
const ADMIN = 21000049726;
const REQUESTER = 21000049727;

function actor(id: number): { actorId: number; actorEmail: string } {
  return { actorId: id, actorEmail: emailOf(id) };
}

function target(id: number): { targetId: number; targetEmail: string } {
  return { targetId: id, targetEmail: emailOf(id) };
}

function loadServer(request: FakeRequest, store: MemoryKeyValueStore, replies: unknown[][]): Record<string, ShippedMethod> {
  return loadShippedServer({ $request: request, $db: store, renderData: (...args: unknown[]) => replies.push(args) });
}

describe('server/server.js (as FDK loads it): ledger methods', () => {
  // server.js requires ./lib through Node, so those modules log through the process console, not the sandbox's.
  const logged = recordConsole(['error', 'warn', 'log', 'info', 'debug']);

  it('records a request and an Account Admin enabling it, re-reading both agents from Freshservice', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script(
        'findAgentByEmail',
        ok({ agents: [agent(REQUESTER)] }),
        ok({ agents: [agent(ADMIN, { roles: [assignment(ROLE_IDS.accountAdmin)] })] }),
        ok({ agents: [agent(REQUESTER)] }),
      );
    const store = new MemoryKeyValueStore();
    const replies: unknown[][] = [];
    const methods = loadServer(request, store, replies);
    const iparams = { freshservice_domain: 'acme', api_key: 'k-ledger-never-logged', storage_secret: 's-storage-secret-never-logged-0123456789' };

    await methods.requestApiKey?.({ ...actor(REQUESTER), reason: 'nightly export', iparams });
    await methods.recordApiKeyAction?.({ ...actor(ADMIN), ...target(REQUESTER), action: 'enabled', iparams });
    await methods.getApiKeyHistory?.({ agentId: REQUESTER, iparams });
    await methods.listApiKeyIndex?.({ iparams });

    assert.equal(replies.length, 4);
    assert.deepEqual(replies.map(([error]) => error), [null, null, null, null]);
    assert.equal((replies[0]?.[1] as ApiKeyRecord).state, 'requested');
    const enabled = replies[1]?.[1] as ApiKeyRecord;
    assert.equal(enabled.state, 'enabled');
    assert.equal(enabled.decidedBy?.id, ADMIN);
    assert.deepEqual((replies[2]?.[1] as ApiKeyHistoryPage).entries.map((e) => e.action), ['enabled', 'requested']);
    assert.deepEqual((replies[3]?.[1] as ApiKeyIndexPage).entries.map((entry) => [entry.agentId, entry.state, entry.updatedAt]), [[REQUESTER, 'enabled', enabled.updatedAt]]);
    assert.deepEqual(request.callsTo('findAgentByEmail').map((call) => call.context['email']), [emailOf(REQUESTER), emailOf(ADMIN), emailOf(REQUESTER)]);
    assert.match(logged(), new RegExp(`recordApiKeyAction: enabled as agent ${ADMIN} \\(claimed by the browser\\) on agent ${REQUESTER}: record version 2, `), 'each change is logged for an investigation');
    assert.ok(!logged().includes('nightly export'), 'never the reason');
    assert.ok(store.operations.length <= 50, `${store.operations.length} $db operations stay within one minute's limit`);
    assert.ok(!logged().includes(iparams.api_key), 'the api_key iparam was logged');
    assert.ok(!logged().includes(iparams.storage_secret), 'the storage secret was logged');
    assert.ok(!JSON.stringify(store.snapshot()).includes(iparams.storage_secret), 'the storage secret is never stored');
  });
});
