/**
 * How many template requests the background may make now, from what it spent in the last minute.
 *
 * The background's share of the installation's one template budget (server/src/audit/pacing.ts)
 * is SCAN_REQUESTS_PER_MINUTE while nobody uses the app and SCAN_REQUESTS_BESIDE_PEOPLE while
 * someone does (the head's people mark is younger than PEOPLE_ACTIVE_MS). Its request times live
 * in the head's scan state, so whichever chain (or the refresh) takes the next step knows what
 * the others spent, and the console can count them too. A step reserves its requests in the head
 * before it makes them, so a console opening meanwhile counts them as well.
 *
 * Freshservice has its own limits (list agents: 40 a minute on Starter, shared with every other
 * integration of the account): a step slows down when X-RateLimit-Remaining runs low, and stops
 * for Retry-After after a 429, as the overview does (server/src/audit/pacing.ts).
 */
import { RATE_WINDOW_MS, SCAN_REQUESTS_BESIDE_PEOPLE, SCAN_REQUESTS_PER_MINUTE } from '../audit/pacing';
import type { ScanState } from '../store/head';

/** People who used the app within this long are still using it (views and the console mark it at most once a minute). */
export const PEOPLE_ACTIVE_MS = 3 * 60_000;
/** A step reads at most this many pages: with a step about every 33 s, the share of 24 a minute is used up. */
export const MAX_PAGES_PER_STEP = 12;

/** `[time, count]`: `count` template requests made (or reserved) at `time`. */
export type RequestLog = ScanState['requests'];

/** The entries still inside the rate window that ends at `now`. */
export function recentRequests(log: RequestLog, now: number): RequestLog {
  return log.filter(([time]) => time > now - RATE_WINDOW_MS);
}

/** Every request time of the log, one per request (for a window that counts them one by one). */
export function requestTimesOf(log: RequestLog): number[] {
  return log.flatMap(([time, count]) => Array.from({ length: count }, () => time));
}

function spent(log: RequestLog, now: number): number {
  return recentRequests(log, now).reduce((sum, [, count]) => sum + count, 0);
}

/** Whether someone used the app recently enough that the background gives way. */
export function peopleActive(peopleAt: number | null, now: number): boolean {
  return peopleAt !== null && now - peopleAt < PEOPLE_ACTIVE_MS;
}

/** The background's share right now. */
export function backgroundShare(peopleAt: number | null, now: number): number {
  return peopleActive(peopleAt, now) ? SCAN_REQUESTS_BESIDE_PEOPLE : SCAN_REQUESTS_PER_MINUTE;
}

/** Whether another step holds the scan, or the scan was asked to wait. */
export function isHeld(scan: ScanState, now: number): boolean {
  return scan.busyUntil > now || scan.notBefore > now;
}

/**
 * How many pages a step may read now: what is left of the background's share in the last
 * minute, at most MAX_PAGES_PER_STEP; none while the scan is held.
 */
export function pagesAllowed(scan: ScanState, peopleAt: number | null, now: number): number {
  if (isHeld(scan, now)) {
    return 0;
  }
  return Math.max(0, Math.min(MAX_PAGES_PER_STEP, backgroundShare(peopleAt, now) - spent(scan.requests, now)));
}
