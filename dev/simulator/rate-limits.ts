import type { Plan } from './schema';

/**
 * Freshservice's minute-level rate limits (platform notes section 7): account-wide totals
 * per plan, with a lower sub-limit for listing agents. Every request counts, failed ones
 * included. The window is a fixed minute starting with the first request after the last
 * window ended; the clock is injectable so tests move time instead of sleeping.
 */

export const planLimits: Record<Plan, { total: number; listAgents: number }> = {
  starter: { total: 100, listAgents: 40 },
  growth: { total: 200, listAgents: 70 },
  pro: { total: 400, listAgents: 120 },
  enterprise: { total: 500, listAgents: 140 },
};

const WINDOW_MS = 60_000;

export interface RateLimitDecision {
  limited: boolean;
  headers: Record<string, string>;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request and says whether it is over a limit. */
  record(listsAgents: boolean): RateLimitDecision;
  reset(): void;
}

export function createRateLimiter(plan: Plan, now: () => number): RateLimiter {
  const limits = planLimits[plan];
  let windowStart: number | null = null;
  let used = 0;
  let listUsed = 0;

  const reset = (): void => {
    windowStart = null;
    used = 0;
    listUsed = 0;
  };

  const record = (listsAgents: boolean): RateLimitDecision => {
    const time = now();
    if (windowStart === null || time >= windowStart + WINDOW_MS) {
      reset();
      windowStart = time;
    }
    used += 1;
    listUsed += listsAgents ? 1 : 0;
    const limited = used > limits.total || (listsAgents && listUsed > limits.listAgents);
    return {
      limited,
      retryAfterSeconds: Math.max(1, Math.ceil((windowStart + WINDOW_MS - time) / 1000)),
      headers: {
        'X-RateLimit-Total': String(limits.total),
        'X-RateLimit-Remaining': String(Math.max(0, limits.total - used)),
        'X-RateLimit-Used-CurrentRequest': '1',
      },
    };
  };

  return { record, reset };
}
