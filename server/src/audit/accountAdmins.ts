import type { AccountAdminsResult, AgentAccess, RoleInfo } from '../../../common/audit';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage } from '../freshservice/agents';
import { nextPageAfter } from '../freshservice/pagination';
import { ADMINS_PART_MAX_BYTES, accountAdminsPartBytes, readAccountSnapshot, writeAccountAdminsPart, type AccountAdminsRecord, type AccountSnapshot } from '../freshservice/accountSnapshot';
import { currentRoles } from '../freshservice/roleCache';
import { accountAdminRoleMissing, catalogOf, type RoleCatalog } from '../freshservice/roles';
import type { KeyValueStore, TemplateClient } from '../platform';

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
  store: KeyValueStore;
  now: () => number;
}

/** Keeps the record inside its share of the snapshot key; dropping anyone makes it incomplete. */
function fitRecord(record: AccountAdminsRecord): AccountAdminsRecord {
  const admins = [...record.admins];
  while (admins.length > 0 && accountAdminsPartBytes({ ...record, admins }) > ADMINS_PART_MAX_BYTES) {
    admins.pop();
  }
  return { ...record, admins, complete: record.complete && admins.length === record.admins.length };
}

/**
 * The snapshot's Account Admins part only (the roles part is left as it is), written only at the
 * end of a verified overview chain or by a complete scan. A failure only means the next
 * listAccountAdmins scans again.
 */
export async function recordAccountAdmins(store: KeyValueStore, roleId: number, admins: AgentAccess[], complete: boolean, now: number): Promise<void> {
  await writeAccountAdminsPart(store, fitRecord({ roleId, admins, complete, recordedAt: new Date(now).toISOString() }));
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
    await recordAccountAdmins(deps.store, role.id, scan.admins, true, deps.now());
  }
  return { accountAdminRole: role, accountAdmins: scan.admins, complete: scan.complete, recordedAt: null };
}

/** One read of the snapshot serves both the roles and the recorded Account Admins. */
export async function listAccountAdmins(deps: AccountAdminsDeps): Promise<AccountAdminsResult> {
  const startedAt = deps.now();
  const snapshot = await readAccountSnapshot(deps.store);
  const catalog = catalogOf(await currentRoles(deps, snapshot));
  return accountAdminsIn(catalog, deps, startedAt, snapshot);
}

/**
 * The Account Admins of an account whose roles and snapshot were already read (one $db get
 * serves both): the recorded list, else the bounded scan. `startedAt` is when the calling
 * server method began, so the scan deadline counts its earlier requests.
 */
export function accountAdminsIn(catalog: RoleCatalog, deps: AccountAdminsDeps, startedAt: number, snapshot: AccountSnapshot): Promise<AccountAdminsResult> {
  const role = catalog.accountAdminRole;
  if (!role) {
    return Promise.reject(accountAdminRoleMissing());
  }
  const record = snapshot.accountAdmins;
  if (record && isUsable(record, role, deps.now())) {
    return Promise.resolve({ accountAdminRole: role, accountAdmins: record.admins, complete: record.complete, recordedAt: record.recordedAt });
  }
  return scanForAccountAdmins(deps, catalog, role, startedAt);
}
