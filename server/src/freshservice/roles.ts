import type { RoleInfo } from '../../../common/audit';
import { AppError } from '../errors';
import type { TemplateClient } from '../platform';
import { callTemplate } from './client';
import { nextPageAfter } from './pagination';
import { roleListSchema, type FreshserviceRole } from './schemas';
import { TEMPLATES } from './templates';

/** The built-in role that alone may switch on another agent's API key. Matched exactly, never as a substring. */
export const ACCOUNT_ADMIN_ROLE_NAME = 'Account Admin';

/** A role as the app keeps it: the shared RoleInfo plus whether it is an admin-level role. */
export interface KnownRole extends RoleInfo {
  adminLevel: boolean;
}

export interface RoleCatalog {
  byId: ReadonlyMap<number, KnownRole>;
  accountAdminRole: RoleInfo | null;
}

/**
 * `role_type` spellings that say which of Freshservice's two kinds of role a role is: "advanced
 * role management" splits roles into admin roles and agent roles (Freshservice support article
 * 50000006096, https://support.freshservice.com/support/solutions/articles/50000006096). No other
 * spelling is read as a kind, because the sources disagree on what the field holds:
 * - absent in captured real `GET /api/v2/roles` answers (`JupiterOne/graph-freshservice`
 *   `src/steps/agent-roles/__recordings__/fetch-agent-roles_418001527/recording.har`);
 * - `"admin_and_data"` for every role, SD Agent included, in the FDK-generated user-event sample
 *   (`hosilva4/freshService_customAppPDF` `server/test_data/onUserUpdate.json`): it tells nothing;
 * - an integer in `ConductorOne/baton-freshservice` `pkg/client/model.go` (`RoleType int`), with
 *   no source saying which number means which kind.
 */
const ROLE_KIND_IS_ADMIN: ReadonlyMap<string, boolean> = new Map([
  ['admin', true],
  ['agent', false],
]);

/** What `role_type` says, when it is one of the spellings above; null when it says nothing the app can read. */
function kindFromRoleType(roleType: unknown): boolean | null {
  return typeof roleType === 'string' ? (ROLE_KIND_IS_ADMIN.get(roleType.trim().toLowerCase()) ?? null) : null;
}

/**
 * Admin-level (for `holdsAdminRole`, the "an admin, but not Account Admin" case): what `role_type`
 * says when it is spelled "admin" or "agent"; under any other spelling (absent, "admin_and_data",
 * an integer) the role's name decides, as on older accounts: a name mentioning "admin" (the
 * built-in "Admin", "IT Admin (Custom)") is taken as one. This never decides Account Admin,
 * which is matched by id only.
 */
function isAdminLevel(role: FreshserviceRole): boolean {
  return kindFromRoleType(role.role_type) ?? /admin/i.test(role.name);
}

export function toKnownRole(role: FreshserviceRole): KnownRole {
  return { id: role.id, name: role.name, isDefault: role.default, adminLevel: isAdminLevel(role) };
}

export function isAccountAdminRole(role: RoleInfo): boolean {
  return role.isDefault && role.name === ACCOUNT_ADMIN_ROLE_NAME;
}

export function toRoleInfo(role: KnownRole): RoleInfo {
  return { id: role.id, name: role.name, isDefault: role.isDefault };
}

export function catalogOf(roles: readonly KnownRole[]): RoleCatalog {
  const accountAdmin = roles.find(isAccountAdminRole);
  return {
    byId: new Map(roles.map((role) => [role.id, role])),
    accountAdminRole: accountAdmin ? toRoleInfo(accountAdmin) : null,
  };
}

export const ACCOUNT_ADMIN_ROLE_MISSING_MESSAGE =
  'This Freshservice account has no built-in role named "Account Admin", so the app cannot tell who may enable API keys. Check Admin > Roles in Freshservice.';

export function accountAdminRoleMissing(): AppError {
  return new AppError(409, 'ACCOUNT_ADMIN_ROLE_MISSING', ACCOUNT_ADMIN_ROLE_MISSING_MESSAGE);
}

export interface RolePage {
  roles: KnownRole[];
  nextPage: number | null;
  rateLimitHeaders: Record<string, string | undefined>;
}

export async function readRolePage(request: TemplateClient, page: number): Promise<RolePage> {
  const answer = await callTemplate(request, TEMPLATES.listRoles, { page }, 'the list of roles', roleListSchema);
  return {
    roles: answer.data.roles.map(toKnownRole),
    nextPage: nextPageAfter(answer.headers, page, 'roles'),
    rateLimitHeaders: answer.headers,
  };
}

/** Accounts rarely have more than 100 roles; a list that goes on past this many pages (1,000 roles) has a broken Link header. */
export const MAX_ROLE_PAGES = 10;

/** Stopping quietly would leave roles unread, and a missing "Account Admin" would then be reported wrongly. */
export function roleListDidNotEnd(): AppError {
  return new AppError(
    502,
    'BAD_RESPONSE',
    `Freshservice's list of roles did not end after ${MAX_ROLE_PAGES} pages (${MAX_ROLE_PAGES * 100} roles); the app stopped reading. Try again; if it keeps happening, report it to the app developer.`,
  );
}

/** Reads every role (one request per 100 roles). */
export async function readAllRoles(request: TemplateClient): Promise<KnownRole[]> {
  const roles: KnownRole[] = [];
  let page: number | null = 1;
  for (let pagesRead = 0; page !== null; pagesRead += 1) {
    if (pagesRead >= MAX_ROLE_PAGES) {
      throw roleListDidNotEnd();
    }
    const rolePage: RolePage = await readRolePage(request, page);
    roles.push(...rolePage.roles);
    page = rolePage.nextPage;
  }
  return roles;
}
