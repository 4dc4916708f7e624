import type { AccessOverviewSlice } from '#common/audit';
import { cursorKeyOf } from '#server/audit/cursor';
import { accessOverviewSlice } from '#server/audit/overview';
import type { KeyValueStore, TemplateClient } from '#server/platform';
import { testStorage } from '../fakes/storage';

/** The signing key of every test overview, derived the way getAccessOverview derives it. */
export const TEST_CURSOR_KEY = cursorKeyOf({ iparams: { api_key: 'test-api-key-0123456789' } });

/** A virtual clock: tests and the bench advance it instead of sleeping. */
export class VirtualClock {
  constructor(public time = Date.UTC(2026, 10, 26, 6, 0, 0)) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface OverviewRun {
  slices: AccessOverviewSlice[];
  /** Virtual time of every template request the run made. */
  requestTimes: number[];
}

/** Wraps a template client so every request is stamped with the clock and takes `latencyMs`. */
export function timedClient(inner: TemplateClient, clock: VirtualClock, requestTimes: number[], latencyMs: number): TemplateClient {
  return {
    invokeTemplate(name, invocation) {
      requestTimes.push(clock.time);
      clock.advance(latencyMs);
      return inner.invokeTemplate(name, invocation);
    },
  };
}

/** Runs the overview slice after slice, honouring waitMs on the virtual clock, like the widget does. */
export async function runOverview(
  request: TemplateClient,
  store: KeyValueStore,
  clock: VirtualClock,
  options: { includeDeactivated?: boolean; latencyMs?: number; maxCalls?: number } = {},
): Promise<OverviewRun> {
  const requestTimes: number[] = [];
  const client = timedClient(request, clock, requestTimes, options.latencyMs ?? 0);
  const slices: AccessOverviewSlice[] = [];
  let cursor: string | null = null;
  for (let call = 0; call < (options.maxCalls ?? 10_000); call += 1) {
    const slice: AccessOverviewSlice = await accessOverviewSlice({ cursor, includeDeactivated: options.includeDeactivated ?? false }, { request: client, storage: testStorage(store), now: clock.now, cursorKey: TEST_CURSOR_KEY });
    slices.push(slice);
    if (slice.cursor === null) {
      return { slices, requestTimes };
    }
    clock.advance(slice.waitMs);
    cursor = slice.cursor;
  }
  throw new Error('the overview did not finish');
}

/** The most template requests inside any 60-second window [t, t + 60 s). */
export function busiestMinute(requestTimes: readonly number[]): number {
  const sorted = [...requestTimes].sort((a, b) => a - b);
  let busiest = 0;
  let start = 0;
  sorted.forEach((time, end) => {
    while ((sorted[start] ?? time) <= time - 60_000) {
      start += 1;
    }
    busiest = Math.max(busiest, end - start + 1);
  });
  return busiest;
}
