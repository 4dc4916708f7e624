import { strict as assert } from 'node:assert';
import { toAgentAccess } from '#server/freshservice/access';
import { catalogOf, toKnownRole } from '#server/freshservice/roles';
import { agentSchema, roleSchema } from '#server/freshservice/schemas';
import { ROLE_IDS, agent, assignment, role, standardRoles } from './fixtures';

const catalog = catalogOf(standardRoles().map((raw) => toKnownRole(roleSchema.parse(raw))));

function access(raw: Record<string, unknown>) {
  return toAgentAccess(agentSchema.parse(raw), catalog);
}

describe('toAgentAccess', () => {
  it('counts an Account Admin assignment in one workspace', () => {
    const result = access(agent(9, { roles: [assignment(ROLE_IDS.sdAgent, 'member_groups'), assignment(ROLE_IDS.accountAdmin, 'entire_helpdesk', 3)] }));
    assert.equal(result.isAccountAdmin, true);
    assert.deepEqual(result.roles[1], { roleId: ROLE_IDS.accountAdmin, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: 3 });
    assert.equal(result.roles[0]?.workspaceId, null);
  });

  it('decides from roles[], not the deprecated role_ids', () => {
    const result = access(agent(9, { role_ids: [ROLE_IDS.accountAdmin], roles: [assignment(ROLE_IDS.admin)] }));
    assert.equal(result.isAccountAdmin, false);
    assert.equal(result.holdsAdminRole, true);
  });

  it('falls back to the email when both names are null, and keeps a null last name', () => {
    const result = access(agent(21000049726, { first_name: null, last_name: null }));
    assert.equal(result.name, 'agent21000049726@acme.example');
    assert.equal(result.firstName, '');
    assert.equal(result.lastName, null);
    assert.equal(result.id, 21000049726);
  });

  it('an agent with only agent roles holds no admin role', () => {
    const result = access(agent(8, { roles: [assignment(ROLE_IDS.sdAgent)] }));
    assert.equal(result.holdsAdminRole, false);
    assert.equal(result.isAccountAdmin, false);
  });

  it('joins first and last names', () => {
    assert.equal(access(agent(1, { first_name: 'Ada ', last_name: 'Lovelace' })).name, 'Ada Lovelace');
  });

  it('reports deactivated and occasional agents and missing optional fields', () => {
    const raw = agent(2, { active: false, occasional: true, last_login_at: null });
    delete raw.roles;
    const result = access(raw);
    assert.equal(result.active, false);
    assert.equal(result.occasional, true);
    assert.equal(result.lastLoginAt, null);
    assert.deepEqual(result.roles, []);
  });

  it('names a role it cannot resolve instead of failing', () => {
    const result = access(agent(3, { roles: [{ role_id: 555, assignment_scope: null }] }));
    assert.deepEqual(result.roles[0], { roleId: 555, name: 'Unknown role 555', scope: 'entire_helpdesk', workspaceId: null });
  });

  it('is never Account Admin when the account has no Account Admin role', () => {
    const noAdminRole = catalogOf([toKnownRole(roleSchema.parse(role(ROLE_IDS.accountAdmin, 'Account Admin', false)))]);
    const result = toAgentAccess(agentSchema.parse(agent(4, { roles: [assignment(ROLE_IDS.accountAdmin)] })), noAdminRole);
    assert.equal(result.isAccountAdmin, false);
  });
});
