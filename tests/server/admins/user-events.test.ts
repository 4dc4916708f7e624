import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { scanStep, startScan } from '#server/admins/scan';
import { applyUserEvent, type UserEventName } from '#server/admins/user-events';
import { FakeRequest, ok } from '../fakes/request';
import { headOf, testStorage } from '../fakes/storage';
import { ROLE_IDS, agent, agentsWithEmail, assignment, emailOf, standardRoles } from '../freshservice/fixtures';

const ANA = 21000049726;
const CHLOE = 21000049728;
const RAHUL = 21000049729;

/** Freshservice as it is after the change the event reports. */
function freshservice(agents: Record<string, unknown>[]): FakeRequest {
  return new FakeRequest()
    .respond('listRoles', () => ok({ roles: standardRoles() }))
    .respond('listAgents', () => ok({ agents }))
    .respond('findAgentByEmail', (context) => ok(agentsWithEmail(agents, context['email'])));
}

/** An event payload shaped like FDK's samples (data.user with account-wide roles). */
function userPayload(id: number, roleIds: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    data: {
      user: {
        id,
        active: true,
        deleted: false,
        forgotten: false,
        first_name: `Agent${id}`,
        last_name: null,
        primary_email: `agent${id}@acme.example`,
        license_type: 'it_agent',
        agent_access: { account_wide_access: { account_wide_roles: roleIds.map((roleId) => ({ id: roleId, name: 'role', role_type: 'admin_and_data' })) }, workspace_access: null },
        requester_access: null,
        ...extra,
      },
      changes: {},
      actor: { id: 1, name: 'Someone', type: 0 },
    },
  };
}

describe('user events keep the Account Admins list current, one agent at a time', () => {
  let store: MemoryKeyValueStore;
  let time: number;

  /** An installation whose first scan found Ana as the only Account Admin. */
  async function scanned(): Promise<void> {
    const request = freshservice([agent(ANA, { roles: [assignment(ROLE_IDS.accountAdmin)] }), agent(CHLOE, { roles: [assignment(ROLE_IDS.admin)] }), agent(RAHUL)]);
    const deps = { request, storage: testStorage(store), now: () => time };
    assert.equal(await scanStep(deps, await startScan(deps)), 'done');
  }

  async function event(name: UserEventName, payload: unknown, request = freshservice([])): Promise<FakeRequest> {
    await applyUserEvent(name, payload, { request, storage: testStorage(store), now: () => time });
    return request;
  }

  async function listed(): Promise<number[]> {
    return ((await headOf(store)).accountAdmins?.admins ?? []).map((admin) => admin.id).sort();
  }

  beforeEach(async () => {
    stub(console, 'warn');
    time = Date.UTC(2026, 10, 30, 9, 0, 0);
    store = new MemoryKeyValueStore({ operationsPerMinute: 0, now: () => time });
    await scanned();
  });
  afterEach(() => restore());

  it('lists an agent made Account Admin, from the roles in the payload: no template request beyond the cached roles', async () => {
    const request = await event('onUserUpdate', userPayload(CHLOE, [ROLE_IDS.accountAdmin, ROLE_IDS.admin]));
    assert.deepEqual(await listed(), [ANA, CHLOE]);
    assert.deepEqual(request.names(), []);
    const chloe = (await headOf(store)).accountAdmins?.admins.find((admin) => admin.id === CHLOE);
    assert.deepEqual([chloe?.name, chloe?.email, chloe?.otherAdminRole], [`Agent${CHLOE}`, `agent${CHLOE}@acme.example`, true]);
  });

  it('removes an Account Admin who lost the role, was deactivated, became a requester or was deleted', async () => {
    const cases: [UserEventName, Record<string, unknown>][] = [
      ['onUserUpdate', userPayload(ANA, [ROLE_IDS.admin])],
      ['onUserUpdate', userPayload(ANA, [ROLE_IDS.accountAdmin], { active: false })],
      ['onUserUpdate', userPayload(ANA, [], { license_type: 'requester', agent_access: null, requester_access: {} })],
      ['onUserDelete', userPayload(ANA, [ROLE_IDS.accountAdmin], { deleted: true, forgotten: true })],
    ];
    for (const [name, payload] of cases) {
      await scanned();
      assert.deepEqual(await listed(), [ANA]);
      await event(name, payload);
      assert.deepEqual(await listed(), [], `${name} ${JSON.stringify(payload).slice(0, 80)}`);
    }
  });

  it('re-reads the agent by the event\'s email (one request) when the payload does not say their roles clearly: workspace roles, or another shape', async () => {
    const now = [agent(CHLOE, { roles: [assignment(ROLE_IDS.accountAdmin, 'entire_helpdesk', 2)] })];
    const workspace = await event('onUserUpdate', userPayload(CHLOE, [], { agent_access: { account_wide_access: null, workspace_access: { workspaces: [] } } }), freshservice(now));
    assert.deepEqual(workspace.names(), ['findAgentByEmail']);
    assert.deepEqual(workspace.callsTo('findAgentByEmail')[0]?.context, { email: emailOf(CHLOE) });
    assert.deepEqual(await listed(), [ANA, CHLOE], 'an Account Admin in a workspace counts');
    const bare = await event('onUserUpdate', { data: { user: { id: CHLOE, primary_email: emailOf(CHLOE) } } }, freshservice([agent(CHLOE)]));
    assert.deepEqual(bare.names(), ['findAgentByEmail']);
    assert.deepEqual(await listed(), [ANA]);
  });

  it('with neither roles nor an email in the payload, looks nobody up (no template takes an id) and leaves the list to the next scan', async () => {
    await event('onUserUpdate', userPayload(CHLOE, [ROLE_IDS.accountAdmin]));
    const bare = await event('onUserUpdate', { data: { user: { id: CHLOE } } }, freshservice([agent(CHLOE)]));
    assert.deepEqual(bare.names(), []);
    assert.deepEqual(await listed(), [ANA, CHLOE]);
  });

  it('costs nothing more when the event changes nothing: an agent without the role, or an admin whose details are the same', async () => {
    const before = store.operations.length;
    await event('onUserUpdate', userPayload(RAHUL, [ROLE_IDS.sdAgent]));
    await event('onUserUpdate', { data: { user: { id: ANA, active: true, primary_email: `agent${ANA}@acme.example`, first_name: `Agent${ANA}`, last_name: null, agent_access: { account_wide_access: { account_wide_roles: [{ id: ROLE_IDS.accountAdmin }] } } } } });
    assert.deepEqual(store.operations.slice(before).map((operation) => operation.operation), ['get', 'get'], 'one head read each, no write');
  });

  it('ignores a payload without a user id, and an installation with nothing recorded yet (the scan will read the agent)', async () => {
    await event('onUserUpdate', { data: { user: { id: 'x' } } });
    await event('onUserCreate', 'junk');
    assert.deepEqual(await listed(), [ANA]);
    store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    await event('onUserUpdate', userPayload(CHLOE, [ROLE_IDS.accountAdmin]));
    assert.equal((await headOf(store)).accountAdmins, null);
  });

  it('a scan finishing after an event keeps what the event recorded', async () => {
    const deps = { request: freshservice([agent(ANA, { roles: [assignment(ROLE_IDS.accountAdmin)] })]), storage: testStorage(store), now: () => time };
    time += 60_000;
    const scan = await startScan(deps);
    time += 1_000;
    await event('onUserUpdate', userPayload(CHLOE, [ROLE_IDS.accountAdmin]));
    time += 1_000;
    await scanStep({ ...deps, storage: testStorage(store) }, scan);
    assert.deepEqual(await listed(), [ANA, CHLOE]);
  });
});
