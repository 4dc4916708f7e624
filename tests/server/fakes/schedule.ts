/**
 * A stand-in for FDK's `$schedule` that records every schedule made and can hand back the ones
 * due at a given time, in time order, so a test (or the bench) can fire them on a virtual clock.
 * Like the platform (Freshservice's scheduled-events page), it refuses a `schedule_at` less than
 * 5 minutes ahead, a second recurring schedule, and a name already in use.
 */
import type { ScheduleClient, ScheduleOptions } from '#server/platform';

export interface Scheduled extends ScheduleOptions {
  /** Milliseconds: when it fires next. */
  due: number;
}

export class FakeSchedule implements ScheduleClient {
  readonly created: ScheduleOptions[] = [];
  private readonly pending = new Map<string, Scheduled>();

  constructor(private readonly now: () => number) {}

  create(options: ScheduleOptions): Promise<unknown> {
    const due = Date.parse(options.schedule_at);
    if (this.pending.has(options.name)) {
      return Promise.reject({ status: 400, message: `A schedule named ${options.name} already exists` });
    }
    if (!(due >= this.now() + 5 * 60_000 - 1_000)) {
      return Promise.reject({ status: 400, message: 'schedule_at must be at least 5 minutes from now' });
    }
    if (options.repeat !== undefined && [...this.pending.values()].some((scheduled) => scheduled.repeat !== undefined)) {
      return Promise.reject({ status: 400, message: 'Only one recurring schedule is allowed' });
    }
    this.created.push(options);
    this.pending.set(options.name, { ...options, due });
    return Promise.resolve({ status: 200, message: 'Schedule created' });
  }

  update(options: ScheduleOptions): Promise<unknown> {
    this.pending.set(options.name, { ...options, due: Date.parse(options.schedule_at) });
    return Promise.resolve({ status: 200, message: 'Schedule updated' });
  }

  fetch(options: { name: string }): Promise<unknown> {
    const found = this.pending.get(options.name);
    return found ? Promise.resolve(found) : Promise.reject({ status: 404, message: 'Schedule not found' });
  }

  delete(options: { name: string }): Promise<unknown> {
    this.pending.delete(options.name);
    return Promise.resolve({ status: 200, message: 'Schedule deleted' });
  }

  /** The next schedule due at or before `until`, taken off (a recurring one is moved to its next time); null when none. */
  takeDue(until: number): Scheduled | null {
    const next = [...this.pending.values()].filter((scheduled) => scheduled.due <= until).sort((a, b) => a.due - b.due)[0];
    if (next === undefined) {
      return null;
    }
    if (next.repeat === undefined) {
      this.pending.delete(next.name);
    } else {
      const unit = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 }[next.repeat.time_unit];
      this.pending.set(next.name, { ...next, due: next.due + next.repeat.frequency * unit });
    }
    return next;
  }

  /** Schedules still to fire. */
  get waiting(): Scheduled[] {
    return [...this.pending.values()];
  }
}
