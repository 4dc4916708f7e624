import type { AccountAdminsResult, AgentAccess, RoleInfo } from '../../../common/audit';
import { currentCatalog } from '../freshservice/roleCache';
import { ACCOUNT_ADMIN_ROLE_NAME, accountAdminRoleMissing, type RoleCatalog } from '../freshservice/roles';
import type { TemplateClient } from '../platform';
import { ADMINS_ATTRIBUTE, ADMINS_MAX_BYTES, adminAttribute, attributeBytes, isScanRunning, writeHeadCache, type AdminsMeta, type Head, type StoredAccountAdmin } from '../store/head';
import type { Storage } from '../store/storage';

/**
 * Who can enable API keys: the Account Admins the head records. Views never scan Freshservice
 * for them (a view costs at most the viewed agent and the viewer): the list is built in the
 * background (server/src/admins: a scan started on installation and refreshed daily, and user
 * events for single agents) and by every complete access overview.
 *
 * Each Account Admin is one head attribute (`A<id>`: name, email, when last seen), so an event
 * about one agent changes one attribute and never overwrites another's; the `admins` attribute
 * says for which Account Admin role the list was made, whether it is complete, and when.
 */

/**
 * A record older than this is not called complete: an Account Admin demoted or deactivated
 * since, whose event was missed, must not be named as someone who can enable keys for long. The
 * background refresh renews the record well inside it.
 */
export const RECORD_MAX_AGE_MS = 24 * 60 * 60_000;
/** Server instances' clocks may differ a little; a record dated further ahead is not trusted. */
const RECORD_CLOCK_SKEW_MS = 60_000;
/** Names and emails are stored shortened to these lengths. */
const NAME_CHARACTERS = 100;
const EMAIL_CHARACTERS = 254;

export interface AccountAdminsDeps {
  request: TemplateClient;
  storage: Storage;
  now: () => number;
}

export function storedAdmin(agent: AgentAccess, seen: number): StoredAccountAdmin {
  return { id: agent.id, name: agent.name.slice(0, NAME_CHARACTERS), email: agent.email.slice(0, EMAIL_CHARACTERS), otherAdminRole: agent.holdsAdminRole, seen };
}

export function adminValue(admin: StoredAccountAdmin): Omit<StoredAccountAdmin, 'id'> {
  return { name: admin.name, email: admin.email, otherAdminRole: admin.otherAdminRole, seen: admin.seen };
}

/** The Account Admins that fit the head's share for them (in order); dropping anyone makes the record incomplete. */
export function fittingAdmins(head: Pick<Head, 'key'>, storage: Storage, admins: readonly StoredAccountAdmin[]): StoredAccountAdmin[] {
  const seal = (name: string, value: unknown): string => storage.sealed.seal(head.key, name, value);
  const fitting: StoredAccountAdmin[] = [];
  let bytes = attributeBytes(ADMINS_ATTRIBUTE, seal(ADMINS_ATTRIBUTE, { roleId: 0, complete: false, recordedAt: new Date(0).toISOString() }));
  for (const admin of admins) {
    const name = adminAttribute(admin.id);
    bytes += attributeBytes(name, seal(name, adminValue(admin)));
    if (bytes > ADMINS_MAX_BYTES) {
      break;
    }
    fitting.push(admin);
  }
  return fitting;
}

/** Head attributes that set the given admins and the record's meta. */
export function adminAttributes(meta: AdminsMeta | null, admins: readonly StoredAccountAdmin[]): Record<string, unknown> {
  const attributes: Record<string, unknown> = meta === null ? {} : { [ADMINS_ATTRIBUTE]: meta };
  admins.forEach((admin) => (attributes[adminAttribute(admin.id)] = adminValue(admin)));
  return attributes;
}

/** Removes head attributes of former Account Admins; a failure only leaves them for the next complete list. */
export async function removeAdmins(storage: Storage, head: Pick<Head, 'key' | 'failure'>, ids: readonly number[]): Promise<void> {
  if (head.failure !== null || ids.length === 0) {
    return;
  }
  try {
    await storage.sealed.removeAttributes(head.key, ids.map(adminAttribute));
  } catch {
    console.warn('storage: removing former Account Admins failed; the next complete list removes them');
  }
}

/**
 * A complete list from an access overview: the `admins` meta and one attribute per admin in one
 * update; admins recorded before and not in this list are removed after.
 */
export async function recordAccountAdmins(storage: Storage, roleId: number, admins: AgentAccess[], complete: boolean, now: number): Promise<void> {
  const head = await storage.head();
  const kept = fittingAdmins(head, storage, admins.map((admin) => storedAdmin(admin, now)));
  const meta = { roleId, complete: complete && kept.length === admins.length, recordedAt: new Date(now).toISOString() };
  await writeHeadCache(storage.sealed, head, adminAttributes(meta, kept), 'Account Admins');
  const stale = (head.accountAdmins?.admins ?? []).filter((old) => !kept.some((admin) => admin.id === old.id)).map((old) => old.id);
  await removeAdmins(storage, head, stale);
}

/** A stored Account Admin as the widget's AgentAccess: what the head keeps (name, email) and the role they hold. */
export function accountAdminAccess(admin: StoredAccountAdmin, roleId: number): AgentAccess {
  return {
    id: admin.id,
    firstName: admin.name,
    lastName: null,
    name: admin.name,
    email: admin.email,
    active: true,
    occasional: false,
    lastLoginAt: null,
    roles: [{ roleId, name: ACCOUNT_ADMIN_ROLE_NAME, scope: 'entire_helpdesk', workspaceId: null }],
    isAccountAdmin: true,
    holdsAdminRole: admin.otherAdminRole,
  };
}

/** Complete for the account's current Account Admin role, and not older than RECORD_MAX_AGE_MS (nor from the future). */
function isCompleteAndCurrent(meta: AdminsMeta, now: number): boolean {
  const age = now - Date.parse(meta.recordedAt);
  return meta.complete && age >= -RECORD_CLOCK_SKEW_MS && age <= RECORD_MAX_AGE_MS;
}

export function isActiveAccountAdmin(agent: AgentAccess): boolean {
  return agent.active && agent.isAccountAdmin;
}

/** One read of the head serves both the roles and the recorded Account Admins. */
export async function listAccountAdmins(deps: AccountAdminsDeps): Promise<AccountAdminsResult> {
  const catalog = await currentCatalog(deps);
  return accountAdminsIn(catalog, await deps.storage.head(), deps.now());
}

/**
 * The Account Admins of an account whose roles and head were already read: what the head records
 * for the account's current Account Admin role. `complete` is false while the background scan
 * has not finished (or the record is older than a day): the list is then what is known so far,
 * and `scanning` says whether a scan is under way.
 */
export function accountAdminsIn(catalog: RoleCatalog, head: Head, now: number): AccountAdminsResult {
  const role: RoleInfo | null = catalog.accountAdminRole;
  if (!role) {
    throw accountAdminRoleMissing();
  }
  const record = head.accountAdmins;
  const scanning = isScanRunning(head.scan, role.id);
  if (record === null || record.roleId !== role.id) {
    return { accountAdminRole: role, accountAdmins: [], complete: false, recordedAt: null, scanning };
  }
  const accountAdmins = record.admins.map((admin) => accountAdminAccess(admin, role.id));
  return { accountAdminRole: role, accountAdmins, complete: isCompleteAndCurrent(record, now), recordedAt: record.recordedAt, scanning };
}
