import { strict as assert } from 'node:assert';
import { AppError } from '#server/errors';
import { MAX_ROLE_PAGES, catalogOf, readAllRoles, toKnownRole } from '#server/freshservice/roles';
import { roleSchema } from '#server/freshservice/schemas';
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

  describe('admin-level, under every spelling of role_type', () => {
    const NAMED_ADMIN = 'IT Admin (Custom)';
    const NAMED_AGENT = 'SD Agent';
    const adminLevel = (name: string, extra: Record<string, unknown>) => known(role(1, name, false, extra)).adminLevel;

    it('follows the name when role_type is absent (captured real output)', () => {
      assert.equal(adminLevel(NAMED_ADMIN, {}), true);
      assert.equal(adminLevel('Admin', {}), true);
      assert.equal(adminLevel(NAMED_AGENT, {}), false);
    });

    it('follows role_type spelled "admin" or "agent", in any case, over the name', () => {
      assert.equal(adminLevel('Security Reviewer', { role_type: 'admin' }), true);
      assert.equal(adminLevel('Security Reviewer', { role_type: ' ADMIN ' }), true);
      assert.equal(adminLevel('Admin', { role_type: 'agent' }), false);
      assert.equal(adminLevel(NAMED_ADMIN, { role_type: 'Agent' }), false);
    });

    const unreadable: [string, unknown][] = [
      ['"admin_and_data" (the user-event sample, even for SD Agent)', 'admin_and_data'],
      ['another string', 'administrator'],
      ['an empty string', ''],
      ['an integer (baton-freshservice models one)', 1],
      ['another integer', 2],
      ['null', null],
      ['a boolean', true],
      ['an object', { kind: 'admin' }],
    ];
    for (const [what, roleType] of unreadable) {
      it(`falls back to the name when role_type is ${what}`, () => {
        assert.equal(adminLevel(NAMED_ADMIN, { role_type: roleType }), true);
        assert.equal(adminLevel(NAMED_AGENT, { role_type: roleType }), false);
      });
    }

    it('never decides Account Admin from role_type: the default role named exactly "Account Admin" is it, typed agent or not', () => {
      const typedAgent = role(ROLE_IDS.accountAdmin, 'Account Admin', true, { role_type: 'agent' });
      const customTypedAdmin = role(ROLE_IDS.accountAdminCustom, 'Account Admin', false, { role_type: 'admin' });
      const catalog = catalogOf([typedAgent, customTypedAdmin].map(known));
      assert.equal(catalog.accountAdminRole?.id, ROLE_IDS.accountAdmin);
    });
  });

  it('reads every page of roles, following Link headers', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: [role(1, 'Account Admin', true)] }, linkToPage(2, '/api/v2/roles', null)))
      .script('listRoles', ok({ roles: [role(2, 'Admin', true)] }));
    const roles = await readAllRoles(request);
    assert.deepEqual(roles.map((r) => r.id), [1, 2]);
    assert.deepEqual(request.calls.map((call) => call.context), [{ page: 1 }, { page: 2 }]);
  });

  it(`answers BAD_RESPONSE when the role list still links onward after ${MAX_ROLE_PAGES} pages, instead of stopping silently`, async () => {
    const request = new FakeRequest().respond('listRoles', (context) => ok({ roles: [role(Number(context.page), 'SD Agent', false)] }, linkToPage(Number(context.page) + 1, '/api/v2/roles')));
    await assert.rejects(readAllRoles(request), (error: unknown) => {
      return error instanceof AppError && error.code === 'BAD_RESPONSE' && /list of roles did not end/.test(error.message);
    });
    assert.equal(request.calls.length, MAX_ROLE_PAGES);
  });

  it(`reads a list that ends on page ${MAX_ROLE_PAGES}`, async () => {
    const request = new FakeRequest().respond('listRoles', (context) => {
      const page = Number(context.page);
      return ok({ roles: [role(page, page === MAX_ROLE_PAGES ? 'Account Admin' : 'SD Agent', true)] }, page < MAX_ROLE_PAGES ? linkToPage(page + 1, '/api/v2/roles') : {});
    });
    const roles = await readAllRoles(request);
    assert.equal(roles.length, MAX_ROLE_PAGES);
    assert.equal(catalogOf(roles).accountAdminRole?.id, MAX_ROLE_PAGES);
  });
});
