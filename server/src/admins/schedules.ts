/**
 * The background's schedules, made with FDK's `$schedule` (Freshworks' scheduled-events reference,
 * freshworks-platform3 `references/architecture/scheduled_events_doc.md`; limits from the v3.0
 * rate-limits page: one recurring schedule and 1,000 one-time schedules per installation,
 * `data` up to 4 KB, 20 s a run):
 *
 * - **the refresh**, the installation's one recurring schedule (every REFRESH_MINUTES);
 * - **the chains** while a scan runs: CHAINS one-time schedules with fixed names, each stepping
 *   the scan and re-arming itself for its next run, staggered so that a step comes about every
 *   LEAD_MS / CHAINS.
 *
 * Read strictly, the sources leave three things open, and the schedules hold under every answer:
 * - `schedule_at` "must be at least 5 minutes from the current time" (Freshservice's
 *   scheduled-events page), and the current time is the platform's when the call arrives: every
 *   schedule is made LEAD_MS (6 minutes) ahead of the moment the call is made, a minute of margin.
 * - Whether a one-time schedule that has fired keeps its name and its place among the 1,000 is not
 *   documented. A chain re-arms under its own fixed name by deleting it first, then creating it
 *   (deleting a schedule that is already gone may fail: that failure is ignored). So at most
 *   CHAINS one-time schedules exist under either answer, however many scans, days or agents.
 * - What creating a name in use answers is not documented either: a create that fails is only
 *   logged, and whatever is lost is re-armed by the refresh (chains, server/src/methods/events.ts)
 *   or, for the refresh itself, by the next caller that finds it has not run (presence.ts).
 */
import { z } from 'zod';
import { statusOf } from '../errors';
import type { ScheduleClient, ScheduleOptions } from '../platform';

export const REFRESH_SCHEDULE = 'account-admins-refresh';
export const REFRESH_MINUTES = 10;
/** Freshservice's scheduled-events page asks at least 5 minutes; a minute more, counted from when the call is made. */
export const LEAD_MS = 6 * 60_000;
/** Chains of steps while a scan runs: a step about every 33 s (LEAD_MS / CHAINS). */
export const CHAINS = 11;
/** How far apart the chains' steps are. */
export const CHAIN_SPACING_MS = Math.round(LEAD_MS / CHAINS);

/** Every chain, by number. */
export const ALL_CHAINS: readonly number[] = [...Array(CHAINS).keys()];

/** When each chain is due, one number per chain (0: not known), from what the head recorded. */
export function chainDues(recorded: readonly number[]): number[] {
  return ALL_CHAINS.map((chain) => recorded[chain] ?? 0);
}

export function chainName(chain: number): string {
  return `account-admins-step-${chain}`;
}

/** Scan data written by an earlier version of the app carried a generation and at most 10 chains: still read, the generation ignored. */
export const scheduledDataSchema = z.discriminatedUnion('task', [
  z.object({ task: z.literal('refresh') }),
  z.object({ task: z.literal('scan'), chain: z.number().int().min(0).max(CHAINS - 1) }),
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
 * Deletes the schedule of this name (it may have fired, or not exist: a failure is expected and
 * ignored), then creates it anew, `schedule_at` worked out from the clock at that moment (so the
 * lead is counted from the create call itself). Answers the time it was made for, or null when
 * the platform refused it.
 */
async function rearm(schedule: ScheduleClient, name: string, options: (now: number) => Omit<ScheduleOptions, 'name'> & { at: number }, clock: () => number): Promise<number | null> {
  await schedule.delete({ name }).catch(() => undefined);
  const { at, ...rest } = options(clock());
  try {
    await schedule.create({ name, ...rest });
    return at;
  } catch (error) {
    failed(`creating ${name}`, error);
    return null;
  }
}

/** The recurring refresh, (re)created: its first run LEAD_MS after the call. Answers whether the platform took it. */
export async function armRefresh(schedule: ScheduleClient, clock: () => number): Promise<boolean> {
  const repeat = { time_unit: 'minutes' as const, frequency: REFRESH_MINUTES };
  const made = await rearm(schedule, REFRESH_SCHEDULE, (now) => ({ at: now + LEAD_MS, data: { task: 'refresh' }, schedule_at: iso(now + LEAD_MS), repeat }), clock);
  return made !== null;
}

/** Chain `chain`'s next step at `due`, or LEAD_MS after the call if that is later. Answers when it is due, or null if the platform refused it. */
export function armChain(schedule: ScheduleClient, chain: number, due: number, clock: () => number): Promise<number | null> {
  return rearm(schedule, chainName(chain), (now) => {
    const at = Math.max(due, now + LEAD_MS);
    return { at, data: { task: 'scan', chain }, schedule_at: iso(at) };
  }, clock);
}

/**
 * Arms the given chains at once, chain n at LEAD_MS + n × CHAIN_SPACING_MS from now, so a new
 * scan's steps are staggered. Answers `chainsDue` with the chains the platform took updated.
 */
export async function armChains(schedule: ScheduleClient, chains: readonly number[], chainsDue: readonly number[], clock: () => number): Promise<number[]> {
  const start = clock();
  const armed = await Promise.all(chains.map((chain) => armChain(schedule, chain, start + LEAD_MS + chain * CHAIN_SPACING_MS, clock)));
  const due = chainDues(chainsDue);
  chains.forEach((chain, index) => (due[chain] = armed[index] ?? due[chain] ?? 0));
  return due;
}
