/**
 * An installation driven on a virtual clock: the app's event handlers, a fake $schedule, and
 * every template request timed, so the background refresh of the Account Admins can be run at
 * the real platform pace without waiting (tests and bench/admins.ts).
 */
import { createEventHandlers } from '#server/methods/events';
import type { EventPlatform, TemplateClient } from '#server/platform';
import { MemoryStore } from '../audit/memoryStore';
import { VirtualClock, timedClient } from '../audit/run';
import { FakeSchedule } from '../fakes/schedule';
import { TEST_IPARAMS, headOf } from '../fakes/storage';

/** An installation driven on a virtual clock: the event handlers, a fake $schedule, and every template request timed. */
export class VirtualInstallation {
  readonly clock = new VirtualClock();
  readonly store = new MemoryStore();
  readonly schedule = new FakeSchedule(this.clock.now);
  readonly requestTimes: number[] = [];
  readonly handlers = createEventHandlers(this.clock.now);
  readonly replies: unknown[][] = [];
  private readonly request: TemplateClient;

  constructor(inner: TemplateClient, latencyMs = 400) {
    this.request = timedClient(inner, this.clock, this.requestTimes, latencyMs);
  }

  platform(): EventPlatform {
    return { request: this.request, store: this.store, schedule: this.schedule, reply: (...args) => void this.replies.push(args) };
  }

  /** The head as a new call would read it now. */
  head() {
    return headOf(this.store);
  }

  install(): Promise<void> {
    return this.handlers.onAppInstall({ iparams: TEST_IPARAMS }, this.platform());
  }

  /** Fires every schedule due until `until`, moving the clock to each one's time; answers how many ran. */
  async runUntil(until: number): Promise<number> {
    let fired = 0;
    for (let due = this.schedule.takeDue(until); due !== null; due = this.schedule.takeDue(until)) {
      this.clock.time = Math.max(this.clock.time, due.due);
      await this.handlers.onScheduledEvent({ data: due.data, iparams: TEST_IPARAMS }, this.platform());
      fired += 1;
    }
    this.clock.time = Math.max(this.clock.time, until);
    return fired;
  }
}

