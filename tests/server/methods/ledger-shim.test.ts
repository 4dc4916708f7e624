import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { restore, stub, type SinonStub } from 'sinon';
import type { ApiKeyRecord, AuditTrailPage } from '../../../common/ledger';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, standardRoles } from '../freshservice/fixtures';

/**
 * The ledger through the shipped server/server.js, loaded as FDK loads it (a bare
 * `exports = {...}` in a sandbox with $request, $db and renderData), with the real agent
 * directory over scripted Freshservice answers and the FDK-like store with its rate limit on.
 * Needs server/lib, built by `tsc -p tsconfig.server.json`.
 */
const SERVER_FILE = resolve(__dirname, '../../../../server/server.js');
const ADMIN = 21000049726;
const REQUESTER = 21000049727;

type Method = (args: Record<string, unknown>) => Promise<void>;

function loadServer(request: FakeRequest, store: MemoryKeyValueStore, replies: unknown[][]): Record<string, Method> {
  const sandbox: Record<string, unknown> & { exports: Record<string, Method> } = {
    exports: {},
    $request: request,
    $db: store,
    renderData: (...args: unknown[]) => replies.push(args),
    console,
    require: createRequire(SERVER_FILE),
  };
  runInNewContext(readFileSync(SERVER_FILE, 'utf8'), sandbox);
  return sandbox.exports;
}

describe('server/server.js (as FDK loads it): ledger methods', () => {
  // server.js requires ./lib through Node, so those modules log through the process console, not the sandbox's.
  let logs: SinonStub[] = [];
  beforeEach(() => {
    logs = [stub(console, 'error'), stub(console, 'warn'), stub(console, 'log'), stub(console, 'info'), stub(console, 'debug')];
  });
  afterEach(() => restore());

  it('records a request and an Account Admin enabling it, re-reading both agents from Freshservice', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script(
        'getAgent',
        ok({ agent: agent(REQUESTER) }),
        ok({ agent: agent(ADMIN, { roles: [assignment(ROLE_IDS.accountAdmin)] }) }),
        ok({ agent: agent(REQUESTER) }),
      );
    const store = new MemoryKeyValueStore();
    const replies: unknown[][] = [];
    const methods = loadServer(request, store, replies);
    const iparams = { freshservice_domain: 'acme', api_key: 'k-ledger-never-logged' };

    await methods.requestApiKey?.({ actorId: REQUESTER, reason: 'nightly export', iparams });
    await methods.recordApiKeyAction?.({ actorId: ADMIN, targetId: REQUESTER, action: 'enabled', iparams });
    await methods.getAuditTrail?.({ iparams });
    // The requester's id is 31 mod 32: the last bucket of the states index.
    await methods.listApiKeyStates?.({ cursor: 's24', iparams });

    assert.equal(replies.length, 4);
    assert.deepEqual(replies.map(([error]) => error), [null, null, null, null]);
    assert.equal((replies[0]?.[1] as ApiKeyRecord).state, 'requested');
    const enabled = replies[1]?.[1] as ApiKeyRecord;
    assert.equal(enabled.state, 'enabled');
    assert.equal(enabled.decidedBy?.id, ADMIN);
    assert.deepEqual((replies[2]?.[1] as AuditTrailPage).entries.map((e) => e.action), ['enabled', 'requested']);
    assert.deepEqual(replies[3]?.[1], { states: [{ agentId: REQUESTER, state: 'enabled', updatedAt: enabled.updatedAt }], cursor: null });
    assert.deepEqual(request.callsTo('getAgent').map((call) => call.context['agent_id']), [REQUESTER, ADMIN, REQUESTER]);
    assert.ok(store.operations.length <= 50, `${store.operations.length} $db operations stay within one minute's limit`);
    const logged = logs.flatMap((log) => log.getCalls().map((call) => JSON.stringify(call.args))).join('\n');
    assert.ok(!logged.includes(iparams.api_key), 'the api_key iparam was logged');
  });
});
