/**
 * What FDK's `$schedule` accepts, refuses and keeps, held once for the local runtime's scheduler
 * (which adds timers: scheduler.ts) and the tests' FakeSchedule (which fires on a test's clock).
 * Like kv-store.ts for `$db`, it lives outside the engine so the unit tests that use it compile
 * without the engine.
 *
 * Sources:
 * - API and payload: Freshworks' scheduled-events reference (freshworks-platform3
 *   `references/architecture/scheduled_events_doc.md`): `create({ name, data, schedule_at,
 *   repeat: { time_unit, frequency } })`, `update` with the same fields, `fetch({ name })` ("name,
 *   data and schedule_at used to create the schedule"), `delete({ name })`; `name` is the
 *   schedule's "Unique identifier"; time units minutes, hours or days ("for days, the hour and
 *   minutes are taken from schedule_at"); each call answers "a json with status and message",
 *   failures too. The statuses are not documented: 200 for success, 400 for a refusal and 404
 *   for an unknown name are *assumed*, and so is the refusal of a name in use.
 * - Limits: the v3.0 rate-limits page ("Number of one-time events per app installation | 1000",
 *   "Number of recurring events per app installation | 1", "Payload size for data | 4 KB").
 * - Lead time: Freshservice's scheduled-events page, "The schedule_at time must be at least 5
 *   minutes from the current time". The current time is the platform's when the call arrives,
 *   so the check uses the clock at the moment the call reaches the book, with no slack: a
 *   schedule computed as "now + 5 minutes" by the app arrives short by the call's own time.
 * - Not documented, so played both ways (`ScheduleReadings`, every combination in
 *   `everyScheduleReading()`): whether a one-time schedule that has fired keeps its name and its
 *   place among the 1,000 until it is deleted, and what deleting a name that does not exist
 *   answers.
 */
import { z } from 'zod';

const SCHEDULE_RULES = {
  oneTimeSchedules: 1000,
  recurringSchedules: 1,
  dataBytes: 4 * 1024,
  minimumLeadMs: 5 * 60_000,
} as const;

export const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/** What Freshworks leaves undocumented about `$schedule`, each with every answer the platform might give. */
export interface ScheduleReadings {
  /** A one-time schedule after it fired: `kept` (its name stays taken and it counts toward the 1,000 until deleted) or `gone`. */
  firedOneTime: 'kept' | 'gone';
  /** `delete` of a name that does not exist (or is gone): rejected 404, or answered as done. */
  deleteMissing: 'reject' | 'succeed';
}

/** The strictest combination: a fired schedule holds its name and its place until deleted, and deleting a missing one fails. */
export const SCHEDULE_DEFAULT_READINGS: ScheduleReadings = { firedOneTime: 'kept', deleteMissing: 'reject' };

/** Every combination of the undocumented readings, for tests that must hold under each. */
export function everyScheduleReading(): ScheduleReadings[] {
  return (['kept', 'gone'] as const).flatMap((firedOneTime) => (['reject', 'succeed'] as const).map((deleteMissing) => ({ firedOneTime, deleteMissing })));
}

export const scheduleOptionsSchema = z.object({
  name: z.string().min(1, 'name is required'),
  data: z.record(z.string(), z.unknown(), 'data must be a JSON object'),
  schedule_at: z.iso.datetime({ offset: true, message: 'schedule_at must be an ISO 8601 time, e.g. 2030-06-10T07:00:00.000Z' }),
  repeat: z.object({ time_unit: z.enum(['minutes', 'hours', 'days']), frequency: z.number().int().positive() }).optional(),
});
const nameSchema = z.object({ name: z.string().min(1, 'name is required') });

export type ScheduleOptions = z.infer<typeof scheduleOptionsSchema>;

/** One schedule as the platform holds it: when it fires next, and whether a one-time one has fired (kept under the `kept` reading). */
export const bookEntrySchema = z.object({ options: scheduleOptionsSchema, due: z.number(), fired: z.boolean() });
export type BookEntry = z.infer<typeof bookEntrySchema>;

/** What a call answers or rejects with: `{ status, message }`. */
export interface ScheduleAnswer {
  status: number;
  message: string;
}

/** A call's outcome: the answer, and whether it is a refusal. */
export type BookOutcome = { ok: true; answer: ScheduleAnswer } | { ok: false; answer: ScheduleAnswer };

function accepted(message: string): BookOutcome {
  return { ok: true, answer: { status: 200, message } };
}

function refused(status: number, message: string): BookOutcome {
  return { ok: false, answer: { status, message } };
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}

function isRecurring(entry: BookEntry): boolean {
  return entry.options.repeat !== undefined;
}

export class ScheduleBook {
  private readonly entries = new Map<string, BookEntry>();

  constructor(
    private readonly now: () => number,
    readonly readings: ScheduleReadings = SCHEDULE_DEFAULT_READINGS,
  ) {}

  /** create and update: the same checks, but create needs a new name and update one that exists, which it replaces. */
  save(operation: 'create' | 'update', options: unknown): BookOutcome & { name: string | null } {
    const parsed = scheduleOptionsSchema.safeParse(options);
    if (!parsed.success) {
      return { ...refused(400, issues(parsed.error)), name: null };
    }
    const schedule = parsed.data;
    return { ...this.saveValid(operation, schedule), name: schedule.name };
  }

  fetch(options: unknown): { ok: true; schedule: ScheduleOptions } | { ok: false; answer: ScheduleAnswer } {
    const found = this.named(options);
    return 'answer' in found ? { ok: false, answer: found.answer } : { ok: true, schedule: found.entry.options };
  }

  delete(options: unknown): BookOutcome & { name: string | null } {
    const found = this.named(options);
    if ('answer' in found) {
      const missing = found.name !== null && this.readings.deleteMissing === 'succeed';
      return { ...(missing ? accepted('Schedule deleted') : { ok: false as const, answer: found.answer }), name: found.name };
    }
    this.entries.delete(found.entry.options.name);
    return { ...accepted('Schedule deleted'), name: found.entry.options.name };
  }

  /** The entry of a name still waiting to fire, if any. */
  pending(name: string): BookEntry | undefined {
    const entry = this.entries.get(name);
    return entry !== undefined && !entry.fired ? entry : undefined;
  }

  /**
   * Fires the waiting schedule `name` at the current time: a one-time one is then gone or kept
   * (by the reading), a recurring one moves to its next time after now (a run missed while
   * nothing was firing is not made up). Answers its data, or null when nothing of that name waits.
   */
  fire(name: string): Record<string, unknown> | null {
    const entry = this.pending(name);
    if (entry === undefined) {
      return null;
    }
    const repeat = entry.options.repeat;
    if (repeat !== undefined) {
      const period = repeat.frequency * UNIT_MS[repeat.time_unit];
      const firedAt = Math.max(this.now(), entry.due);
      entry.due += period * (Math.floor((firedAt - entry.due) / period) + 1);
    } else if (this.readings.firedOneTime === 'kept') {
      entry.fired = true;
    } else {
      this.entries.delete(name);
    }
    return entry.options.data;
  }

  /** The name of the schedule due soonest, at or before `until`; null when none is. */
  nextDue(until: number): string | null {
    const due = this.waiting().filter((entry) => entry.due <= until);
    return due[0]?.options.name ?? null;
  }

  /** Schedules still to fire, soonest first. */
  waiting(): BookEntry[] {
    return [...this.entries.values()].filter((entry) => !entry.fired).sort((left, right) => left.due - right.due);
  }

  /** One-time schedules the platform holds (waiting, and fired ones it keeps under the `kept` reading): what counts toward the 1,000. */
  oneTimeHeld(): number {
    return [...this.entries.values()].filter((entry) => !isRecurring(entry)).length;
  }

  /** Everything held, for a runtime that keeps its schedules across restarts. */
  snapshot(): BookEntry[] {
    return [...this.entries.values()].map((entry) => ({ ...entry }));
  }

  restore(entries: readonly BookEntry[]): void {
    this.entries.clear();
    entries.forEach((entry) => this.entries.set(entry.options.name, { ...entry }));
  }

  private saveValid(operation: 'create' | 'update', schedule: ScheduleOptions): BookOutcome {
    const existing = this.entries.get(schedule.name);
    if (operation === 'create' && existing !== undefined) {
      return refused(400, `A schedule named "${schedule.name}" already exists`);
    }
    if (operation === 'update' && existing === undefined) {
      return refused(404, `No schedule named "${schedule.name}"`);
    }
    const problem = this.problemWith(schedule);
    if (problem !== null) {
      return refused(400, problem);
    }
    this.entries.set(schedule.name, { options: schedule, due: Date.parse(schedule.schedule_at), fired: false });
    return accepted(operation === 'create' ? 'Schedule created' : 'Schedule updated');
  }

  /** Why FDK would refuse this schedule, or null; a schedule of the same name is the one it replaces, so it does not count. */
  private problemWith(schedule: ScheduleOptions): string | null {
    if (new TextEncoder().encode(JSON.stringify(schedule.data)).length > SCHEDULE_RULES.dataBytes) {
      return 'data exceeds the 4 KB limit of a schedule';
    }
    if (Date.parse(schedule.schedule_at) < this.now() + SCHEDULE_RULES.minimumLeadMs) {
      return 'schedule_at must be at least 5 minutes from the current time';
    }
    const recurring = schedule.repeat !== undefined;
    const others = [...this.entries.values()].filter((entry) => entry.options.name !== schedule.name && isRecurring(entry) === recurring).length;
    if (recurring && others >= SCHEDULE_RULES.recurringSchedules) {
      return 'An installation may have only 1 recurring schedule';
    }
    if (!recurring && others >= SCHEDULE_RULES.oneTimeSchedules) {
      return 'An installation may have at most 1000 one-time schedules';
    }
    return null;
  }

  private named(options: unknown): { entry: BookEntry } | { answer: ScheduleAnswer; name: string | null } {
    const parsed = nameSchema.safeParse(options);
    if (!parsed.success) {
      return { answer: { status: 400, message: issues(parsed.error) }, name: null };
    }
    const entry = this.entries.get(parsed.data.name);
    return entry === undefined ? { answer: { status: 404, message: `No schedule named "${parsed.data.name}"` }, name: parsed.data.name } : { entry };
  }
}
