import type { AccountAdminsResult, AgentAccess, RoleInfo } from '../../../common/audit';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage } from '../freshservice/agents';
import { nextPageAfter } from '../freshservice/pagination';
import { currentRoles } from '../freshservice/roleCache';
import { ACCOUNT_ADMIN_ROLE_NAME, accountAdminRoleMissing, catalogOf, type RoleCatalog } from '../freshservice/roles';
import type { TemplateClient } from '../platform';
import { ADMINS_ATTRIBUTE, ADMINS_MAX_BYTES, adminAttribute, attributeBytes, writeHeadCache, type AccountAdminsRecord, type Head, type StoredAccountAdmin } from '../store/head';
import type { Storage } from '../store/storage';
/**
 * Who can enable API keys, answered inside one 20 s call on any account size:
 * 1. the record the last complete overview (or complete scan) left in the account snapshot, when
 *    it was made for the account's current Account Admin role and is younger than
 *    RECORD_MAX_AGE_MS; else
 * 2. a bounded scan of active agents (at most MAX_SCAN_PAGES pages, and no new request once
 *    SCAN_START_DEADLINE_MS have passed, so even a 15 s template timeout ends inside 20 s).
 * `complete` is false when the scan could not see the whole account.
 */
export const MAX_SCAN_PAGES = 2;
export const SCAN_START_DEADLINE_MS = 4_000;
/**
 * A record older than this is ignored: an Account Admin demoted or deactivated since must not
 * be named as someone who can enable keys for long. A day lets one overview serve the sidebar
 * all working day, while a stale list is gone by the next; anything fresher costs a scan.
 */
export const RECORD_MAX_AGE_MS = 24 * 60 * 60_000;
/** Server instances' clocks may differ a little; a record dated further ahead is not trusted. */
const RECORD_CLOCK_SKEW_MS = 60_000;

export interface AccountAdminsDeps {
  request: TemplateClient;
  storage: Storage;
  now: () => number;
}

function storedAdmin(agent: AgentAccess): StoredAccountAdmin {
  return { id: agent.id, name: agent.name.slice(0, 100), email: agent.email.slice(0, 254), otherAdminRole: agent.holdsAdminRole };
}

function adminValue(admin: StoredAccountAdmin): Omit<StoredAccountAdmin, 'id'> {
  return { name: admin.name, email: admin.email, otherAdminRole: admin.otherAdminRole };
}

/** The Account Admins that fit the head's share for them (in order); dropping anyone makes the record incomplete. */
function fittingAdmins(admins: readonly StoredAccountAdmin[], seal: (name: string, value: unknown) => string): StoredAccountAdmin[] {
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

/**
 * The head's Account Admins: the `admins` attribute (role, complete, when) and one `A<id>`
 * attribute per admin, set in one update; admins recorded before and not in this list are
 * removed after. Written only at the end of a verified overview chain or by a complete scan. A
 * failure only means the next reader scans again.
 */
export async function recordAccountAdmins(storage: Storage, roleId: number, admins: AgentAccess[], complete: boolean, now: number): Promise<void> {
  const head = await storage.head();
  const seal = (name: string, value: unknown): string => storage.sealed.seal(head.key, name, value);
  const kept = fittingAdmins(admins.map(storedAdmin), seal);
  const meta = { roleId, complete: complete && kept.length === admins.length, recordedAt: new Date(now).toISOString() };
  const attributes: Record<string, unknown> = { [ADMINS_ATTRIBUTE]: meta };
  kept.forEach((admin) => (attributes[adminAttribute(admin.id)] = adminValue(admin)));
  await writeHeadCache(storage.sealed, head, attributes, 'Account Admins');
  const stale = (head.accountAdmins?.admins ?? []).filter((old) => !kept.some((admin) => admin.id === old.id)).map((old) => adminAttribute(old.id));
  await removeStaleAdmins(storage, head, stale);
}

async function removeStaleAdmins(storage: Storage, head: Head, attributes: string[]): Promise<void> {
  if (head.failure !== null || attributes.length === 0) {
    return;
  }
  try {
    await storage.sealed.removeAttributes(head.key, attributes);
  } catch {
    console.warn('storage: removing former Account Admins failed; they are removed with the next complete list');
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

/** Made for the account's current Account Admin role, and not older than RECORD_MAX_AGE_MS (nor from the future). */
function isUsable(record: AccountAdminsRecord, role: RoleInfo, now: number): boolean {
  const age = now - Date.parse(record.recordedAt);
  return record.roleId === role.id && age >= -RECORD_CLOCK_SKEW_MS && age <= RECORD_MAX_AGE_MS;
}

export function isActiveAccountAdmin(agent: AgentAccess): boolean {
  return agent.active && agent.isAccountAdmin;
}

interface ScanResult {
  admins: AgentAccess[];
  complete: boolean;
}

async function scanActiveAgents(deps: AccountAdminsDeps, catalog: RoleCatalog, startedAt: number): Promise<ScanResult> {
  const admins: AgentAccess[] = [];
  let page: number | null = 1;
  for (let pagesRead = 0; page !== null && pagesRead < MAX_SCAN_PAGES && deps.now() - startedAt < SCAN_START_DEADLINE_MS; pagesRead += 1) {
    const answer = await readAgentPage(deps.request, page, true);
    admins.push(...answer.data.agents.map((agent) => toAgentAccess(agent, catalog)).filter(isActiveAccountAdmin));
    page = answer.data.agents.length > 0 ? nextPageAfter(answer.headers, page, 'agents') : null;
  }
  return { admins, complete: page === null };
}

async function scanForAccountAdmins(deps: AccountAdminsDeps, catalog: RoleCatalog, role: RoleInfo, startedAt: number): Promise<AccountAdminsResult> {
  const scan = await scanActiveAgents(deps, catalog, startedAt);
  if (scan.complete) {
    await recordAccountAdmins(deps.storage, role.id, scan.admins, true, deps.now());
  }
  return { accountAdminRole: role, accountAdmins: scan.admins, complete: scan.complete, recordedAt: null };
}

/** One read of the head serves both the roles and the recorded Account Admins. */
export async function listAccountAdmins(deps: AccountAdminsDeps): Promise<AccountAdminsResult> {
  const startedAt = deps.now();
  const catalog = catalogOf(await currentRoles(deps));
  return accountAdminsIn(catalog, deps, startedAt, await deps.storage.head());
}

/**
 * The Account Admins of an account whose roles and head were already read (one $db get serves
 * both): the recorded list, else the bounded scan. `startedAt` is when the calling server
 * method began, so the scan deadline counts its earlier requests.
 */
export function accountAdminsIn(catalog: RoleCatalog, deps: AccountAdminsDeps, startedAt: number, head: Head): Promise<AccountAdminsResult> {
  const role = catalog.accountAdminRole;
  if (!role) {
    return Promise.reject(accountAdminRoleMissing());
  }
  const record = head.accountAdmins;
  if (record && isUsable(record, role, deps.now())) {
    const accountAdmins = record.admins.map((admin) => accountAdminAccess(admin, role.id));
    return Promise.resolve({ accountAdminRole: role, accountAdmins, complete: record.complete, recordedAt: record.recordedAt });
  }
  return scanForAccountAdmins(deps, catalog, role, startedAt);
}
