import { Buffer } from 'node:buffer';

/** FDK's documented limits (platform notes, section 2); the runtime enforces them as the platform does. */
export const FDK_LIMITS = {
  serverMethodTimeoutMs: 20_000,
  serverMethodPayloadBytes: 100 * 1024,
  serverMethodResponseBytes: 100 * 1024,
  serverMethodCallsPerMinute: 50,
  templateTimeoutMs: 15_000,
  templateRequestsPerMinute: 50,
  templateResponseBytes: 6 * 1024 * 1024,
  templateMaxAttempts: 5,
  templateMaxRetryDelayMs: 1_500,
  templatesPerApp: 100,
  /** v3.0 rate-limits page: app set-up, product and scheduled events run at most 20 s (P3 says 10 s for set-up events; the official page wins). */
  eventTimeoutMs: 20_000,
  /** v3.0 rate-limits page: "Product events | Maximum size of the payload | 256 KB". */
  eventPayloadBytes: 256 * 1024,
} as const;

/** The timeouts tests may shorten; everything else is fixed to FDK's values. */
export interface EngineLimits {
  serverMethodTimeoutMs: number;
  templateTimeoutMs: number;
  eventTimeoutMs: number;
}

/** Timer functions, looked up at call time so tests can swap in a fake clock. */
export interface EngineTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: EngineTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function sleep(timers: EngineTimers, ms: number): Promise<void> {
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}

/** A value's size as FDK's size limits count it: its JSON text in UTF-8 bytes. */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

const MINUTE_MS = 60_000;

/**
 * A sliding one-minute window: stricter than a calendar-minute counter, so an app that stays
 * under it here also stays under FDK's per-minute quota.
 */
export class PerMinuteLimit {
  private stamps: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
  ) {}

  /** Takes one slot if the last minute has room; false means the caller must reject with 429. */
  tryTake(): boolean {
    const at = this.now();
    this.stamps = this.stamps.filter((stamp) => stamp > at - MINUTE_MS);
    if (this.stamps.length >= this.limit) {
      return false;
    }
    this.stamps.push(at);
    return true;
  }
}
