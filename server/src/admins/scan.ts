/**
 * The background scan for Account Admins: reads the account's active agents page by page in
 * short steps run by scheduled events (never in a view), recording each Account Admin it finds
 * in the head as it goes, so the list is useful before the scan ends and complete when it does.
 *
 * A step is paced by requests, not by time: it reads as many pages as the background's share
 * of the installation's template budget allows (admins/pacing.ts), several at once, reserving
 * them in the head first so no other step (and no console) spends them twice. STEP_GUARD_MS is
 * only a guard inside FDK's 20 s run limit: no round of pages starts after it, however slow
 * Freshservice answers. Each step costs three `$db` operations (the head, the reservation, the
 * result; one more when the scan ends and former Account Admins are removed).
 *
 * Each scan is a generation (its start time): every admin it finds is stamped with it, and when
 * the last page has been read, admins stamped older (no longer found) are removed and the list
 * is marked complete. User events between stamp their own time, so a scan never removes them.
 */
import type { AgentAccess } from '../../../common/audit';
import { adminAttributes, fittingAdmins, isActiveAccountAdmin, removeAdmins, storedAdmin } from '../audit/accountAdmins';
import { backoffForRemaining, LOW_REMAINING } from '../audit/pacing';
import { AppError } from '../errors';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage, type AgentListAnswer } from '../freshservice/agents';
import { rateLimitRemaining } from '../freshservice/client';
import { nextPageAfter } from '../freshservice/pagination';
import { currentCatalog, type RolesDeps } from '../freshservice/roleCache';
import type { RoleCatalog } from '../freshservice/roles';
import type { TemplateClient } from '../platform';
import { isScanRunning, SCAN_ATTRIBUTE, writeHeadAttributes, type Head, type ScanState, type StoredAccountAdmin } from '../store/head';
import { pagesAllowed, recentRequests, type RequestLog } from './pacing';

/** Pages read at once within a step. */
export const PAGES_AT_ONCE = 6;
/** No round of pages starts later than this into a step: a page may take FDK's full 15 s, and an event may run 20 s. */
export const STEP_GUARD_MS = 5_000;
/** FDK lets an event run 20 s: a step holds the scan that long from its start at most. */
export const STEP_HOLD_MS = 20_000;
/** After a failure other than a rate limit (a wrong key, Freshservice down), steps wait this long. */
export const FAILURE_WAIT_MS = 5 * 60_000;
/** A scan none of whose steps recorded anything for this long has lost its chains: the refresh steps it and re-arms them. */
export const STALLED_AFTER_MS = 10 * 60_000;
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
 * The same deps, with every template request logged (time, count) into `log`: the background's
 * spending, kept in the head so that every step and the console see it.
 */
export function countingDeps(deps: ScanDeps, log: RequestLog): ScanDeps {
  const request: TemplateClient = {
    invokeTemplate: (name, invocation) => {
      const now = deps.now();
      const last = log[log.length - 1];
      if (last !== undefined && last[0] === now) {
        last[1] += 1;
      } else {
        log.push([now, 1]);
      }
      return deps.request.invokeTemplate(name, invocation);
    },
  };
  return { ...deps, request };
}

/** What a step read: the admins found, how far it got, and why it stopped early. */
interface PagesRead {
  admins: AgentAccess[];
  pages: number;
  agents: number;
  nextPage: number;
  done: boolean;
  /** The lowest X-RateLimit-Remaining Freshservice sent. */
  remaining: number | null;
  failure: AppError | null;
  requested: number;
}

function nothingRead(nextPage: number): PagesRead {
  return { admins: [], pages: 0, agents: 0, nextPage, done: false, remaining: null, failure: null, requested: 0 };
}

function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError(500, 'INTERNAL', 'A page of agents could not be read.');
}

function lower(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

/** Takes one page's answer: its Account Admins, and whether it is the last page. */
function takePage(read: PagesRead, page: number, answer: AgentListAnswer, catalog: RoleCatalog): void {
  const agents = answer.data.agents;
  read.admins.push(...agents.map((agent) => toAgentAccess(agent, catalog)).filter(isActiveAccountAdmin));
  read.pages += agents.length > 0 ? 1 : 0;
  read.agents += agents.length;
  read.remaining = lower(read.remaining, rateLimitRemaining(answer.headers));
  read.nextPage = page + 1;
  read.done = agents.length === 0 || nextPageAfter(answer.headers, page, 'agents') === null;
}

/** Takes settled pages in order up to the last page or the first failure (pages after it are read again later). */
function takeSettled(read: PagesRead, first: number, settled: PromiseSettledResult<AgentListAnswer>[], catalog: RoleCatalog): void {
  for (const [index, result] of settled.entries()) {
    if (result.status === 'rejected') {
      read.failure = asAppError(result.reason);
      return;
    }
    try {
      takePage(read, first + index, result.value, catalog);
    } catch (error) {
      read.failure = asAppError(error);
      return;
    }
    if (read.done) {
      return;
    }
  }
}

/** Reads `count` pages from where the scan is, all at once. */
async function readRound(deps: ScanDeps, catalog: RoleCatalog, read: PagesRead, count: number): Promise<void> {
  const first = read.nextPage;
  read.requested += count;
  const settled = await Promise.allSettled(Array.from(Array(count).keys(), (index) => readAgentPage(deps.request, first + index, true)));
  takeSettled(read, first, settled, catalog);
}

/** Freshservice said it has fewer than LOW_REMAINING requests left this minute (for every integration of the account). */
function runningLow(remaining: number | null): boolean {
  return remaining !== null && remaining < LOW_REMAINING;
}

/** Another round only while pages remain, none failed, the share allows, and Freshservice is not running low. */
function canReadMore(read: PagesRead, allowed: number): boolean {
  return !read.done && read.failure === null && read.requested < allowed && !runningLow(read.remaining);
}

/** Reads up to `allowed` pages from `from`, PAGES_AT_ONCE at a time, starting no round after STEP_GUARD_MS. */
async function readPages(deps: ScanDeps, catalog: RoleCatalog, from: number, allowed: number, startedAt: number): Promise<PagesRead> {
  const read = nothingRead(from);
  while (canReadMore(read, allowed) && deps.now() - startedAt < STEP_GUARD_MS) {
    await readRound(deps, catalog, read, Math.min(PAGES_AT_ONCE, allowed - read.requested));
  }
  return read;
}

/** When the next step may read: after Freshservice's or the platform's Retry-After, a failure's wait, or a low remaining count. */
function notBeforeAfter(read: PagesRead, now: number): number {
  const failure = read.failure;
  if (failure !== null) {
    const rateLimited = failure.code === 'RATE_LIMITED' || failure.code === 'APP_RATE_LIMITED';
    return now + (rateLimited ? (failure.retryAfterSeconds ?? 60) * 1000 : FAILURE_WAIT_MS);
  }
  return now + backoffForRemaining(read.remaining);
}

/** The admins this generation has found so far plus those just read, as many as fit the head's share. */
function foundSoFar(head: Head, deps: ScanDeps, scan: ScanState, read: PagesRead) {
  const earlier = (head.accountAdmins?.admins ?? []).filter((admin) => admin.seen >= scan.generation && !read.admins.some((found) => found.id === admin.id));
  const candidates = [...earlier, ...read.admins.map((admin) => storedAdmin(admin, scan.generation))];
  const kept = fittingAdmins(head, deps.storage, candidates);
  return { kept: kept.filter((admin) => read.admins.some((found) => found.id === admin.id)), overflowed: kept.length < candidates.length };
}

/** What the scan looks like after a step that read `read` (the scan as it was before the step's reservation). */
function afterStep(scan: ScanState, read: PagesRead, overflowed: boolean, log: RequestLog, now: number): ScanState {
  return {
    ...scan,
    nextPage: read.nextPage,
    pagesRead: scan.pagesRead + read.pages,
    agentsRead: scan.agentsRead + read.agents,
    steppedAt: now,
    overflowed: scan.overflowed || overflowed,
    done: read.done,
    requests: recentRequests([...scan.requests, ...log], now),
    busyUntil: 0,
    notBefore: notBeforeAfter(read, now),
  };
}

/** One head update with what a step found and where it stopped (plus `extra` attributes); after the last page, the list is complete and those not found are removed. */
async function recordStep(deps: ScanDeps, head: Head, next: ScanState, found: StoredAccountAdmin[], extra: Record<string, unknown>): Promise<void> {
  const meta = next.done ? { roleId: next.roleId, complete: !next.overflowed, recordedAt: new Date(next.steppedAt).toISOString() } : null;
  await writeHeadAttributes(deps.storage.sealed, head, { ...extra, ...adminAttributes(meta, found), [SCAN_ATTRIBUTE]: next });
  if (next.done) {
    const stale = (head.accountAdmins?.admins ?? []).filter((admin) => admin.seen < next.generation && !found.some((kept) => kept.id === admin.id));
    await removeAdmins(deps.storage, head, stale.map((admin) => admin.id));
  }
}

/** What a step is given besides the scan it steps. */
export interface StepOptions {
  /** Written with the step's result (or alone when the step reads nothing), e.g. a chain's due time. */
  extra?: Record<string, unknown>;
  /** The scan's first page, read already (at the same time as the roles): the step records it instead of reading. */
  first?: FirstPage;
  /** Template requests made for this step before it ran (the roles, the first page). */
  spent?: RequestLog;
}

/** What the step reads: the pages its share allows (reserved in the head first), or the first page it was given. */
async function pagesFor(deps: ScanDeps, head: Head, scan: ScanState, catalog: RoleCatalog, first: FirstPage | undefined): Promise<PagesRead | null> {
  const startedAt = deps.now();
  if (first !== undefined) {
    return scan.nextPage === 1 ? firstPageRead(first, catalog) : null;
  }
  const allowed = pagesAllowed(scan, head.marks.people, startedAt);
  if (allowed === 0) {
    return null;
  }
  const reserved: RequestLog = [...recentRequests(scan.requests, startedAt), [startedAt + STEP_GUARD_MS, allowed]];
  await writeHeadAttributes(deps.storage.sealed, head, { [SCAN_ATTRIBUTE]: { ...scan, busyUntil: startedAt + STEP_HOLD_MS, requests: reserved } });
  return readPages(deps, catalog, scan.nextPage, allowed, startedAt);
}

/**
 * One step of the running scan (`started`: a scan this call just started, which the head read
 * before does not show yet): reserves the pages the budget allows, reads them, then records what
 * it found and where it stopped with one head update; after the last page, marks the list
 * complete and removes the admins this generation did not find. With nothing allowed (the
 * share is spent, people are using the app, another step holds the scan, Freshservice asked to
 * wait), it only writes `extra`, if any.
 */
export async function scanStep(deps: ScanDeps, started: ScanState | null = null, options: StepOptions = {}): Promise<StepOutcome> {
  const head = await deps.storage.head();
  const catalog = await currentCatalog(deps);
  const scan = scanToStep(head, catalog.accountAdminRole?.id, started);
  if (scan === null) {
    await writeBackground(deps, head, options.extra ?? {});
    return 'idle';
  }
  return stepOf(deps, head, scan, catalog, options);
}

async function stepOf(deps: ScanDeps, head: Head, scan: ScanState, catalog: RoleCatalog, options: StepOptions): Promise<StepOutcome> {
  const extra = options.extra ?? {};
  const log: RequestLog = [...(options.spent ?? [])];
  const read = await pagesFor(countingDeps(deps, log), head, scan, catalog, options.first);
  if (read === null) {
    await writeBackground(deps, head, extra);
    return 'running';
  }
  const found = foundSoFar(head, deps, scan, read);
  const next = afterStep(scan, read, found.overflowed, log, deps.now());
  await recordStep(deps, head, next, found.kept, extra);
  return next.done ? 'done' : 'running';
}

/** The scan this step works on: the one just started, else the head's running one. */
function scanToStep(head: Head, roleId: number | undefined, started: ScanState | null): ScanState | null {
  const scan = started ?? head.scan;
  return head.failure === null && roleId !== undefined && isScanRunning(scan, roleId) ? scan : null;
}

/** Writes the background's attributes with one head update, unless there are none or the head could not be read. */
export async function writeBackground(deps: ScanDeps, head: Head, attributes: Record<string, unknown>): Promise<void> {
  if (head.failure === null && Object.keys(attributes).length > 0) {
    await writeHeadAttributes(deps.storage.sealed, head, attributes);
  }
}

/** The scan running for the account's current Account Admin role, if the head could be read and one is. */
export function runningScan(head: Head, catalog: RoleCatalog): ScanState | null {
  return scanToStep(head, catalog.accountAdminRole?.id, null);
}

/** The first page of a new scan, read at the same time as the roles: its answer, or why it failed. */
export type FirstPage = { ok: true; answer: AgentListAnswer } | { ok: false; failure: AppError };

export function readFirstPage(deps: ScanDeps): Promise<FirstPage> {
  return readAgentPage(deps.request, 1, true).then(
    (answer): FirstPage => ({ ok: true, answer }),
    (error: unknown): FirstPage => ({ ok: false, failure: asAppError(error) }),
  );
}

function firstPageRead(first: FirstPage, catalog: RoleCatalog): PagesRead {
  const read = nothingRead(1);
  read.requested = 1;
  if (!first.ok) {
    read.failure = first.failure;
    return read;
  }
  try {
    takePage(read, 1, first.answer, catalog);
  } catch (error) {
    read.failure = asAppError(error);
  }
  return read;
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
  const scan: ScanState = { generation: now, roleId: role.id, nextPage: 1, pagesRead: 0, agentsRead: 0, startedAt: now, steppedAt: now, overflowed: false, done: false, requests: [], busyUntil: 0, notBefore: 0 };
  const unrecorded = head.accountAdmins === null || head.accountAdmins.roleId !== role.id;
  const meta = unrecorded ? { roleId: role.id, complete: false, recordedAt: new Date(now).toISOString() } : null;
  await writeHeadAttributes(deps.storage.sealed, head, { ...adminAttributes(meta, []), [SCAN_ATTRIBUTE]: scan });
  return scan;
}
