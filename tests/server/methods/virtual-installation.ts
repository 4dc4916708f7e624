/**
 * An installation driven in virtual time: the app's event handlers, the local runtime's
 * `$schedule` (dev/runtime/scheduler.ts, under a chosen reading of what Freshworks leaves
 * undocumented), FDK's 50 template requests a minute for the whole installation, and every
 * template request and schedule call taking its time. Scheduled events, a console loading the
 * account and sidebar views run at the same time, interleaved as they would be at real pace,
 * without waiting (tests and bench/admins.ts).
 */
import type { ScheduleReadings } from '../../../dev/runtime/schedule-book';
import { LocalScheduler, type SchedulerTimers } from '../../../dev/runtime/scheduler';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import type { AccessOverviewSlice } from '#common/audit';
import { PLATFORM_REQUESTS_PER_MINUTE } from '#server/audit/pacing';
import { accessOverviewSlice } from '#server/audit/overview';
import { AppError } from '#server/errors';
import { createEventHandlers } from '#server/methods/events';
import type { EventPlatform, KeyValueStore, ScheduleClient, TemplateClient } from '#server/platform';
import { profileAccess } from '#server/profile/profileAccess';
import { TEST_CURSOR_KEY } from '../audit/run';
import { TEST_IPARAMS, headOf, testStorage } from '../fakes/storage';
import { emailOf } from '../freshservice/fixtures';

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface VirtualTimer {
  at: number;
  order: number;
  run: () => void;
}

/**
 * Virtual time: timers fire in time order, the clock jumping to each; before each, every promise
 * that can settle does, so concurrent async work interleaves as it would in real time.
 */
export class VirtualTime implements SchedulerTimers {
  private timers: VirtualTimer[] = [];
  private order = 0;

  constructor(public time = Date.UTC(2026, 10, 26, 6, 0, 0)) {}

  readonly now = (): number => this.time;

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: VirtualTimer = { at: this.time + Math.max(0, ms), order: (this.order += 1), run: callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer !== handle);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Fires the earliest timer due by `until`; false when there is none. */
  private fireNext(until: number): boolean {
    const next = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.order - b.order)[0];
    if (next === undefined) {
      return false;
    }
    this.clearTimeout(next);
    this.time = Math.max(this.time, next.at);
    next.run();
    return true;
  }

  /** Runs everything due until `until`, then moves the clock there. */
  async runUntil(until: number): Promise<void> {
    do {
      await settle();
    } while (this.fireNext(until));
    this.time = Math.max(this.time, until);
  }

  /** Runs time forward until `work` settles (firing whatever else falls due meanwhile), and answers its value. */
  async finish<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const watched = work.finally(() => (done = true));
    await settle();
    while (!done) {
      if (!this.fireNext(Number.POSITIVE_INFINITY)) {
        throw new Error('virtual time: the work waits for nothing that can fire');
      }
      await settle();
    }
    return watched;
  }
}

/** `$schedule` whose every call reaches the platform (`scheduler`) only after `transit`: the lead time is checked on arrival. */
export function arrivingLate(scheduler: LocalScheduler, transit: () => Promise<void>): ScheduleClient {
  const arriving = <T>(call: () => Promise<T>): Promise<T> => transit().then(call);
  return {
    create: (options) => arriving(() => scheduler.create(options)),
    update: (options) => arriving(() => scheduler.update(options)),
    fetch: (options) => arriving(() => scheduler.fetch(options)),
    delete: (options) => arriving(() => scheduler.delete(options)),
  };
}

/** Who made a template request: the background (events), the console or a sidebar view. */
export type Actor = 'background' | 'console' | 'views';

export interface RequestRecord {
  at: number;
  actor: Actor;
  /** Refused by FDK's 50 a minute (429, errorSource PLATFORM). */
  refused: boolean;
}

export interface VirtualInstallationOptions {
  /** Milliseconds a template request takes (default 400). */
  latencyMs?: number;
  /** Milliseconds a `$schedule` call takes to reach the platform (default 50). */
  scheduleLatencyMs?: number;
  readings?: ScheduleReadings;
  /** The clock to run on (e.g. one the simulated Freshservice account also reads); a new one by default. */
  time?: VirtualTime;
}

/** The platform's answer when the installation's 50 template requests a minute are spent. */
const PLATFORM_RATE_LIMIT = { status: 429, headers: {}, message: 'Rate limit exceeded for the app', errorSource: 'PLATFORM', attempts: 1 };

export class VirtualInstallation {
  readonly time: VirtualTime;
  /** `$db` as the app reaches it; `inner` is read by tests without counting. */
  readonly inner = new MemoryKeyValueStore({ operationsPerMinute: 0 });
  /** When each `$db` operation was made. */
  readonly storeOperations: number[] = [];
  readonly requests: RequestRecord[] = [];
  readonly handlers: ReturnType<typeof createEventHandlers>;
  readonly replies: unknown[][] = [];
  readonly scheduler: LocalScheduler;
  /** How long each event handler took, by name. */
  readonly eventDurations: { name: string; ms: number }[] = [];
  private readonly latencyMs: number;
  private readonly scheduleLatencyMs: number;
  /** What the platform answered each `$schedule` call (never the data). */
  readonly scheduleLog: string[] = [];

  constructor(
    private readonly account: TemplateClient,
    options: VirtualInstallationOptions = {},
  ) {
    this.time = options.time ?? new VirtualTime();
    this.handlers = createEventHandlers(this.time.now);
    this.latencyMs = options.latencyMs ?? 400;
    this.scheduleLatencyMs = options.scheduleLatencyMs ?? 50;
    this.scheduler = new LocalScheduler({ now: this.time.now, timers: this.time, log: (line) => this.scheduleLog.push(line), readings: options.readings, fire: (_name, data) => this.event('onScheduledEvent', { data }) });
  }

  /** Template requests as `actor` makes them: each takes latencyMs, and beyond 50 in a minute the platform refuses. */
  client(actor: Actor): TemplateClient {
    return {
      invokeTemplate: async (name, invocation) => {
        const at = this.time.now();
        // FDK's 50 requests a minute per app and account (Freshworks' request-method docs, "Request method
        // considerations"), in a sliding minute: stricter than a calendar minute, as the local runtime plays it.
        const refused = this.requests.filter((request) => !request.refused && request.at > at - 60_000).length >= PLATFORM_REQUESTS_PER_MINUTE;
        this.requests.push({ at, actor, refused });
        if (refused) {
          throw { ...PLATFORM_RATE_LIMIT };
        }
        await this.time.sleep(this.latencyMs);
        return this.account.invokeTemplate(name, invocation);
      },
    };
  }

  /** `$db` with every operation's time recorded. */
  get store(): KeyValueStore {
    const record = <T>(work: () => Promise<T>): Promise<T> => {
      this.storeOperations.push(this.time.now());
      return work();
    };
    return {
      set: (key, value, options) => record(() => this.inner.set(key, value, options)),
      get: (key) => record(() => this.inner.get(key)),
      update: (key, action, attributes) => record(() => this.inner.update(key, action, attributes)),
      delete: (key) => record(() => this.inner.delete(key)),
    };
  }

  /** `$schedule` as the app reaches it: each call arrives scheduleLatencyMs after it is made. */
  get schedule(): ScheduleClient {
    return arrivingLate(this.scheduler, () => this.time.sleep(this.scheduleLatencyMs));
  }

  platform(): EventPlatform {
    return { request: this.client('background'), store: this.store, schedule: this.schedule, reply: (...args) => void this.replies.push(args) };
  }

  /** The head as a new call would read it now (not counted). */
  head() {
    return headOf(this.inner);
  }

  /** Delivers an event as the platform does: it runs alongside whatever else is running. */
  event(name: 'onAppInstall' | 'onScheduledEvent' | 'onUserUpdate', payload: Record<string, unknown>): Promise<void> {
    const started = this.time.now();
    return this.handlers[name]({ ...payload, iparams: TEST_IPARAMS }, this.platform()).then(() => void this.eventDurations.push({ name, ms: this.time.now() - started }));
  }

  /** onAppInstall, run to its end; answers how long it took (virtual milliseconds). */
  async install(): Promise<number> {
    const started = this.time.now();
    await this.time.finish(this.event('onAppInstall', {}));
    return this.time.now() - started;
  }

  /** Runs everything due until `until` (scheduled events, and whatever else was started). */
  runUntil(until: number): Promise<void> {
    return this.time.runUntil(until);
  }

  /** A console loading the whole overview, as the widget does: waiting as told, and after a 429 as long as it says. */
  async loadConsole(): Promise<AccessOverviewSlice[]> {
    const slices: AccessOverviewSlice[] = [];
    let cursor: string | null = null;
    do {
      // Each call is its own server-method invocation, with its own storage (the head read afresh).
      const deps = { request: this.client('console'), storage: testStorage(this.store), now: this.time.now, cursorKey: TEST_CURSOR_KEY, schedule: this.schedule };
      const slice: AccessOverviewSlice | null = await accessOverviewSlice({ cursor }, deps).catch((error: unknown) => this.waitOut(error));
      if (slice === null) {
        continue;
      }
      slices.push(slice);
      cursor = slice.cursor;
      await this.time.sleep(slice.waitMs);
    } while (cursor !== null);
    return slices;
  }

  /**
   * Sidebar views, one every 60 / `perMinute` seconds for `minutes` minutes, each started on time
   * whether or not the one before has answered: a plain agent on another agent's page (the view
   * that costs the most). Answers how many failed.
   */
  async viewSidebars(perMinute: number, minutes: number, viewedId: number, viewerId: number): Promise<number> {
    const views: Promise<boolean>[] = [];
    for (let view = 0; view < perMinute * minutes; view += 1) {
      const deps = { request: this.client('views'), storage: testStorage(this.store), now: this.time.now, schedule: this.schedule };
      views.push(profileAccess({ viewedId, viewedEmail: emailOf(viewedId), viewerId, viewerEmail: emailOf(viewerId) }, deps).then(() => true, () => false));
      await this.time.sleep(60_000 / perMinute);
    }
    return (await Promise.all(views)).filter((answered) => !answered).length;
  }

  /** A rate-limit refusal: wait as long as it says and answer null (try again); anything else is thrown. */
  private async waitOut(error: unknown): Promise<null> {
    if (!(error instanceof AppError) || error.status !== 429) {
      throw error;
    }
    await this.time.sleep((error.retryAfterSeconds ?? 60) * 1000);
    return null;
  }

  /** One-time schedules the platform holds for the installation now. */
  oneTimeSchedulesHeld(): number {
    return this.scheduler.oneTimeHeld();
  }
}
