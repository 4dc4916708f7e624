import type { AccountAdminsResult, AgentAccess, RoleInfo } from '../../../common/audit';
import { ACCOUNT_ADMIN_ROLE_NAME, accountAdminRoleMissing, type RoleCatalog } from '../freshservice/roles';
import { shorten } from '../shorten';
import { ADMINS_ATTRIBUTE, ADMINS_MAX_BYTES, adminAttribute, isScanRunning, type AdminsMeta, type Head, type StoredAccountAdmin } from '../store/head';
import { attributeBytes } from '../store/sealed-store';
import type { Storage } from '../store/storage';

/**
 * Who can enable API keys: the Account Admins the head records. Views never scan Freshservice
 * for them (a view costs at most the viewed agent and the viewer): the list is built only from
 * what a browser cannot replay, in the background (server/src/admins: a scan started on
 * installation and refreshed daily, and user events for single agents).
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
/** Names are stored shortened to this many UTF-16 units (whole characters); an email is never cut (a cut one would mail nobody). */
const NAME_CHARACTERS = 100;

export function storedAdmin(agent: AgentAccess, seen: number): StoredAccountAdmin {
  return { id: agent.id, name: shorten(agent.name, NAME_CHARACTERS), email: agent.email, otherAdminRole: agent.holdsAdminRole, seen };
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
