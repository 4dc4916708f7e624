/**
 * Pacing without timers: FDK's sandbox cannot sleep, so each overview slice tells the widget
 * how long to wait (`waitMs`) before asking for the next one, and the server refuses to make a
 * request early (it answers an empty slice with the remaining wait instead).
 */

/**
 * One template budget for the whole installation. FDK allows 50 template requests a minute per
 * app and account (Freshworks' request-method docs, "Request method considerations"), counted
 * across everything the installation does: the background scan for Account Admins, every open
 * console, every sidebar view and every event. Each part keeps to its share, in any 60 s:
 *
 * | part | at most | kept by |
 * |---|---|---|
 * | the console's overview | OVERVIEW_REQUESTS_PER_MINUTE, the background's requests it can see included | the request times its cursor carries, seeded from the head's scan state |
 * | the background, while nobody uses the app | SCAN_REQUESTS_PER_MINUTE | its request times in the head's scan state (server/src/admins/pacing.ts) |
 * | the background, while people use the app | SCAN_REQUESTS_BESIDE_PEOPLE | the head's people mark, which views and the console set |
 * | a sidebar view | VIEW_REQUESTS | one call: the viewed agent, and the viewer when needed |
 * | a user event | EVENT_REQUESTS | at most one re-read of the agent |
 *
 * The busiest case, a scan, a console loading the account and ten sidebar views a minute at
 * once, stays at 26 + 2 + 10 × 2 = 48: the console counts what the scan spent before it opened,
 * the scan gives way to 2 a minute from its next step on, and 2 requests stay free for events.
 * `npm run bench:admins` measures it.
 */
export const PLATFORM_REQUESTS_PER_MINUTE = 50;
/** Also well under Freshservice's smallest (Starter) list-agents limit of 40 a minute, the scan's included. */
export const OVERVIEW_REQUESTS_PER_MINUTE = 26;
export const SCAN_REQUESTS_PER_MINUTE = 24;
export const SCAN_REQUESTS_BESIDE_PEOPLE = 2;
export const VIEW_REQUESTS = 2;
export const EVENT_REQUESTS = 1;
export const RATE_WINDOW_MS = 60_000;
/** Below this many X-RateLimit-Remaining, the overview slows down so other integrations keep working. */
export const LOW_REMAINING = 10;

/** Request times still inside the rate window that ends at `now`, oldest first. */
export function requestsInWindow(requestTimes: readonly number[], now: number): number[] {
  return requestTimes.filter((time) => time > now - RATE_WINDOW_MS).sort((a, b) => a - b);
}

/** Milliseconds from `now` until one more request keeps every 60 s window within the budget. */
export function waitForWindow(requestTimes: readonly number[], now: number, budget = OVERVIEW_REQUESTS_PER_MINUTE): number {
  const recent = requestsInWindow(requestTimes, now);
  const mustExpire = recent[recent.length - budget];
  return mustExpire === undefined ? 0 : Math.max(0, mustExpire + RATE_WINDOW_MS - now);
}

/**
 * Extra wait when Freshservice says its own per-minute allowance is nearly used up:
 * 0 remaining waits a full minute, 9 remaining a tenth of it.
 */
export function backoffForRemaining(remaining: number | null): number {
  if (remaining === null || remaining >= LOW_REMAINING) {
    return 0;
  }
  return Math.round((RATE_WINDOW_MS * (LOW_REMAINING - Math.max(0, remaining))) / LOW_REMAINING);
}

/** The earliest time the next request may start, after one just finished at `now`. */
export function nextRequestNotBefore(requestTimes: readonly number[], now: number, remaining: number | null): number {
  return now + Math.max(waitForWindow(requestTimes, now), backoffForRemaining(remaining));
}
