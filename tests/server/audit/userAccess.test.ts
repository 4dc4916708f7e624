import { strict as assert } from 'node:assert';
import { AppError } from '#server/errors';
import { readPayload, userAccessPayloadSchema } from '#server/audit/payloads';
import { userAccess } from '#server/audit/userAccess';
import { FakeRequest, fail, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, emailOf, role, standardRoles } from '../freshservice/fixtures';
import { MemoryStore } from './memoryStore';
import { rejection } from './refusals';
import { testStorage } from '../fakes/storage';

describe('userAccess (profile sidebar)', () => {
  it('answers an agent by email with roles, Account Admin and the permissions path: two requests', async () => {
    const request = new FakeRequest()
      .script('findAgentByEmail', ok({ agents: [agent(21000049726, { roles: [assignment(ROLE_IDS.admin), assignment(ROLE_IDS.itAdminCustom)] })] }))
      .script('listRoles', ok({ roles: standardRoles() }));
    const result = await userAccess({ email: emailOf(21000049726) }, { request, storage: testStorage(new MemoryStore()) });
    assert.equal(result.kind, 'agent');
    assert.equal(result.agent?.isAccountAdmin, false);
    assert.equal(result.agent?.holdsAdminRole, true);
    assert.deepEqual(result.agent?.roles.map((r) => r.name), ['Admin', 'IT Admin (Custom)']);
    assert.equal(result.permissionsPath, '/agents/21000049726/edit');
    assert.equal(result.accountAdminRole?.id, ROLE_IDS.accountAdmin);
    assert.deepEqual(request.names().sort(), ['findAgentByEmail', 'listRoles']);
  });

  it('costs one request when the roles are cached', async () => {
    const store = new MemoryStore();
    const warm = new FakeRequest().script('findAgentByEmail', ok({ agents: [agent(1)] })).script('listRoles', ok({ roles: standardRoles() }));
    await userAccess({ email: emailOf(1) }, { request: warm, storage: testStorage(store) });
    const request = new FakeRequest().script('findAgentByEmail', ok({ agents: [agent(1)] }));
    await userAccess({ email: emailOf(1) }, { request, storage: testStorage(store) });
    assert.deepEqual(request.names(), ['findAgentByEmail']);
  });

  it('finds an agent by email through the list filter, case-insensitively', async () => {
    const request = new FakeRequest()
      .script('findAgentByEmail', ok({ agents: [agent(3, { email: 'Pat@Acme.example', active: false, roles: [assignment(ROLE_IDS.accountAdmin)] })] }))
      .script('listRoles', ok({ roles: standardRoles() }));
    const result = await userAccess({ email: 'pat@acme.example' }, { request, storage: testStorage(new MemoryStore()) });
    assert.equal(result.agent?.id, 3);
    assert.equal(result.agent?.active, false);
    assert.equal(result.agent?.isAccountAdmin, true);
    assert.deepEqual(request.callsTo('findAgentByEmail')[0]?.context, { email: 'pat@acme.example' });
  });

  it('answers a requester when no agent has the email', async () => {
    const request = new FakeRequest().script('findAgentByEmail', ok({ agents: [] })).script('listRoles', ok({ roles: standardRoles() }));
    const result = await userAccess({ email: 'someone@acme.example' }, { request, storage: testStorage(new MemoryStore()) });
    assert.deepEqual(result, { kind: 'requester', agent: null, accountAdminRole: { id: ROLE_IDS.accountAdmin, name: 'Account Admin', isDefault: true }, permissionsPath: null });
  });

  it('answers accountAdminRole null when the account has none', async () => {
    const request = new FakeRequest().script('findAgentByEmail', ok({ agents: [agent(1)] })).script('listRoles', ok({ roles: [role(1, 'Admin', true)] }));
    const result = await userAccess({ email: emailOf(1) }, { request, storage: testStorage(new MemoryStore()) });
    assert.equal(result.accountAdminRole, null);
    assert.equal(result.agent?.isAccountAdmin, false);
  });

  it('passes on other failures (500 is FRESHSERVICE_UNAVAILABLE)', async () => {
    const request = new FakeRequest().script('findAgentByEmail', fail(500)).script('listRoles', ok({ roles: standardRoles() }));
    await assert.rejects(userAccess({ email: emailOf(1) }, { request, storage: testStorage(new MemoryStore()) }), (error: unknown) => error instanceof AppError && error.code === 'FRESHSERVICE_UNAVAILABLE');
  });

  it('refuses a malformed email with INVALID_PAYLOAD naming the field, before any request (not "a fault in the app")', async () => {
    const request = new FakeRequest();
    const error = await rejection(Promise.resolve().then(() => userAccess(readPayload(userAccessPayloadSchema, { email: 'not-an-email@' }), { request, storage: testStorage(new MemoryStore()) })));
    assert.equal(error.code, 'INVALID_PAYLOAD');
    assert.match(error.message, /"email"/);
    assert.deepEqual(request.names(), []);
  });

  it('asks for an email only: an id is no longer accepted (no template reads an agent by a path)', () => {
    const error = (() => {
      try {
        readPayload(userAccessPayloadSchema, { userId: 1 });
      } catch (thrown) {
        return thrown;
      }
      return null;
    })();
    assert.ok(error instanceof AppError && error.code === 'INVALID_PAYLOAD' && /"email"/.test(error.message));
  });
});

