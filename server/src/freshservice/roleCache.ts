import type { z } from 'zod';
import type { TemplateClient } from '../platform';
import { ROLES_ATTRIBUTE, ROLES_MAX_BYTES, compactRoleSchema, writeHeadCache, type Head } from '../store/head';
import { sealedAttributeBytes } from '../store/sealed-store';
import type { Storage } from '../store/storage';
import { catalogOf, readAllRoles, type KnownRole, type RoleCatalog } from './roles';

/**
 * Roles rarely change (and the Account Admin role is built in: its id never does), so views and
 * the ledger reuse them from the head for up to an hour instead of spending a template request
 * each time; the background refresh renews them every half hour (ROLES_REFRESH_AFTER_MS), so a
 * view almost never reads them. They are sealed like everything the app stores, so a browser
 * cannot rename its own role to "Account Admin" there. A store failure only costs the request.
 */
export const ROLES_FRESH_MS = 60 * 60_000;
export const ROLES_REFRESH_AFTER_MS = 30 * 60_000;
/** Server instances' clocks may differ a little; roles dated further ahead are not trusted. */
const ROLES_CLOCK_SKEW_MS = 60_000;

type CompactRole = z.infer<typeof compactRoleSchema>;

export function compactRole(role: KnownRole): CompactRole {
  return [role.id, role.name, role.isDefault, role.adminLevel];
}

export function expandRole([id, name, isDefault, adminLevel]: CompactRole): KnownRole {
  return { id, name, isDefault, adminLevel };
}

export { compactRoleSchema };

export interface RolesDeps {
  request: TemplateClient;
  storage: Storage;
  now: () => number;
}

/** The head's roles while younger than `maxAge` (ROLES_FRESH_MS), else null (as if never stored). */
export function freshRoles(head: Head, now: number, maxAge = ROLES_FRESH_MS): KnownRole[] | null {
  const part = head.roles;
  if (part === null) {
    return null;
  }
  const age = now - part.fetchedAt;
  return age >= -ROLES_CLOCK_SKEW_MS && age < maxAge ? part.roles.map(expandRole) : null;
}

/**
 * Stores roles the server itself just read from Freshservice (never roles from a cursor) as the
 * head's roles attribute. Too many to fit their share of the head: not stored.
 */
export async function cacheRoles(storage: Storage, roles: readonly KnownRole[], now: number): Promise<void> {
  const part = { roles: roles.map(compactRole), fetchedAt: now };
  if (sealedAttributeBytes(ROLES_ATTRIBUTE, part) > ROLES_MAX_BYTES) {
    return;
  }
  await writeHeadCache(storage.sealed, storage.headForWriting(), { [ROLES_ATTRIBUTE]: part }, 'roles');
}

/** All roles: from the head while younger than `maxAge`, else from Freshservice (then stored). */
export async function currentRoles(deps: RolesDeps, maxAge = ROLES_FRESH_MS): Promise<KnownRole[]> {
  const cached = freshRoles(await deps.storage.head(), deps.now(), maxAge);
  if (cached) {
    return cached;
  }
  // Concurrent and later lookups in this call share one read; a failed read is not kept, so a later lookup tries again.
  deps.storage.rolesRead ??= readAndCacheRoles(deps).catch((error: unknown) => {
    deps.storage.rolesRead = null;
    throw error;
  });
  return deps.storage.rolesRead;
}

async function readAndCacheRoles(deps: RolesDeps): Promise<KnownRole[]> {
  const roles = await readAllRoles(deps.request);
  await cacheRoles(deps.storage, roles, deps.now());
  return roles;
}

/** The account's role catalogue (who holds Account Admin), from roles read as `currentRoles` reads them. */
export async function currentCatalog(deps: RolesDeps, maxAge = ROLES_FRESH_MS): Promise<RoleCatalog> {
  return catalogOf(await currentRoles(deps, maxAge));
}
