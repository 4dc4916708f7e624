import { z } from 'zod';
import type { AccountAdminsResult, AgentAccess, RoleInfo } from '../../../common/audit';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage } from '../freshservice/agents';
import { nextPageAfter } from '../freshservice/pagination';
import { currentRoles } from '../freshservice/roleCache';
import { accountAdminRoleMissing, catalogOf, type RoleCatalog } from '../freshservice/roles';
import type { KeyValueStore, TemplateClient } from '../platform';
import { agentAccessSchema } from './schemas';
import { jsonBytes } from './size';

/**
 * Who can enable API keys, answered inside one 20 s call on any account size:
 * 1. the record the last complete overview (or complete scan) left in $db (one small key), when
 *    it was made for the account's current Account Admin role and is younger than
 *    RECORD_MAX_AGE_MS; else
 * 2. a bounded scan of active agents (at most MAX_SCAN_PAGES pages, and no new request once
 *    SCAN_START_DEADLINE_MS have passed, so even a 15 s template timeout ends inside 20 s).
 * `complete` is false when the scan could not see the whole account.
 */
export const ACCOUNT_ADMINS_KEY = 'audit:accountAdmins:v1';
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
/** $db allows 40 KB per key + value. */
const RECORD_MAX_BYTES = 35_000;

const recordSchema = z.object({
  roleId: z.number(),
  admins: z.array(agentAccessSchema),
  complete: z.boolean(),
  recordedAt: z.string(),
});
type AccountAdminsRecord = z.infer<typeof recordSchema>;

export interface AccountAdminsDeps {
  request: TemplateClient;
  store: KeyValueStore;
  now: () => number;
}

async function readRecord(store: KeyValueStore): Promise<AccountAdminsRecord | null> {
  try {
    const parsed = recordSchema.safeParse(await store.get(ACCOUNT_ADMINS_KEY));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps the record inside $db's size limit; dropping anyone makes it incomplete. */
function fitRecord(record: AccountAdminsRecord): AccountAdminsRecord {
  const admins = [...record.admins];
  while (admins.length > 0 && jsonBytes({ ...record, admins }) > RECORD_MAX_BYTES) {
    admins.pop();
  }
  return { ...record, admins, complete: record.complete && admins.length === record.admins.length };
}

/** One $db write; a failure only means the next listAccountAdmins scans again. */
export async function recordAccountAdmins(store: KeyValueStore, roleId: number, admins: AgentAccess[], complete: boolean, now: number): Promise<void> {
  const record = fitRecord({ roleId, admins, complete, recordedAt: new Date(now).toISOString() });
  try {
    await store.set(ACCOUNT_ADMINS_KEY, record);
  } catch {
    console.warn('listAccountAdmins: recording the Account Admins failed');
  }
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

export async function listAccountAdmins(deps: AccountAdminsDeps): Promise<AccountAdminsResult> {
  const startedAt = deps.now();
  const catalog = catalogOf(await currentRoles(deps.request, deps.store));
  return accountAdminsIn(catalog, deps, startedAt);
}

/**
 * The Account Admins of an account whose roles were already read (getProfileAccess reads them
 * once for everything): the recorded list (one $db get), else the bounded scan. `startedAt`
 * is when the calling server method began, so the scan deadline counts its earlier requests.
 */
export async function accountAdminsIn(catalog: RoleCatalog, deps: AccountAdminsDeps, startedAt: number): Promise<AccountAdminsResult> {
  const role = catalog.accountAdminRole;
  if (!role) {
    throw accountAdminRoleMissing();
  }
  const record = await readRecord(deps.store);
  if (record && isUsable(record, role, deps.now())) {
    return { accountAdminRole: role, accountAdmins: record.admins, complete: record.complete, recordedAt: record.recordedAt };
  }
  return scanForAccountAdmins(deps, catalog, role, startedAt);
}
