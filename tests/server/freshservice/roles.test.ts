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
