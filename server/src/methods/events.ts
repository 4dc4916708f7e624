/**
 * The app's serverless event handlers (FDK app set-up, scheduled and product events). Each one
 * answers `renderData()` exactly once and never fails the platform's call: the work is a
 * background refresh, and a failure only means the next run does it. Installation in particular
 * is never blocked (`renderData({ message })` would refuse it, per Freshworks' app set-up events
 * reference, freshworks-platform3 `references/architecture/app_setup_events_doc.md`).
 *
 * There is no afterAppUpdate handler: the same reference says an app with one is not moved to new
 * versions automatically (each customer would have to click Update for every fix). What an update
 * might need, a refresh for an installation made by an older version, is re-created by whoever
 * finds it has stopped running (server/src/admins/presence.ts).
 */
import { z } from 'zod';
import { applyUserEvent, type UserEventName } from '../admins/user-events';
import { keepRefreshAlive } from '../admins/presence';
import { countingDeps, needsScan, readFirstPage, runningScan, scanStep, startScan, STALLED_AFTER_MS, writeBackground, type ScanDeps } from '../admins/scan';
import type { RequestLog } from '../admins/pacing';
import { ALL_CHAINS, armChain, armChains, armRefresh, chainDues, LEAD_MS, scheduledDataSchema } from '../admins/schedules';
import { toErrorBody } from '../errors';
import { currentCatalog, ROLES_REFRESH_AFTER_MS } from '../freshservice/roleCache';
import type { RoleCatalog } from '../freshservice/roles';
import type { EventPlatform, ScheduleClient, ServerArgs } from '../platform';
import { CHAINS_ATTRIBUTE, REFRESH_ATTRIBUTE, type Head, type ScanState } from '../store/head';
import { storageOf } from '../store/storage';

type EventHandler = (args: ServerArgs, platform: EventPlatform) => Promise<void>;

/** A chain is re-armed by the refresh once this long past its due time without a run that said otherwise. */
export const CHAIN_GRACE_MS = 3 * 60_000;

function depsOf(args: ServerArgs, platform: EventPlatform, now: () => number): ScanDeps {
  return { request: platform.request, storage: storageOf(args, platform.store), now };
}

/** Runs `work`, logs only the failure's code and status, and always completes the event. */
function handled(name: string, work: (args: ServerArgs, platform: EventPlatform) => Promise<void>): EventHandler {
  return async (args, platform) => {
    try {
      await work(args, platform);
    } catch (error) {
      const body = toErrorBody(error);
      console.error(`${name} failed: ${body.code} (${body.status})`);
    }
    platform.reply(null);
  };
}

function chainsAttribute(due: readonly number[]): Record<string, unknown> {
  return { [CHAINS_ATTRIBUTE]: { due } };
}

function refreshMark(now: number): Record<string, unknown> {
  return { [REFRESH_ATTRIBUTE]: { at: now } };
}

/** The roles could not be read (the next refresh tries again): nothing to start. */
function rolesUnread(error: unknown): null {
  const body = toErrorBody(error);
  console.warn(`background: the roles could not be read: ${body.code} (${body.status})`);
  return null;
}

/**
 * A new scan: the roles and the first page read at the same time, recorded (with `extra`), and
 * the chains armed only when more pages remain. The install call does this, and the refresh
 * when the list needs renewing.
 */
async function scanFromScratch(deps: ScanDeps, schedule: ScheduleClient, extra: Record<string, unknown>): Promise<void> {
  const spent: RequestLog = [];
  const counted = countingDeps(deps, spent);
  const [started, first] = await Promise.all([startScan(counted).catch(rolesUnread), readFirstPage(counted)]);
  if (started === null) {
    // Nothing to scan for (no Account Admin role), or the roles or the head could not be read: the refresh tries again.
    await writeBackground(deps, await deps.storage.head(), extra);
    return;
  }
  if ((await scanStep(deps, started, { extra, first, spent })) === 'running') {
    const due = await armChains(schedule, ALL_CHAINS, [], deps.now);
    await writeBackground(deps, await deps.storage.head(), chainsAttribute(due));
  }
}

/** Chains whose due time has long passed without a run that recorded a new one: lost or refused. */
function overdueChains(head: Head, now: number): number[] {
  return ALL_CHAINS.filter((chain) => (head.marks.chainsDue[chain] ?? 0) + CHAIN_GRACE_MS < now);
}

/** The refresh while a scan runs: re-arms lost chains, and steps the scan itself when no step has recorded anything for a while. */
async function tendScan(deps: ScanDeps, schedule: ScheduleClient, head: Head, scan: ScanState): Promise<void> {
  const overdue = overdueChains(head, deps.now());
  const due = overdue.length === 0 ? head.marks.chainsDue : await armChains(schedule, overdue, head.marks.chainsDue, deps.now);
  const extra = { ...refreshMark(deps.now()), ...(overdue.length === 0 ? {} : chainsAttribute(due)) };
  if (deps.now() - scan.steppedAt > STALLED_AFTER_MS) {
    await scanStep(deps, scan, { extra });
    return;
  }
  await writeBackground(deps, head, extra);
}

/** The refresh's work on the list: tend a running scan, or rebuild a missing or old list; else only its mark. */
async function renewList(deps: ScanDeps, schedule: ScheduleClient, head: Head, catalog: RoleCatalog, mark: Record<string, unknown>): Promise<void> {
  const scan = runningScan(head, catalog);
  const role = catalog.accountAdminRole;
  if (scan !== null) {
    await tendScan(deps, schedule, head, scan);
  } else if (role !== null && needsScan(head, role.id, deps.now())) {
    await scanFromScratch(deps, schedule, mark);
  } else {
    await writeBackground(deps, head, mark);
  }
}

/** The recurring refresh: roles kept fresh, a running scan tended, a missing or old list rebuilt; it marks that it ran. */
async function refresh(deps: ScanDeps, schedule: ScheduleClient): Promise<void> {
  const catalog = await currentCatalog(deps, ROLES_REFRESH_AFTER_MS).catch(rolesUnread);
  const head = await deps.storage.head();
  const mark = refreshMark(deps.now());
  if (catalog === null || head.failure !== null) {
    await writeBackground(deps, head, mark);
    return;
  }
  await renewList(deps, schedule, head, catalog, mark);
}

/** The chains' due times with one chain's replaced (kept as it was when the platform refused the new one). */
function withDue(chainsDue: readonly number[], chain: number, due: number | null): number[] {
  const all = chainDues(chainsDue);
  all[chain] = due ?? all[chain] ?? 0;
  return all;
}

/**
 * One run of a chain: re-arms itself first (so a failing step does not end the chain; when the
 * store cannot say whether a scan runs, it re-arms anyway), then steps the scan. A chain whose
 * scan has ended stops: under either reading of what a fired schedule leaves, at most CHAINS
 * one-time schedules exist.
 */
async function chainedStep(deps: ScanDeps, schedule: ScheduleClient, chain: number): Promise<void> {
  const head = await deps.storage.head();
  if (head.failure !== null) {
    await armChain(schedule, chain, deps.now() + LEAD_MS, deps.now);
    return;
  }
  const catalog = head.scan === null || head.scan.done ? null : await currentCatalog(deps);
  const scan = catalog === null ? null : runningScan(head, catalog);
  if (catalog === null || scan === null) {
    return;
  }
  const rearmed = await armChain(schedule, chain, deps.now() + LEAD_MS, deps.now);
  await scanStep(deps, scan, { extra: chainsAttribute(withDue(head.marks.chainsDue, chain, rearmed)) });
}

const scheduledPayloadSchema = z.object({ data: scheduledDataSchema });

export interface EventHandlers {
  onAppInstall: EventHandler;
  onScheduledEvent: EventHandler;
  onUserCreate: EventHandler;
  onUserUpdate: EventHandler;
  onUserDelete: EventHandler;
}

export function createEventHandlers(now: () => number): EventHandlers {
  const userEvent = (name: UserEventName): EventHandler =>
    handled(name, async (args, platform) => {
      const deps = depsOf(args, platform, now);
      await applyUserEvent(name, args, deps);
      await keepRefreshAlive(await deps.storage.head(), deps.storage, platform.schedule, now);
    });
  return {
    // Small on purpose (FDK gives it 10 s in one reading): the refresh, then the roles and the first page at once, the chains after.
    onAppInstall: handled('onAppInstall', async (args, platform) => {
      // A refresh the platform refused is not marked: the first view or event re-creates it.
      const armed = await armRefresh(platform.schedule, now);
      await scanFromScratch(depsOf(args, platform, now), platform.schedule, armed ? refreshMark(now()) : {});
    }),
    onScheduledEvent: handled('onScheduledEvent', async (args, platform) => {
      const parsed = scheduledPayloadSchema.safeParse(args);
      if (!parsed.success) {
        console.warn('onScheduledEvent: a schedule this app did not make; ignored');
        return;
      }
      const data = parsed.data.data;
      const deps = depsOf(args, platform, now);
      await (data.task === 'refresh' ? refresh(deps, platform.schedule) : chainedStep(deps, platform.schedule, data.chain));
    }),
    onUserCreate: userEvent('onUserCreate'),
    onUserUpdate: userEvent('onUserUpdate'),
    onUserDelete: userEvent('onUserDelete'),
  };
}

const handlers = createEventHandlers(Date.now);

// What server/server.js calls, one name per handler the manifest declares.
export const onAppInstall: EventHandler = handlers.onAppInstall;
export const onScheduledEvent: EventHandler = handlers.onScheduledEvent;
export const onUserCreate: EventHandler = handlers.onUserCreate;
export const onUserUpdate: EventHandler = handlers.onUserUpdate;
export const onUserDelete: EventHandler = handlers.onUserDelete;
