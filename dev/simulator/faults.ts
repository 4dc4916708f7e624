import { noFaults, type FaultSettings } from './schema';
import { seededRandom } from './random';
import { rateLimited, internalError, replyForStatus, type SimReply } from './responses';

/**
 * Injected failures, settable at start and while running. The error rate draws from a
 * generator seeded like the account, so a failing run replays identically.
 */
export interface Faults {
  settings(): FaultSettings;
  update(changes: Partial<FaultSettings>): FaultSettings;
  reset(): void;
  /** A reply that replaces the real one for this request, or null to answer normally. */
  intercept(pathname: string, page: number): SimReply | null;
  /** Milliseconds to wait before answering. */
  delayMs(): number;
  malformed(): boolean;
}

export function createFaults(seed: number, initial: Partial<FaultSettings>): Faults {
  const random = seededRandom(seed ^ 0xfa17);
  let current: FaultSettings = { ...noFaults, ...initial };

  const failingPageHit = (pathname: string, page: number): boolean => {
    const failing = current.failingPage;
    return failing !== null && failing.path === pathname && failing.page === page;
  };

  const intercept = (pathname: string, page: number): SimReply | null => {
    if (current.force429 > 0) {
      current = { ...current, force429: current.force429 - 1 };
      return rateLimited(1);
    }
    if (failingPageHit(pathname, page)) {
      return replyForStatus(current.failingPage?.status ?? 500);
    }
    return current.errorRate > 0 && random.next() < current.errorRate ? internalError() : null;
  };

  return {
    settings: () => ({ ...current }),
    update: (changes) => {
      current = { ...current, ...changes };
      return { ...current };
    },
    reset: () => {
      current = { ...noFaults };
    },
    intercept,
    delayMs: () => current.latencyMs + current.slowResponseMs,
    malformed: () => current.malformedJson,
  };
}
