/**
 * The background scan for Account Admins: reads the account's active agents page by page in
 * short steps run by scheduled events (never in a view), recording each Account Admin it finds
 * in the head as it goes, so the list is useful before the scan ends and complete when it does.
 *
 * A step starts no new page after STEP_START_DEADLINE_MS or MAX_PAGES_PER_STEP pages (a step
 * must end inside FDK's 20 s, and leave most of the 50 template requests a minute to the people
 * using the app), then records its progress with one head update. Two steps running at once
 * read the same pages and write the same progress: duplicated work, never a skipped page. A step
 * cut off before its update is simply done again by the next one.
 *
 * Each scan is a generation (its start time): every admin it finds is stamped with it, and when
 * the last page has been read, admins stamped older (no longer found) are removed and the list
 * is marked complete. User events between stamp their own time, so a scan never removes them.
 */
import type { AgentAccess } from '../../../common/audit';
import { adminAttributes, fittingAdmins, isActiveAccountAdmin, removeAdmins, storedAdmin } from '../audit/accountAdmins';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage } from '../freshservice/agents';
import { nextPageAfter } from '../freshservice/pagination';
import { currentCatalog, type RolesDeps } from '../freshservice/roleCache';
import type { RoleCatalog } from '../freshservice/roles';
import { isScanRunning, SCAN_ATTRIBUTE, writeHeadAttributes, type Head, type ScanState, type StoredAccountAdmin } from '../store/head';

/** No page is started later than this into a step (a page may take FDK's full 15 s). */
export const STEP_START_DEADLINE_MS = 4_000;
export const MAX_PAGES_PER_STEP = 12;
/** A scan whose last step is older than this has stalled (its chained schedules were lost): the refresh steps it. */
export const STALLED_AFTER_MS = 6 * 60_000;
/** A complete list older than this is refreshed by a new scan (well inside the record's one-day age limit). */
export const REFRESH_AFTER_MS = 20 * 60 * 60_000;

/** What a scan step uses: Freshservice, the app's storage and the clock (as the role cache does). */
export type ScanDeps = RolesDeps;

/** What a step did: nothing to do, read pages and more remain, or read the last page. */
export type StepOutcome = 'idle' | 'running' | 'done';

/** Whether the head's list needs a new scan: none recorded for this role, incomplete without a scan running, or old. */
export function needsScan(head: Head, roleId: number, now: number): boolean {
  if (isScanRunning(head.scan, roleId)) {
    return false;
  }
  const record = head.accountAdmins;
  return record === null || record.roleId !== roleId || !record.complete || now - Date.parse(record.recordedAt) > REFRESH_AFTER_MS;
}

/**
 * Starts a new scan generation, unless one is running for the current Account Admin role. With
 * no list recorded yet, the list is marked incomplete (views say the scan is under way). Null
 * when there is nothing to scan for (no Account Admin role) or the head cannot be read.
 */
export async function startScan(deps: ScanDeps): Promise<ScanState | null> {
  const head = await deps.storage.head();
  const role = (await currentCatalog(deps)).accountAdminRole;
  if (head.failure !== null || role === null) {
    return null;
  }
  if (isScanRunning(head.scan, role.id)) {
    return head.scan;
  }
  const now = deps.now();
  const scan: ScanState = { generation: now, roleId: role.id, nextPage: 1, pagesRead: 0, agentsRead: 0, startedAt: now, steppedAt: now, overflowed: false, done: false };
  const unrecorded = head.accountAdmins === null || head.accountAdmins.roleId !== role.id;
  const meta = unrecorded ? { roleId: role.id, complete: false, recordedAt: new Date(now).toISOString() } : null;
  await writeHeadAttributes(deps.storage.sealed, head, { ...adminAttributes(meta, []), [SCAN_ATTRIBUTE]: scan });
  return scan;
}

interface PagesRead {
  admins: AgentAccess[];
  pages: number;
  agents: number;
  nextPage: number | null;
}

async function readPages(deps: ScanDeps, catalog: RoleCatalog, firstPage: number, startedAt: number): Promise<PagesRead> {
  const read: PagesRead = { admins: [], pages: 0, agents: 0, nextPage: firstPage };
  while (read.nextPage !== null && read.pages < MAX_PAGES_PER_STEP && deps.now() - startedAt < STEP_START_DEADLINE_MS) {
    const page: number = read.nextPage;
    const answer = await readAgentPage(deps.request, page, true);
    read.admins.push(...answer.data.agents.map((agent) => toAgentAccess(agent, catalog)).filter(isActiveAccountAdmin));
    read.pages += 1;
    read.agents += answer.data.agents.length;
    read.nextPage = answer.data.agents.length > 0 ? nextPageAfter(answer.headers, page, 'agents') : null;
  }
  return read;
}

/** The admins this generation has found so far plus those just read, as many as fit the head's share. */
function foundSoFar(head: Head, deps: ScanDeps, scan: ScanState, read: PagesRead) {
  const earlier = (head.accountAdmins?.admins ?? []).filter((admin) => admin.seen >= scan.generation && !read.admins.some((found) => found.id === admin.id));
  const candidates = [...earlier, ...read.admins.map((admin) => storedAdmin(admin, scan.generation))];
  const kept = fittingAdmins(head, deps.storage, candidates);
  return { kept: kept.filter((admin) => read.admins.some((found) => found.id === admin.id)), overflowed: kept.length < candidates.length };
}

/** What the scan looks like after a step that read `read`. */
function afterStep(scan: ScanState, read: PagesRead, overflowed: boolean, now: number): ScanState {
  return {
    ...scan,
    nextPage: read.nextPage ?? scan.nextPage,
    pagesRead: scan.pagesRead + read.pages,
    agentsRead: scan.agentsRead + read.agents,
    steppedAt: now,
    overflowed: scan.overflowed || overflowed,
    done: read.nextPage === null,
  };
}

/** The scan this step works on: the one just started (the head read before does not show it yet), else the head's running one. */
function scanToStep(head: Head, roleId: number | undefined, started: ScanState | null): ScanState | null {
  const scan = started ?? head.scan;
  return head.failure === null && roleId !== undefined && isScanRunning(scan, roleId) ? scan : null;
}

/**
 * One step of the running scan (`started`: a scan this call just started): reads pages from
 * where the scan is, then records what it found and where it stopped with one head update;
 * after the last page, marks the list complete and removes the admins this generation did not
 * find.
 */
export async function scanStep(deps: ScanDeps, started: ScanState | null = null): Promise<StepOutcome> {
  const startedAt = deps.now();
  const head = await deps.storage.head();
  const catalog = await currentCatalog(deps);
  const scan = scanToStep(head, catalog.accountAdminRole?.id, started);
  if (scan === null) {
    return 'idle';
  }
  const read = await readPages(deps, catalog, scan.nextPage, startedAt);
  const found = foundSoFar(head, deps, scan, read);
  const next = afterStep(scan, read, found.overflowed, deps.now());
  await recordStep(deps, head, next, found.kept);
  return next.done ? 'done' : 'running';
}

/** One head update with what a step found and where it stopped; after the last page, the list is complete and those not found are removed. */
async function recordStep(deps: ScanDeps, head: Head, next: ScanState, found: StoredAccountAdmin[]): Promise<void> {
  const meta = next.done ? { roleId: next.roleId, complete: !next.overflowed, recordedAt: new Date(next.steppedAt).toISOString() } : null;
  await writeHeadAttributes(deps.storage.sealed, head, { ...adminAttributes(meta, found), [SCAN_ATTRIBUTE]: next });
  if (next.done) {
    const stale = (head.accountAdmins?.admins ?? []).filter((admin) => admin.seen < next.generation && !found.some((kept) => kept.id === admin.id));
    await removeAdmins(deps.storage, head, stale.map((admin) => admin.id));
  }
}
