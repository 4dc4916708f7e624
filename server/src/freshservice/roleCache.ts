import type { z } from 'zod';
import { jsonBytes } from '../audit/size';
import type { KeyValueStore, TemplateClient } from '../platform';
import { ROLES_PART_MAX_BYTES, compactRoleSchema, readAccountSnapshot, writeRolesPart, type AccountSnapshot } from './accountSnapshot';
import { readAllRoles, type KnownRole } from './roles';

/**
 * Roles rarely change, so the sidebar and the ledger reuse them from the account snapshot in
 * $db for a few minutes instead of spending a template request each time. A store failure only
 * costs the request.
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
  store: KeyValueStore;
  now: () => number;
}

/** The snapshot's roles while younger than ROLES_FRESH_MS, else null (as if never stored). */
export function freshRoles(snapshot: AccountSnapshot, now: number): KnownRole[] | null {
  const part = snapshot.roles;
  if (part === null) {
    return null;
  }
  const age = now - part.rolesFetchedAt;
  return age >= -ROLES_CLOCK_SKEW_MS && age < ROLES_FRESH_MS ? part.roles.map(expandRole) : null;
}

/**
 * Stores roles the server itself just read from Freshservice (never roles from a cursor), as
 * the snapshot's roles part only. Too many to fit their share of the key: not stored.
 */
export async function cacheRoles(store: KeyValueStore, roles: readonly KnownRole[], now: number): Promise<void> {
  const part = { roles: roles.map(compactRole), rolesFetchedAt: now };
  if (jsonBytes(part) > ROLES_PART_MAX_BYTES) {
    return;
  }
  await writeRolesPart(store, part);
}

/**
 * All roles: from the snapshot already read (`snapshot`), else one read of it, else from
 * Freshservice (then stored).
 */
export async function currentRoles(deps: RolesDeps, snapshot?: AccountSnapshot): Promise<KnownRole[]> {
  const cached = freshRoles(snapshot ?? (await readAccountSnapshot(deps.store)), deps.now());
  if (cached) {
    return cached;
  }
  const roles = await readAllRoles(deps.request);
  await cacheRoles(deps.store, roles, deps.now());
  return roles;
}
