/**
 * The app's serverless event handlers (FDK app set-up, scheduled and product events). Each one
 * answers `renderData()` exactly once and never fails the platform's call: the work is a
 * background refresh, and a failure only means the next run does it. Installation in particular
 * is never blocked (`renderData({ message })` would refuse it, per Freshworks' app set-up events
 * reference, freshworks-platform3 `references/architecture/app_setup_events_doc.md`).
 */
import { z } from 'zod';
import { applyUserEvent, type UserEventName } from '../admins/user-events';
import { needsScan, scanStep, startScan, STALLED_AFTER_MS, type ScanDeps } from '../admins/scan';
import { chainNext, ensureRefresh, scheduledDataSchema, startChains } from '../admins/schedules';
import { toErrorBody } from '../errors';
import { currentCatalog, ROLES_REFRESH_AFTER_MS } from '../freshservice/roleCache';
import type { EventPlatform, ServerArgs } from '../platform';
import { isScanRunning } from '../store/head';
import { storageOf } from '../store/storage';

type EventHandler = (args: ServerArgs, platform: EventPlatform) => Promise<void>;

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

/** Starts a scan, takes its first step now, and chains the rest when the account is larger than one step. */
async function scanFromScratch(deps: ScanDeps, platform: EventPlatform): Promise<void> {
  const scan = await startScan(deps);
  if (scan !== null && (await scanStep(deps, scan)) === 'running') {
    await startChains(platform.schedule, scan.generation, deps.now());
  }
}

/** The recurring refresh: roles kept fresh, a stalled scan stepped, a missing or old list rebuilt. */
async function refresh(deps: ScanDeps, platform: EventPlatform): Promise<void> {
  const role = (await currentCatalog(deps, ROLES_REFRESH_AFTER_MS)).accountAdminRole;
  const head = await deps.storage.head();
  if (role === null || head.failure !== null) {
    return;
  }
  if (isScanRunning(head.scan, role.id)) {
    if (deps.now() - head.scan.steppedAt > STALLED_AFTER_MS && (await scanStep(deps)) === 'running') {
      await startChains(platform.schedule, head.scan.generation, deps.now());
    }
    return;
  }
  if (needsScan(head, role.id, deps.now())) {
    await scanFromScratch(deps, platform);
  }
}

/** One link of a chain of steps: steps the scan it was made for, and schedules its next run while the scan goes on. */
async function chainedStep(deps: ScanDeps, platform: EventPlatform, generation: number, chain: number): Promise<void> {
  const head = await deps.storage.head();
  if (head.scan?.generation !== generation || head.scan.done) {
    return;
  }
  if ((await scanStep(deps)) === 'running') {
    await chainNext(platform.schedule, generation, chain, deps.now());
  }
}

const scheduledPayloadSchema = z.object({ data: scheduledDataSchema });

export interface EventHandlers {
  onAppInstall: EventHandler;
  afterAppUpdate: EventHandler;
  onScheduledEvent: EventHandler;
  onUserCreate: EventHandler;
  onUserUpdate: EventHandler;
  onUserDelete: EventHandler;
}

export function createEventHandlers(now: () => number): EventHandlers {
  const userEvent = (name: UserEventName): EventHandler => handled(name, (args, platform) => applyUserEvent(name, args, depsOf(args, platform, now)));
  return {
    onAppInstall: handled('onAppInstall', async (args, platform) => {
      await ensureRefresh(platform.schedule, now());
      await scanFromScratch(depsOf(args, platform, now), platform);
    }),
    afterAppUpdate: handled('afterAppUpdate', async (args, platform) => {
      await ensureRefresh(platform.schedule, now());
      await refresh(depsOf(args, platform, now), platform);
    }),
    onScheduledEvent: handled('onScheduledEvent', async (args, platform) => {
      const parsed = scheduledPayloadSchema.safeParse(args);
      if (!parsed.success) {
        console.warn('onScheduledEvent: a schedule this app did not make; ignored');
        return;
      }
      const data = parsed.data.data;
      const deps = depsOf(args, platform, now);
      await (data.task === 'refresh' ? refresh(deps, platform) : chainedStep(deps, platform, data.generation, data.chain));
    }),
    onUserCreate: userEvent('onUserCreate'),
    onUserUpdate: userEvent('onUserUpdate'),
    onUserDelete: userEvent('onUserDelete'),
  };
}

const handlers = createEventHandlers(Date.now);

// What server/server.js calls, one name per handler the manifest declares.
export const onAppInstall: EventHandler = handlers.onAppInstall;
export const afterAppUpdate: EventHandler = handlers.afterAppUpdate;
export const onScheduledEvent: EventHandler = handlers.onScheduledEvent;
export const onUserCreate: EventHandler = handlers.onUserCreate;
export const onUserUpdate: EventHandler = handlers.onUserUpdate;
export const onUserDelete: EventHandler = handlers.onUserDelete;
