import { strict as assert } from 'node:assert';
import { catalogOf, readAllRoles, toKnownRole } from '../../../server/src/freshservice/roles';
import { roleSchema } from '../../../server/src/freshservice/schemas';
import { FakeRequest, linkToPage, ok } from '../fakes/request';
import { ROLE_IDS, role, standardRoles } from './fixtures';

function known(raw: Record<string, unknown>) {
  return toKnownRole(roleSchema.parse(raw));
}

describe('roles', () => {
  it('finds Account Admin by default flag and exact name, by id per account', () => {
    const catalog = catalogOf(standardRoles().map(known));
    assert.deepEqual(catalog.accountAdminRole, { id: ROLE_IDS.accountAdmin, name: 'Account Admin', isDefault: true });
  });

  it('never matches a substring or a custom role: "Admin", "IT Admin (Custom)", custom "Account Admin", "Account Administrator"', () => {
    const roles = [role(1, 'Admin', true), role(2, 'IT Admin (Custom)', false), role(3, 'Account Admin', false), role(4, 'Account Administrator', true), role(5, 'account admin', true)];
    assert.equal(catalogOf(roles.map(known)).accountAdminRole, null);
  });

  it('takes admin-level from role_type when present, else from a name mentioning admin', () => {
    assert.equal(known(role(1, 'Admin', true)).adminLevel, true);
    assert.equal(known(role(2, 'Security Reviewer', false, { role_type: 'admin' })).adminLevel, true);
    assert.equal(known(role(3, 'IT Admin (Custom)', false)).adminLevel, true);
    assert.equal(known(role(4, 'Admin', false, { role_type: 'agent' })).adminLevel, false);
    assert.equal(known(role(5, 'SD Agent', true)).adminLevel, false);
  });

  it('reads every page of roles, following Link headers', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: [role(1, 'Account Admin', true)] }, linkToPage(2, '/api/v2/roles', null)))
      .script('listRoles', ok({ roles: [role(2, 'Admin', true)] }));
    const roles = await readAllRoles(request);
    assert.deepEqual(roles.map((r) => r.id), [1, 2]);
    assert.deepEqual(request.calls.map((call) => call.context), [{ page: 1 }, { page: 2 }]);
  });
});
