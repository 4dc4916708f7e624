/**
 * `$schedule` in the local runtime: FDK's scheduled events, kept in memory for one run of the
 * runtime, fired on the engine's clock and timers (a fake clock in tests). Each due schedule
 * delivers `onScheduledEvent` with its `data`; a recurring one is re-armed for its next time.
 *
 * API and payload: Freshworks' scheduled-events reference (freshworks-platform3
 * `references/architecture/scheduled_events_doc.md`): `create({ name, data, schedule_at, repeat:
 * { time_unit, frequency } })`, `update` with the same fields, `fetch({ name })` ("name, data and
 * schedule_at used to create the schedule"), `delete({ name })`; each answers "a json with status
 * and message", failures too. The statuses themselves are not documented: 200 for success, 400
 * for a refusal and 404 for an unknown name are *assumed*.
 */
import { z } from 'zod';
import { jsonByteLength, type EngineTimers } from './limits';

const SCHEDULE_RULES = {
  /** v3.0 rate-limits page: "Number of one-time events per app installation | 1000". */
  oneTimeSchedules: 1000,
  /** v3.0 rate-limits page: "Number of recurring events per app installation | 1". */
  recurringSchedules: 1,
  /** v3.0 rate-limits page: "Payload size for data | 4 KB". */
  dataBytes: 4 * 1024,
  /** Freshservice's scheduled-events page: "The schedule_at time must be at least 5 minutes from the current time." */
  minimumLeadMs: 5 * 60_000,
  /**
   * *Assumed*: Freshworks' own Platform 3.0 sample (app-setup-events-samples) schedules exactly
   * `Date.now() + 5 * 60 * 1000`, which the platform must accept although the call takes time to
   * arrive; a second of slack lets that through here too.
   */
  leadSlackMs: 1_000,
} as const;

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
/** Node's timers hold at most about 24.8 days: a later schedule is re-armed in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

const scheduleSchema = z.object({
  name: z.string().min(1, 'name is required'),
  data: z.record(z.string(), z.unknown(), 'data must be a JSON object'),
  schedule_at: z.iso.datetime({ offset: true, message: 'schedule_at must be an ISO 8601 time, e.g. 2030-06-10T07:00:00.000Z' }),
  // For days, "the hour and minutes are taken from schedule_at": firing every `frequency` units from schedule_at does exactly that.
  repeat: z.object({ time_unit: z.enum(['minutes', 'hours', 'days']), frequency: z.number().int().positive() }).optional(),
});
const nameSchema = z.object({ name: z.string().min(1, 'name is required') });

export type ScheduleOptions = z.infer<typeof scheduleSchema>;

interface Pending {
  options: ScheduleOptions;
  /** When it fires next, in ms. */
  due: number;
  timer: unknown;
}

/** What `$schedule` calls resolve and reject with: `{ status, message }` (fetch resolves the schedule). */
export interface ScheduleAnswer {
  status: number;
  message: string;
}

export interface SchedulerDeps {
  now(): number;
  timers: EngineTimers;
  /** Delivers onScheduledEvent with `{ data }`; the scheduler does not wait for it. */
  fire(name: string, data: Record<string, unknown>): Promise<unknown>;
  log(line: string): void;
}

function refused(status: number, message: string): Promise<never> {
  return Promise.reject<never>({ status, message });
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

export class LocalScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: SchedulerDeps) {}

  create(options: unknown): Promise<ScheduleAnswer> {
    return this.save('create', options);
  }

  update(options: unknown): Promise<ScheduleAnswer> {
    return this.save('update', options);
  }

  fetch(options: unknown): Promise<unknown> {
    const found = this.named(options);
    if ('status' in found) {
      return refused(found.status, found.message);
    }
    const { name, data, schedule_at, repeat } = found.options;
    return Promise.resolve(repeat === undefined ? { name, data, schedule_at } : { name, data, schedule_at, repeat });
  }

  delete(options: unknown): Promise<ScheduleAnswer> {
    const found = this.named(options);
    if ('status' in found) {
      return this.answer('delete', null, refused(found.status, found.message));
    }
    this.deps.timers.clearTimeout(found.timer);
    this.pending.delete(found.options.name);
    return this.answer('delete', found.options.name, Promise.resolve({ status: 200, message: 'Schedule deleted' }));
  }

  /** The schedules waiting to fire (names and times only, never their data), soonest first. */
  waiting(): { name: string; scheduleAt: string; nextRun: string; recurring: boolean }[] {
    return [...this.pending.values()]
      .sort((left, right) => left.due - right.due)
      .map((entry) => ({ name: entry.options.name, scheduleAt: entry.options.schedule_at, nextRun: new Date(entry.due).toISOString(), recurring: entry.options.repeat !== undefined }));
  }

  /** Stops every timer: the runtime's schedules live only as long as the runtime runs. */
  close(): void {
    for (const entry of this.pending.values()) {
      this.deps.timers.clearTimeout(entry.timer);
    }
    this.pending.clear();
  }

  /** create and update: the same checks, but create needs a new name and update one that exists, which it replaces. */
  private save(operation: 'create' | 'update', options: unknown): Promise<ScheduleAnswer> {
    const parsed = scheduleSchema.safeParse(options);
    if (!parsed.success) {
      return this.answer(operation, null, refused(400, issues(parsed.error)));
    }
    const schedule = parsed.data;
    const existing = this.pending.get(schedule.name);
    if (operation === 'create' && existing !== undefined) {
      // The reference calls `name` the schedule's "Unique identifier"; the error's status and wording are not documented.
      return this.answer(operation, schedule.name, refused(400, `A schedule named "${schedule.name}" already exists`));
    }
    if (operation === 'update' && existing === undefined) {
      return this.answer(operation, schedule.name, refused(404, `No schedule named "${schedule.name}"`));
    }
    const problem = this.problemWith(schedule);
    if (problem !== null) {
      return this.answer(operation, schedule.name, refused(400, problem));
    }
    if (existing !== undefined) {
      this.deps.timers.clearTimeout(existing.timer);
      this.pending.delete(schedule.name);
    }
    return this.answer(operation, schedule.name, this.arm(schedule, operation === 'create' ? 'Schedule created' : 'Schedule updated'));
  }

  /** Why FDK would refuse this schedule, or null; a schedule of the same name is the one it replaces, so it does not count. */
  private problemWith(schedule: ScheduleOptions): string | null {
    const others = [...this.pending.values()].filter((entry) => entry.options.name !== schedule.name);
    if (jsonByteLength(schedule.data) > SCHEDULE_RULES.dataBytes) {
      return 'data exceeds the 4 KB limit of a schedule';
    }
    if (Date.parse(schedule.schedule_at) < this.deps.now() + SCHEDULE_RULES.minimumLeadMs - SCHEDULE_RULES.leadSlackMs) {
      return 'schedule_at must be at least 5 minutes from the current time';
    }
    const recurring = schedule.repeat !== undefined;
    const sameKind = others.filter((entry) => (entry.options.repeat !== undefined) === recurring).length;
    if (recurring && sameKind >= SCHEDULE_RULES.recurringSchedules) {
      return 'An installation may have only 1 recurring schedule';
    }
    if (!recurring && sameKind >= SCHEDULE_RULES.oneTimeSchedules) {
      return 'An installation may have at most 1000 one-time schedules';
    }
    return null;
  }

  private arm(schedule: ScheduleOptions, message: string): Promise<ScheduleAnswer> {
    const entry: Pending = { options: schedule, due: Date.parse(schedule.schedule_at), timer: undefined };
    this.pending.set(schedule.name, entry);
    this.setTimer(entry);
    return Promise.resolve({ status: 200, message });
  }

  private setTimer(entry: Pending): void {
    const delay = Math.min(Math.max(0, entry.due - this.deps.now()), LONGEST_TIMER_MS);
    entry.timer = this.deps.timers.setTimeout(() => this.onTimer(entry), delay);
  }

  private onTimer(entry: Pending): void {
    if (this.pending.get(entry.options.name) !== entry) {
      return;
    }
    if (this.deps.now() < entry.due) {
      this.setTimer(entry);
      return;
    }
    const { name, data, repeat } = entry.options;
    if (repeat === undefined) {
      this.pending.delete(name);
    } else {
      const period = repeat.frequency * UNIT_MS[repeat.time_unit];
      // A run missed while the runtime was busy is not made up: the next one is the next time after now.
      entry.due += period * (Math.floor((this.deps.now() - entry.due) / period) + 1);
      this.setTimer(entry);
    }
    this.deps.fire(name, data).catch((error: unknown) => this.deps.log(`schedule ${name}: delivery failed (${String((error as Error | null)?.message ?? error)})`));
  }

  private named(options: unknown): Pending | ScheduleAnswer {
    const parsed = nameSchema.safeParse(options);
    if (!parsed.success) {
      return { status: 400, message: issues(parsed.error) };
    }
    return this.pending.get(parsed.data.name) ?? { status: 404, message: `No schedule named "${parsed.data.name}"` };
  }

  /** One log line per call: operation, name, status; never the data. */
  private answer<T extends ScheduleAnswer>(operation: string, name: string | null, result: Promise<T>): Promise<T> {
    const label = `schedule ${operation}${name === null ? '' : ` ${name}`}`;
    return result.then(
      (value) => {
        this.deps.log(`${label} ${value.status}`);
        return value;
      },
      (error: ScheduleAnswer) => {
        this.deps.log(`${label} ${error.status} (${error.message})`);
        throw error;
      },
    );
  }
}
