import { z } from 'zod';
import type { AgentAccess } from '../../../common/audit';
import { agentAccessSchema } from '../audit/schemas';
import { jsonBytes } from '../audit/size';
import type { KeyValueStore } from '../platform';

/**
 * One small $db key shared by the sidebar, the ledger, the overview and listAccountAdmins:
 * the role catalogue and the Account Admins record, so a sidebar view reads both with ONE get.
 * The two parts are written attribute by attribute (`update(key, 'set', ...)`), so refreshing
 * the roles never overwrites the Account Admins and vice versa. The key has no ttl: each part
 * carries its own time and its reader decides whether it is still fresh.
 */
export const ACCOUNT_SNAPSHOT_KEY = 'audit:account:v2';
/**
 * $db allows 40 KB per key + value. Each part has its own budget, so that together (plus the
 * key and the attribute names) they always fit, whatever the other part holds.
 */
export const ROLES_PART_MAX_BYTES = 14_000;
export const ADMINS_PART_MAX_BYTES = 24_000;

export const compactRoleSchema = z.tuple([z.number(), z.string(), z.boolean(), z.boolean()]);

const rolesPartSchema = z.object({ roles: z.array(compactRoleSchema), rolesFetchedAt: z.number() });
export type RolesPart = z.infer<typeof rolesPartSchema>;

export interface AccountAdminsRecord {
  roleId: number;
  admins: AgentAccess[];
  complete: boolean;
  recordedAt: string;
}

/**
 * An Account Admin as stored: a tuple instead of an object, so that 50 of them next to 100 roles
 * stay far below 40 KB (field names would double the size). Read back through agentAccessSchema.
 */
const storedRoleSchema = z.tuple([z.number(), z.string(), z.string(), z.number().nullable()]);
const storedAdminSchema = z.tuple([
  z.number(),
  z.string(),
  z.string().nullable(),
  z.string(),
  z.string(),
  z.boolean(),
  z.boolean(),
  z.string().nullable(),
  z.array(storedRoleSchema),
  z.boolean(),
  z.boolean(),
]);
type StoredAdmin = z.infer<typeof storedAdminSchema>;

function storedAdmin(agent: AgentAccess): StoredAdmin {
  const roles = agent.roles.map((role): z.infer<typeof storedRoleSchema> => [role.roleId, role.name, role.scope, role.workspaceId]);
  return [agent.id, agent.firstName, agent.lastName, agent.name, agent.email, agent.active, agent.occasional, agent.lastLoginAt, roles, agent.isAccountAdmin, agent.holdsAdminRole];
}

const accountAdminsPartSchema = z.object({
  roleId: z.number(),
  admins: z.array(
    storedAdminSchema.transform(([id, firstName, lastName, name, email, active, occasional, lastLoginAt, roles, isAccountAdmin, holdsAdminRole]) => ({
      id,
      firstName,
      lastName,
      name,
      email,
      active,
      occasional,
      lastLoginAt,
      roles: roles.map(([roleId, roleName, scope, workspaceId]) => ({ roleId, name: roleName, scope, workspaceId })),
      isAccountAdmin,
      holdsAdminRole,
    })).pipe(agentAccessSchema),
  ),
  complete: z.boolean(),
  recordedAt: z.string(),
});

function storedAccountAdmins(record: AccountAdminsRecord): Record<string, unknown> {
  return { accountAdmins: { ...record, admins: record.admins.map(storedAdmin) } };
}

/** Bytes the Account Admins part takes in the key, to keep it inside ADMINS_PART_MAX_BYTES. */
export function accountAdminsPartBytes(record: AccountAdminsRecord): number {
  return jsonBytes(storedAccountAdmins(record));
}

/** What the key held when read: a part that is missing, malformed or partial is null on its own. */
export interface AccountSnapshot {
  roles: RolesPart | null;
  accountAdmins: AccountAdminsRecord | null;
}

const storedValueSchema = z.record(z.string(), z.unknown());

const EMPTY_SNAPSHOT: AccountSnapshot = { roles: null, accountAdmins: null };

function partOf<T>(schema: z.ZodType<T, unknown>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** One $db get. A missing key or a store failure reads as an empty snapshot: callers ask Freshservice. */
export async function readAccountSnapshot(store: KeyValueStore): Promise<AccountSnapshot> {
  try {
    const stored = storedValueSchema.safeParse(await store.get(ACCOUNT_SNAPSHOT_KEY));
    if (!stored.success) {
      return EMPTY_SNAPSHOT;
    }
    const { roles, rolesFetchedAt, accountAdmins } = stored.data;
    return { roles: partOf(rolesPartSchema, { roles, rolesFetchedAt }), accountAdmins: partOf(accountAdminsPartSchema, accountAdmins) };
  } catch {
    return EMPTY_SNAPSHOT;
  }
}

function isMissingKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404;
}

/**
 * Creates the key holding just this part. If another call created it first, the update is tried
 * once more; should that fail too, this part is simply not stored this time.
 */
async function createWithPart(store: KeyValueStore, part: Record<string, unknown>): Promise<void> {
  try {
    await store.set(ACCOUNT_SNAPSHOT_KEY, part, { setIf: 'not_exist' });
  } catch {
    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', part);
  }
}

/**
 * Writes one part's attributes, leaving the other part as it is: one $db update, or on a new
 * installation (404) a conditional create. Never throws: a failed write only means the next
 * reader asks Freshservice again.
 */
async function writeSnapshotPart(store: KeyValueStore, part: Record<string, unknown>, what: string): Promise<void> {
  try {
    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', part);
  } catch (error) {
    await createOrWarn(store, part, what, error);
  }
}

function warnWriteFailed(what: string): void {
  console.warn(`account snapshot: writing the ${what} failed; they will be read from Freshservice next time`);
}

/** Only a missing key (404) is worth creating; any other failure (busy, refused) gives up. */
async function createOrWarn(store: KeyValueStore, part: Record<string, unknown>, what: string, error: unknown): Promise<void> {
  if (!isMissingKey(error)) {
    warnWriteFailed(what);
    return;
  }
  try {
    await createWithPart(store, part);
  } catch {
    warnWriteFailed(what);
  }
}

/** The roles part only: roles this server just read from Freshservice, with when. */
export function writeRolesPart(store: KeyValueStore, part: RolesPart): Promise<void> {
  return writeSnapshotPart(store, part, 'roles');
}

/** The Account Admins part only: from a verified overview chain or a complete scan. */
export function writeAccountAdminsPart(store: KeyValueStore, record: AccountAdminsRecord): Promise<void> {
  return writeSnapshotPart(store, storedAccountAdmins(record), 'Account Admins');
}
