/**
 * What views, the console and events do for the background with the head they read anyway:
 *
 * - **People use the app**: a sidebar view or the console sets the head's people mark, at most
 *   once a minute (one `$db` write), and the scan gives way to them (admins/pacing.ts). The
 *   console also starts its own pacing from what the background spent in the last minute, so
 *   the two together keep to the console's share (server/src/audit/pacing.ts).
 * - **The refresh is alive**: it marks each run in the head. When the mark is older than
 *   REFRESH_STALE_MS (the recurring schedule was lost or refused, or the installation was made by
 *   a version of the app that did not mark it), whoever reads the head re-creates the refresh
 *   through `$schedule` (server methods may: Freshworks' server-method reference, "The SMI could
 *   use ... create and manage schedules") and marks it, so it is tried at most once per
 *   REFRESH_STALE_MS however many views there are. This is how installations of an older version
 *   get their refresh without an afterAppUpdate handler, which would stop automatic updates.
 */
import { OVERVIEW_REQUESTS_PER_MINUTE } from '../audit/pacing';
import type { ScheduleClient } from '../platform';
import { PEOPLE_ATTRIBUTE, REFRESH_ATTRIBUTE, writeHeadCache, type Head } from '../store/head';
import type { Storage } from '../store/storage';
import { recentRequests, requestTimesOf } from './pacing';
import { armRefresh, REFRESH_MINUTES } from './schedules';

/** The people mark is written at most this often. */
export const PEOPLE_MARK_EVERY_MS = 60_000;
/** A refresh that has not run (nor been re-created) for three of its periods is re-created. */
export const REFRESH_STALE_MS = 3 * REFRESH_MINUTES * 60_000;

function isRecent(mark: number | null, now: number, within: number): boolean {
  return mark !== null && now - mark < within;
}

/** The people mark, unless it was set less than a minute ago. */
function peopleMark(head: Head, now: number): Record<string, unknown> {
  return isRecent(head.marks.people, now, PEOPLE_MARK_EVERY_MS) ? {} : { [PEOPLE_ATTRIBUTE]: { at: now } };
}

/** Re-creates the refresh when its mark is stale; answers the mark to write (written even if the platform refused, so it is tried again only later). */
async function refreshKept(head: Head, schedule: ScheduleClient | undefined, clock: () => number): Promise<Record<string, unknown>> {
  const now = clock();
  if (schedule === undefined || head.failure !== null || isRecent(head.marks.refresh, now, REFRESH_STALE_MS)) {
    return {};
  }
  await armRefresh(schedule, clock);
  return { [REFRESH_ATTRIBUTE]: { at: now } };
}

async function writeMarks(storage: Storage, head: Head, attributes: Record<string, unknown>): Promise<void> {
  if (Object.keys(attributes).length > 0) {
    await writeHeadCache(storage.sealed, head, attributes, 'background marks');
  }
}

/** For an event that read the head: re-creates the refresh if it has stopped. */
export async function keepRefreshAlive(head: Head, storage: Storage, schedule: ScheduleClient | undefined, clock: () => number): Promise<void> {
  await writeMarks(storage, head, await refreshKept(head, schedule, clock));
}

/** For a view or the console that read the head: marks that people use the app, and re-creates the refresh if it has stopped. */
export async function noticePeople(head: Head, storage: Storage, schedule: ScheduleClient | undefined, clock: () => number): Promise<void> {
  const now = clock();
  await writeMarks(storage, head, { ...peopleMark(head, now), ...(await refreshKept(head, schedule, clock)) });
}

/**
 * The console opens its overview: it notices people like a view, and answers the background's
 * template requests of the last minute (a running step's reserved ones included), one time per
 * request, for the console to count in its own pacing.
 */
export async function consoleOpens(storage: Storage, schedule: ScheduleClient | undefined, clock: () => number): Promise<number[]> {
  const head = await storage.head();
  await noticePeople(head, storage, schedule, clock);
  return requestTimesOf(recentRequests(head.scan?.requests ?? [], clock()));
}

/**
 * The console, while it goes on reading: the people mark again each time it has read another
 * OVERVIEW_REQUESTS_PER_MINUTE pages (its share of a minute, so at most once a minute), written
 * without reading the head.
 */
export async function consoleGoesOn(storage: Storage, pagesBefore: number, pagesAfter: number, now: number): Promise<void> {
  if (Math.floor(pagesAfter / OVERVIEW_REQUESTS_PER_MINUTE) > Math.floor(pagesBefore / OVERVIEW_REQUESTS_PER_MINUTE)) {
    await writeHeadCache(storage.sealed, storage.headForWriting(), { [PEOPLE_ATTRIBUTE]: { at: now } }, 'background marks');
  }
}
