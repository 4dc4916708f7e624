import { strict as assert } from 'node:assert';
import { stub } from 'sinon';
import { createAgentDirectory } from '#server/freshservice/directory';
import { permissionsPathFor } from '#server/freshservice/links';
import { AppError } from '#server/errors';
import { MemoryStore } from '../audit/memoryStore';
import { FakeRequest, fail, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, emailOf, role, standardRoles } from './fixtures';
import { testStorage, headOf } from '../fakes/storage';

/** How the browser names an agent: the id it says and the email the server searches by. */
function ref(id: number): { id: number; email: string } {
  return { id, email: emailOf(id) };
}

describe('createAgentDirectory', () => {
  it('re-reads the agent and resolves role names and Account Admin by role id', async () => {
    const request = new FakeRequest()
      .script('findAgentByEmail', ok({ agents: [agent(21000049726, { roles: [assignment(ROLE_IDS.accountAdmin), assignment(ROLE_IDS.admin)] })] }))
      .script('listRoles', ok({ roles: standardRoles() }));
    const directory = createAgentDirectory({ request }, testStorage(new MemoryStore()));

    const found = await directory.getAgent(ref(21000049726));

    assert.equal(found.id, 21000049726);
    assert.equal(found.isAccountAdmin, true);
    assert.equal(found.holdsAdminRole, true);
    assert.deepEqual(found.roles.map((r) => r.name), ['Account Admin', 'Admin']);
    assert.deepEqual(request.callsTo('findAgentByEmail')[0]?.context, { email: emailOf(21000049726) }, 'by email: no template has a caller\'s value in its path');
  });

  it('does not treat a custom role named "Account Admin" or "IT Admin (Custom)" as Account Admin (they are admin-level only)', async () => {
    const request = new FakeRequest()
      .script('findAgentByEmail', ok({ agents: [agent(7, { roles: [assignment(ROLE_IDS.accountAdminCustom), assignment(ROLE_IDS.itAdminCustom)] })] }))
      .script('listRoles', ok({ roles: standardRoles() }));
    const found = await createAgentDirectory({ request }, testStorage(new MemoryStore())).getAgent(ref(7));
    assert.equal(found.isAccountAdmin, false);
    assert.equal(found.holdsAdminRole, true);
  });

  it('rejects NOT_FOUND (404) for an email no agent has, and for one that belongs to another id (a forged claim)', async () => {
    const warn = stub(console, 'warn');
    try {
      const request = new FakeRequest()
        .script('findAgentByEmail', ok({ agents: [] }), ok({ agents: [agent(8)] }))
        .respond('listRoles', () => ok({ roles: standardRoles() }));
      const directory = createAgentDirectory({ request }, testStorage(new MemoryStore()));
      for (const lookup of [ref(99), { id: 7, email: emailOf(8) }]) {
        await assert.rejects(directory.getAgent(lookup), (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND' && error.status === 404);
      }
    } finally {
      warn.restore();
    }
  });

  it('answers the Account Admin role from the roles cache without a template request', async () => {
    const store = new MemoryStore();
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
    const directory = createAgentDirectory({ request }, testStorage(store));

    const first = await directory.accountAdminRole();
    const second = await directory.accountAdminRole();

    assert.deepEqual(first, { id: ROLE_IDS.accountAdmin, name: 'Account Admin', isDefault: true });
    assert.deepEqual(second, first);
    assert.deepEqual(request.names(), ['listRoles']);
    assert.ok((await headOf(store)).roles);
  });

  it('shares one roles read among lookups of one call, concurrent ones included, and across directories on the same storage', async () => {
    const warn = stub(console, 'warn');
    try {
      const store = new MemoryStore();
      store.failing = true; // no cached roles in the head: each lookup would otherwise ask Freshservice
      const request = new FakeRequest()
        .script('listRoles', ok({ roles: standardRoles() }))
        .respond('findAgentByEmail', (context) => ok({ agents: [agent(Number(/\d+/.exec(String(context['email']))?.[0]), { roles: [assignment(ROLE_IDS.admin)] })] }));
      const storage = testStorage(store);
      const found = await Promise.all([createAgentDirectory({ request }, storage).getAgent(ref(7)), createAgentDirectory({ request }, storage).getAgent(ref(8))]);
      assert.deepEqual(found.map((access) => access.id), [7, 8]);
      assert.deepEqual(request.callsTo('listRoles').length, 1);
    } finally {
      warn.restore();
    }
  });

  it('does not keep a failed roles read: the next lookup in the call asks again', async () => {
    const request = new FakeRequest().script('listRoles', fail(500, { message: 'down' }), ok({ roles: standardRoles() }));
    const directory = createAgentDirectory({ request }, testStorage(new MemoryStore()));
    await assert.rejects(directory.accountAdminRole(), (error: unknown) => error instanceof AppError && error.code === 'FRESHSERVICE_UNAVAILABLE');
    assert.equal((await directory.accountAdminRole())?.id, ROLE_IDS.accountAdmin);
    assert.equal(request.callsTo('listRoles').length, 2);
  });

  it('answers null when the account has no default "Account Admin" role', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: [role(1, 'Admin', true), role(2, 'Account Admin', false)] }));
    assert.equal(await createAgentDirectory({ request }, testStorage(new MemoryStore())).accountAdminRole(), null);
  });

  it('still answers when the store fails (roles come from Freshservice), logging only that the cache write failed', async () => {
    const warn = stub(console, 'warn');
    try {
      const store = new MemoryStore();
      store.failing = true;
      const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
      const adminRole = await createAgentDirectory({ request }, testStorage(store)).accountAdminRole();
      assert.equal(adminRole?.id, ROLE_IDS.accountAdmin);
      assert.deepEqual(warn.getCalls().map((call) => call.args), [['storage: the head could not be read (507)']], 'and no write is tried while the store refuses');
    } finally {
      warn.restore();
    }
  });
});

describe('permissionsPathFor', () => {
  it('points at the agent admin page, ids above 2^31 intact', () => {
    assert.equal(permissionsPathFor(21000049726), '/agents/21000049726/edit');
  });
});
