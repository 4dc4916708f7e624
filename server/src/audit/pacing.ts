/**
 * Pacing without timers: FDK's sandbox cannot sleep, so each overview slice tells the widget
 * how long to wait (`waitMs`) before asking for the next one, and the server refuses to make a
 * request early (it answers an empty slice with the remaining wait instead).
 */

/** The platform allows 50 template requests a minute per app and account. */
export const PLATFORM_REQUESTS_PER_MINUTE = 50;
/**
 * The overview keeps to 40 a minute: the other 10 stay free for the sidebar and the ledger
 * while an audit runs, and 40 is also Freshservice's smallest (Starter) list-agents limit.
 */
export const OVERVIEW_REQUESTS_PER_MINUTE = 40;
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
