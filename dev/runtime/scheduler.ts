/**
 * `$schedule` in the local runtime (the engine's, and the tests' VirtualInstallation): FDK's
 * scheduled events, with the rules of schedule-book.ts
 * (what the platform accepts, refuses and keeps, each with its source), fired on the engine's
 * clock and timers (a fake clock in tests). Each due schedule delivers `onScheduledEvent` with
 * its `data`; a recurring one is re-armed for its next time.
 *
 * The platform keeps an installation's schedules while the app is updated. So does the runtime
 * when it is given a place to keep them (`persist`: the host's `schedules.json`): a restart
 * (which stands for an update) finds them again, and one that fell due while the runtime was
 * stopped fires at once.
 */
import { ScheduleBook, type BookEntry, type BookOutcome, type ScheduleAnswer, type ScheduleReadings } from './schedule-book';

/** Node's timers hold at most about 24.8 days: a later schedule is re-armed in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export type { ScheduleAnswer } from './schedule-book';

/** Timer functions (the engine's EngineTimers, a fake clock, or virtual time). */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where the runtime keeps its schedules between starts. */
export interface SchedulePersistence {
  load(): BookEntry[];
  save(entries: BookEntry[]): void;
}

export interface SchedulerDeps {
  now(): number;
  timers: SchedulerTimers;
  /** Delivers onScheduledEvent with `{ data }`; the scheduler does not wait for it. */
  fire(name: string, data: Record<string, unknown>): Promise<unknown>;
  log(line: string): void;
  /** Which answer the platform gives where Freshworks is silent (schedule-book.ts); the strictest by default. */
  readings?: ScheduleReadings;
  persist?: SchedulePersistence;
}

export class LocalScheduler {
  private readonly book: ScheduleBook;
  private readonly timers = new Map<string, unknown>();

  constructor(private readonly deps: SchedulerDeps) {
    this.book = new ScheduleBook(deps.now, deps.readings);
    if (deps.persist !== undefined) {
      this.book.restore(deps.persist.load());
      this.book.waiting().forEach((entry) => this.setTimer(entry));
    }
  }

  create(options: unknown): Promise<ScheduleAnswer> {
    return this.save('create', options);
  }

  update(options: unknown): Promise<ScheduleAnswer> {
    return this.save('update', options);
  }

  fetch(options: unknown): Promise<unknown> {
    const found = this.book.fetch(options);
    if (!found.ok) {
      return Promise.reject<never>(found.answer);
    }
    const { name, data, schedule_at, repeat } = found.schedule;
    return Promise.resolve(repeat === undefined ? { name, data, schedule_at } : { name, data, schedule_at, repeat });
  }

  delete(options: unknown): Promise<ScheduleAnswer> {
    const outcome = this.book.delete(options);
    if (outcome.ok && outcome.name !== null) {
      this.clearTimer(outcome.name);
      this.changed();
    }
    return this.answer('delete', outcome.name, outcome);
  }

  /** The schedules waiting to fire (names and times only, never their data), soonest first. */
  waiting(): { name: string; scheduleAt: string; nextRun: string; recurring: boolean }[] {
    return this.book
      .waiting()
      .map((entry) => ({ name: entry.options.name, scheduleAt: entry.options.schedule_at, nextRun: new Date(entry.due).toISOString(), recurring: entry.options.repeat !== undefined }));
  }

  /** One-time schedules the platform holds for the installation (fired ones too, under the reading that keeps them). */
  oneTimeHeld(): number {
    return this.book.oneTimeHeld();
  }

  /** Stops every timer: what is kept (persist) survives for the next start. */
  close(): void {
    [...this.timers.keys()].forEach((name) => this.clearTimer(name));
  }

  private save(operation: 'create' | 'update', options: unknown): Promise<ScheduleAnswer> {
    const outcome = this.book.save(operation, options);
    if (outcome.ok && outcome.name !== null) {
      this.clearTimer(outcome.name);
      const entry = this.book.pending(outcome.name);
      if (entry !== undefined) {
        this.setTimer(entry);
      }
      this.changed();
    }
    return this.answer(operation, outcome.name, outcome);
  }

  private changed(): void {
    this.deps.persist?.save(this.book.snapshot());
  }

  private setTimer(entry: BookEntry): void {
    const name = entry.options.name;
    const delay = Math.min(Math.max(0, entry.due - this.deps.now()), LONGEST_TIMER_MS);
    this.timers.set(name, this.deps.timers.setTimeout(() => this.onTimer(name), delay));
  }

  private clearTimer(name: string): void {
    if (this.timers.has(name)) {
      this.deps.timers.clearTimeout(this.timers.get(name));
      this.timers.delete(name);
    }
  }

  private onTimer(name: string): void {
    this.timers.delete(name);
    const entry = this.book.pending(name);
    if (entry === undefined) {
      return;
    }
    if (this.deps.now() < entry.due) {
      this.setTimer(entry);
      return;
    }
    const data = this.book.fire(name) as Record<string, unknown>;
    const next = this.book.pending(name);
    if (next !== undefined) {
      this.setTimer(next);
    }
    this.changed();
    this.deps.fire(name, data).catch((error: unknown) => this.deps.log(`schedule ${name}: delivery failed (${String((error as Error | null)?.message ?? error)})`));
  }

  /** One log line per call: operation, name, status; never the data. */
  private answer(operation: string, name: string | null, outcome: BookOutcome): Promise<ScheduleAnswer> {
    const label = `schedule ${operation}${name === null ? '' : ` ${name}`}`;
    if (outcome.ok) {
      this.deps.log(`${label} ${outcome.answer.status}`);
      return Promise.resolve(outcome.answer);
    }
    this.deps.log(`${label} ${outcome.answer.status} (${outcome.answer.message})`);
    return Promise.reject<never>(outcome.answer);
  }
}
