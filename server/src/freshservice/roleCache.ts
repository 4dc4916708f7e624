import { z } from 'zod';
import type { KeyValueStore, TemplateClient } from '../platform';
import { readAllRoles, type KnownRole } from './roles';

/**
 * Roles rarely change, so the sidebar and the ledger read them from $db for a few minutes
 * instead of spending a template request each time. A store failure only costs the request.
 */
export const ROLE_CACHE_KEY = 'audit:roles:v1';
export const ROLE_CACHE_TTL_SECONDS = 300;
/** $db allows 40 KB per key + value; above this the roles are simply not cached. */
const ROLE_CACHE_MAX_CHARS = 30_000;

const compactRoleSchema = z.tuple([z.number(), z.string(), z.boolean(), z.boolean()]);
const cachedRolesSchema = z.object({ roles: z.array(compactRoleSchema) });
type CompactRole = z.infer<typeof compactRoleSchema>;

export function compactRole(role: KnownRole): CompactRole {
  return [role.id, role.name, role.isDefault, role.adminLevel];
}

export function expandRole([id, name, isDefault, adminLevel]: CompactRole): KnownRole {
  return { id, name, isDefault, adminLevel };
}

export { compactRoleSchema };

async function readCache(store: KeyValueStore): Promise<KnownRole[] | null> {
  try {
    const parsed = cachedRolesSchema.safeParse(await store.get(ROLE_CACHE_KEY));
    return parsed.success ? parsed.data.roles.map(expandRole) : null;
  } catch {
    return null;
  }
}

export async function cacheRoles(store: KeyValueStore, roles: readonly KnownRole[]): Promise<void> {
  const value = { roles: roles.map(compactRole) };
  if (JSON.stringify(value).length > ROLE_CACHE_MAX_CHARS) {
    return;
  }
  try {
    await store.set(ROLE_CACHE_KEY, value, { ttl: ROLE_CACHE_TTL_SECONDS });
  } catch {
    console.warn('roles cache: write failed; roles will be read from Freshservice next time');
  }
}

/** All roles: from the short-lived cache, else from Freshservice (then cached). */
export async function currentRoles(request: TemplateClient, store: KeyValueStore): Promise<KnownRole[]> {
  const cached = await readCache(store);
  if (cached) {
    return cached;
  }
  const roles = await readAllRoles(request);
  await cacheRoles(store, roles);
  return roles;
}
