import { strict as assert } from 'node:assert';
import { demoAccountFacts, startSimulator, type RunningSimulator, type SimAgent, type SimUserEvent } from '../../../dev/simulator/index';
import { bodyOf, call } from './http';

const facts = demoAccountFacts();
const ADMIN = facts.keys.accountAdmin;
const ACCOUNT_ADMIN_ROLE = facts.accountAdminRoleId as number;

type UserPayload = {
  id: number;
  active: boolean;
  deleted: boolean;
  forgotten: boolean;
  primary_email: string | null;
  license_type: string;
  agent_access: { account_wide_access: { account_wide_roles: { id: number; name: string; role_type: unknown; scope: string }[] }; workspace_access: unknown } | null;
  requester_access: unknown;
};

describe('simulator control API: agent changes and the user events they send', () => {
  let sim: RunningSimulator;
  let events: SimUserEvent[];
  const control = (method: string, path: string, body?: unknown) =>
    call(`${sim.url}/_simulator/agents${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const agentFromApi = async (id: number) => call(`${sim.url}/api/v2/agents/${id}`, { key: ADMIN });
  const userOf = (event: SimUserEvent | undefined): UserPayload => (event?.payload.data['user'] ?? {}) as UserPayload;

  beforeEach(async () => {
    sim = await startSimulator();
    events = [];
    sim.onUserEvent((event) => {
      events.push(event);
    });
  });
  afterEach(() => sim.stop());

  it("replaces an agent's roles: the API serves them, and onUserUpdate carries the user as FDK's samples show it", async () => {
    const [agentId] = facts.adminsWithoutAccountAdminIds.filter((id) => !facts.workspaceRoleAgentIds.includes(id)) as [number];
    const roles = [{ role_id: ACCOUNT_ADMIN_ROLE, assignment_scope: 'entire_helpdesk' }];
    const answer = await control('PUT', `/${agentId}/roles`, { roles });
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(bodyOf<{ event: string; listeners: number }>(answer).event, 'onUserUpdate');
    assert.deepEqual(bodyOf<{ agent: SimAgent }>(await agentFromApi(agentId)).agent.roles, [{ role_id: ACCOUNT_ADMIN_ROLE, assignment_scope: 'entire_helpdesk', groups: [] }]);

    assert.equal(events.length, 1);
    const event = events[0];
    assert.equal(event?.name, 'onUserUpdate');
    const user = userOf(event);
    assert.deepEqual(
      { id: user.id, active: user.active, deleted: user.deleted, forgotten: user.forgotten, license_type: user.license_type, requester_access: user.requester_access },
      { id: agentId, active: true, deleted: false, forgotten: false, license_type: 'it_agent', requester_access: null },
    );
    assert.equal(typeof user.primary_email, 'string');
    assert.deepEqual(user.agent_access?.account_wide_access.account_wide_roles.map((role) => [role.id, role.name, role.scope]), [[ACCOUNT_ADMIN_ROLE, 'Account Admin', 'entire_helpdesk']]);
    assert.equal(user.agent_access?.workspace_access, null);
    assert.deepEqual(event?.payload.data['changes'], {});
    assert.equal((event?.payload.data['actor'] as { id: number }).id, facts.activeAccountAdminIds[0], 'by default an active Account Admin makes the change');
  });

  it('gives every role in the event the role_type of FDK\'s sample, "admin_and_data", whatever the API spells', async () => {
    const typed = await startSimulator({ roleType: 'admin-or-agent' });
    const seen: SimUserEvent[] = [];
    typed.onUserEvent((event) => {
      seen.push(event);
    });
    try {
      const [agentId] = facts.adminsWithoutAccountAdminIds.filter((id) => !facts.workspaceRoleAgentIds.includes(id)) as [number];
      const roles = [{ role_id: ACCOUNT_ADMIN_ROLE, assignment_scope: 'entire_helpdesk' }, { role_id: facts.adminRoleId, assignment_scope: 'entire_helpdesk' }];
      const answer = await call(`${typed.url}/_simulator/agents/${agentId}/roles`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ roles }) });
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(userOf(seen[0]).agent_access?.account_wide_access.account_wide_roles.map((role) => role.role_type), ['admin_and_data', 'admin_and_data']);
      assert.ok(typed.account.roles.every((role) => role.role_type === 'admin' || role.role_type === 'agent'));
    } finally {
      await typed.stop();
    }
  });

  it('keeps workspace roles out of account_wide_roles and lists them under workspace_access', async () => {
    const agentId = facts.workspaceRoleAgentIds[0] as number;
    const agent = sim.account.agents.find((candidate) => candidate.id === agentId) as SimAgent;
    await control('PUT', `/${agentId}/roles`, { roles: [...agent.roles, { role_id: ACCOUNT_ADMIN_ROLE, assignment_scope: 'entire_helpdesk' }] });
    const user = userOf(events[0]);
    assert.ok(user.agent_access?.account_wide_access.account_wide_roles.some((role) => role.id === ACCOUNT_ADMIN_ROLE));
    assert.notEqual(user.agent_access?.workspace_access, null);
  });

  it('deactivates and reactivates an agent with onUserUpdate and changes.active; a second deactivation changes nothing and sends nothing', async () => {
    const agentId = facts.withoutAdminRoleIds[0] as number;
    assert.equal((await control('POST', `/${agentId}/deactivate`)).status, 200);
    assert.equal(bodyOf<{ agent: SimAgent }>(await agentFromApi(agentId)).agent.active, false);
    const again = await control('POST', `/${agentId}/deactivate`);
    assert.deepEqual({ status: again.status, event: bodyOf<{ event: unknown }>(again).event }, { status: 200, event: null });
    assert.equal((await control('POST', `/${agentId}/reactivate`)).status, 200);
    assert.deepEqual(events.map((event) => [event.name, event.payload.data['changes'], userOf(event).active]), [
      ['onUserUpdate', { active: [true, false] }, false],
      ['onUserUpdate', { active: [false, true] }, true],
    ]);
  });

  it("a deactivated key owner's key stops working, and works again once reactivated", async () => {
    const owner = sim.keys.find((key) => key.key === ADMIN)?.agentId as number;
    const actorId = facts.activeAccountAdminIds.find((id) => id !== owner);
    await control('POST', `/${owner}/deactivate`, { actorId });
    assert.equal((await call(`${sim.url}/api/v2/agents/me`, { key: ADMIN })).status, 401);
    await control('POST', `/${owner}/reactivate`, { actorId });
    assert.equal((await call(`${sim.url}/api/v2/agents/me`, { key: ADMIN })).status, 200);
  });

  it('deletes (forgets) an agent: gone from the API, and onUserDelete carries a forgotten user without agent access', async () => {
    const agentId = facts.withoutAdminRoleIds[1] as number;
    const answer = await control('DELETE', `/${agentId}`);
    assert.deepEqual(bodyOf<unknown>(answer), { deleted: agentId, event: 'onUserDelete', listeners: 1 });
    assert.equal((await agentFromApi(agentId)).status, 404);
    const listed = bodyOf<{ agents: SimAgent[] }>(await call(`${sim.url}/api/v2/agents?per_page=100`, { key: ADMIN })).agents;
    assert.ok(!listed.some((agent) => agent.id === agentId));
    const user = userOf(events[0]);
    assert.deepEqual(
      { name: events[0]?.name, id: user.id, active: user.active, deleted: user.deleted, forgotten: user.forgotten, license_type: user.license_type, agent_access: user.agent_access },
      { name: 'onUserDelete', id: agentId, active: false, deleted: true, forgotten: true, license_type: 'requester', agent_access: null },
    );
  });

  it('answers after its listeners have handled the event, and a failing listener does not stop the others', async () => {
    const order: string[] = [];
    sim.onUserEvent(() => Promise.reject(new Error('listener failed')));
    sim.onUserEvent(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push('handled');
    });
    const answer = await control('POST', `/${facts.withoutAdminRoleIds[0] as number}/deactivate`);
    order.push('answered');
    assert.deepEqual(order, ['handled', 'answered']);
    assert.equal(bodyOf<{ listeners: number }>(answer).listeners, 3);
  });

  it('stops calling a listener once it unsubscribes', async () => {
    const seen: string[] = [];
    const stop = sim.onUserEvent((event) => seen.push(event.name));
    stop();
    await control('POST', `/${facts.withoutAdminRoleIds[0] as number}/deactivate`);
    assert.deepEqual(seen, []);
  });

  it('refuses bad changes with what is wrong: unknown agent, unknown role, bad body, own roles, wrong method', async () => {
    const agentId = facts.withoutAdminRoleIds[0] as number;
    assert.equal((await control('POST', '/1/deactivate')).status, 404);
    assert.equal((await control('PUT', '/1/roles', { roles: [] })).status, 404);
    const unknownRole = await control('PUT', `/${agentId}/roles`, { roles: [{ role_id: 1, assignment_scope: 'entire_helpdesk' }] });
    assert.equal(unknownRole.status, 400);
    assert.match(unknownRole.body, /role_id 1 is not a role/);
    const badScope = await control('PUT', `/${agentId}/roles`, { roles: [{ role_id: ACCOUNT_ADMIN_ROLE, assignment_scope: 'everywhere' }] });
    assert.equal(badScope.status, 400);
    assert.match(badScope.body, /roles\.0\.assignment_scope/);
    assert.equal((await call(`${sim.url}/_simulator/agents/${agentId}/deactivate`, { method: 'POST', body: 'not json' })).status, 400);
    assert.equal((await control('POST', `/${agentId}/deactivate`, { unexpected: true })).status, 400);
    const own = await control('PUT', `/${agentId}/roles`, { roles: [], actorId: agentId });
    assert.equal(own.status, 400);
    assert.match(own.body, /cannot change their own roles/);
    assert.equal((await control('POST', `/${agentId}/deactivate`, { actorId: 1 })).status, 400);
    assert.equal((await control('GET', `/${agentId}/roles`)).status, 405);
    assert.deepEqual(events, [], 'no refused change sends an event');
  });
});
