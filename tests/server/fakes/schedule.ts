/**
 * A stand-in for FDK's `$schedule` that fires on the test's own clock: `takeDue(until)` hands
 * back the schedules due by then, in time order, so a test can run them. What it accepts,
 * refuses and keeps is the local runtime's schedule book (dev/runtime/schedule-book.ts,
 * each rule with its Freshworks source): the 5-minute lead checked when the call arrives, one
 * recurring and 1,000 one-time schedules, unique names, and, where Freshworks is silent, the
 * reading chosen (`readings`; tests run under `everyScheduleReading()`).
 */
import { ScheduleBook, type ScheduleReadings } from '../../../dev/runtime/schedule-book';
import type { ScheduleClient, ScheduleOptions } from '#server/platform';

export interface Scheduled extends ScheduleOptions {
  /** Milliseconds: when it was due. */
  due: number;
}

export class FakeSchedule implements ScheduleClient {
  /** Every schedule the platform accepted, in order (updates too). */
  readonly created: ScheduleOptions[] = [];
  private readonly book: ScheduleBook;

  constructor(now: () => number, readings?: ScheduleReadings) {
    this.book = new ScheduleBook(now, readings);
  }

  create(options: ScheduleOptions): Promise<unknown> {
    return this.save('create', options);
  }

  update(options: ScheduleOptions): Promise<unknown> {
    return this.save('update', options);
  }

  fetch(options: { name: string }): Promise<unknown> {
    const found = this.book.fetch(options);
    return found.ok ? Promise.resolve(found.schedule) : Promise.reject(found.answer);
  }

  delete(options: { name: string }): Promise<unknown> {
    const outcome = this.book.delete(options);
    return outcome.ok ? Promise.resolve(outcome.answer) : Promise.reject(outcome.answer);
  }

  /** The next schedule due at or before `until`, fired (a recurring one moves to its next time); null when none. */
  takeDue(until: number): Scheduled | null {
    const name = this.book.nextDue(until);
    const entry = name === null ? undefined : this.book.pending(name);
    if (entry === undefined) {
      return null;
    }
    const due = entry.due;
    this.book.fire(entry.options.name);
    return { ...entry.options, due };
  }

  /** Schedules still to fire. */
  get waiting(): Scheduled[] {
    return this.book.waiting().map((entry) => ({ ...entry.options, due: entry.due }));
  }

  /** One-time schedules the platform holds (fired ones too, under the reading that keeps them). */
  oneTimeHeld(): number {
    return this.book.oneTimeHeld();
  }

  private save(operation: 'create' | 'update', options: ScheduleOptions): Promise<unknown> {
    const outcome = this.book.save(operation, options);
    if (!outcome.ok) {
      return Promise.reject(outcome.answer);
    }
    this.created.push(options);
    return Promise.resolve(outcome.answer);
  }
}
