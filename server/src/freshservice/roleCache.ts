import type { z } from 'zod';
import { jsonBytes } from '../audit/size';
import type { TemplateClient } from '../platform';
import { ROLES_ATTRIBUTE, ROLES_MAX_BYTES, compactRoleSchema, writeHeadCache, type Head } from '../store/head';
import type { Storage } from '../store/storage';
import { readAllRoles, type KnownRole } from './roles';

/**
 * Roles rarely change, so the sidebar and the ledger reuse them from the head for a few minutes
 * instead of spending a template request each time. They are sealed like everything the app
 * stores, so a browser cannot rename its own role to "Account Admin" there. A store failure
 * only costs the request.
 */
export const ROLES_FRESH_MS = 300_000;
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

/** The head's roles while younger than ROLES_FRESH_MS, else null (as if never stored). */
export function freshRoles(head: Head, now: number): KnownRole[] | null {
  const part = head.roles;
  if (part === null) {
    return null;
  }
  const age = now - part.fetchedAt;
  return age >= -ROLES_CLOCK_SKEW_MS && age < ROLES_FRESH_MS ? part.roles.map(expandRole) : null;
}

/**
 * Stores roles the server itself just read from Freshservice (never roles from a cursor) as the
 * head's roles attribute. Too many to fit their share of the head: not stored.
 */
export async function cacheRoles(storage: Storage, roles: readonly KnownRole[], now: number): Promise<void> {
  const part = { roles: roles.map(compactRole), fetchedAt: now };
  if (jsonBytes(part) > ROLES_MAX_BYTES - 100) {
    return;
  }
  await writeHeadCache(storage.sealed, storage.headForWriting(), { [ROLES_ATTRIBUTE]: part }, 'roles');
}

/** All roles: from the head while fresh, else from Freshservice (then stored). */
export async function currentRoles(deps: RolesDeps): Promise<KnownRole[]> {
  const cached = freshRoles(await deps.storage.head(), deps.now());
  if (cached) {
    return cached;
  }
  const roles = await readAllRoles(deps.request);
  await cacheRoles(deps.storage, roles, deps.now());
  return roles;
}
