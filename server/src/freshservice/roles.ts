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
 * Admin-level (for `holdsAdminRole`, the "an admin, but not Account Admin" case): what
 * Freshservice's `role_type` says on newer accounts; older accounts have no such field, so a
 * role whose name mentions "admin" (the built-in "Admin", "IT Admin (Custom)") is taken as one.
 * This never decides Account Admin, which is matched by id only.
 */
function isAdminLevel(role: FreshserviceRole): boolean {
  if (typeof role.role_type === 'string') {
    return role.role_type.toLowerCase() === 'admin';
  }
  return /admin/i.test(role.name);
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
