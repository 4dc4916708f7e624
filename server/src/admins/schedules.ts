/**
 * What keeps the Account Admins list complete and current in the background, with FDK's
 * scheduled events (Freshworks' scheduled-events reference, freshworks-platform3
 * `references/architecture/scheduled_events_doc.md`; limits from the v3.0 rate-limits page: one
 * recurring schedule and 1,000 one-time schedules per installation, `data` up to 4 KB, 20 s a
 * run; `schedule_at` at least 5 minutes ahead per Freshservice's scheduled-events page):
 *
 * - **the refresh**, the installation's one recurring schedule (every REFRESH_MINUTES): keeps the
 *   roles fresh, steps a scan whose chained steps stopped, and starts a new scan when the list
 *   is missing, incomplete or older than REFRESH_AFTER_MS (events can be missed);
 * - **chained steps** while a scan runs: CHAINS one-time schedules, staggered over the 5-minute
 *   minimum lead time, each stepping the scan and scheduling its own next run, so a large
 *   account is read at about one step every 30 s (about 20 template requests a minute).
 */
import { z } from 'zod';
import { statusOf } from '../errors';
import type { ScheduleClient } from '../platform';

export const REFRESH_SCHEDULE = 'account-admins-refresh';
export const REFRESH_MINUTES = 10;
/** Freshservice's scheduled-events page: "The schedule_at time must be at least 5 minutes from the current time." */
export const MIN_LEAD_MS = 5 * 60_000;
export const CHAINS = 10;

export const scheduledDataSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('refresh') }),
  z.object({ task: z.literal('scan'), generation: z.number().int().nonnegative(), chain: z.number().int().min(0).max(CHAINS - 1) }),
]);
export type ScheduledData = z.infer<typeof scheduledDataSchema>;

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** A schedule call's failure, for the log: never its data. */
function failed(what: string, error: unknown): void {
  console.warn(`schedules: ${what} failed (${statusOf(error) ?? 'no status'})`);
}

/**
 * The recurring refresh: created once per installation (on install, and on update for
 * installations made before it existed). Creating one that exists fails; that is fine.
 */
export async function ensureRefresh(schedule: ScheduleClient, now: number): Promise<void> {
  try {
    await schedule.create({ name: REFRESH_SCHEDULE, data: { task: 'refresh' }, schedule_at: iso(now + MIN_LEAD_MS), repeat: { time_unit: 'minutes', frequency: REFRESH_MINUTES } });
  } catch (error) {
    failed('creating the refresh schedule (it may exist already)', error);
  }
}

/** The next run of one chain of steps of scan `generation`, MIN_LEAD_MS from now. */
export async function chainNext(schedule: ScheduleClient, generation: number, chain: number, now: number): Promise<void> {
  try {
    await schedule.create({ name: `scan-${generation}-${chain}-${now}`, data: { task: 'scan', generation, chain }, schedule_at: iso(now + MIN_LEAD_MS) });
  } catch (error) {
    failed(`scheduling the next scan step of chain ${chain}`, error);
  }
}

/** CHAINS chains of steps for a new scan, their first runs spread evenly over the minimum lead time. */
export async function startChains(schedule: ScheduleClient, generation: number, now: number): Promise<void> {
  for (let chain = 0; chain < CHAINS; chain += 1) {
    await chainNext(schedule, generation, chain, now + Math.round((chain * MIN_LEAD_MS) / CHAINS));
  }
}
