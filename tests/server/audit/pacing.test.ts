import { strict as assert } from 'node:assert';
import {
  EVENT_REQUESTS,
  OVERVIEW_REQUESTS_PER_MINUTE,
  PLATFORM_REQUESTS_PER_MINUTE,
  SCAN_REQUESTS_BESIDE_PEOPLE,
  SCAN_REQUESTS_PER_MINUTE,
  VIEW_REQUESTS,
  backoffForRemaining,
  nextRequestNotBefore,
  waitForWindow,
} from '#server/audit/pacing';
import { busiestMinute } from './run';

describe('pacing', () => {
  it('lets requests through while the last minute has room', () => {
    assert.equal(waitForWindow([], 1_000_000), 0);
    assert.equal(waitForWindow(Array.from({ length: OVERVIEW_REQUESTS_PER_MINUTE - 1 }, (_unused, i) => 1_000_000 - i), 1_000_000), 0);
  });

  it('waits until the oldest request that must expire has left the window', () => {
    const times = Array.from({ length: OVERVIEW_REQUESTS_PER_MINUTE }, (_unused, i) => 1_000_000 + i * 100);
    assert.equal(waitForWindow(times, 1_004_000), 1_000_000 + 60_000 - 1_004_000);
  });

  it('ignores requests older than a minute', () => {
    const times = Array.from({ length: OVERVIEW_REQUESTS_PER_MINUTE }, (_unused, i) => 900_000 + i);
    assert.equal(waitForWindow(times, 1_000_000), 0);
  });

  it('backs off as X-RateLimit-Remaining runs low', () => {
    assert.equal(backoffForRemaining(null), 0);
    assert.equal(backoffForRemaining(200), 0);
    assert.equal(backoffForRemaining(10), 0);
    assert.equal(backoffForRemaining(9), 6_000);
    assert.equal(backoffForRemaining(0), 60_000);
    assert.equal(backoffForRemaining(-3), 60_000);
  });

  it('never lets more than the budget into any 60 s window, even with bursts', () => {
    const times: number[] = [];
    let now = 5_000_000;
    for (let request = 0; request < 300; request += 1) {
      now = Math.max(now, nextRequestNotBefore(times, now, null));
      times.push(now);
      now += request % 3 === 0 ? 0 : 250;
    }
    assert.equal(busiestMinute(times), OVERVIEW_REQUESTS_PER_MINUTE);
    assert.ok(OVERVIEW_REQUESTS_PER_MINUTE < PLATFORM_REQUESTS_PER_MINUTE);
  });

  it("splits FDK's 50 a minute so that a scan, a console and ten sidebar views a minute fit together, with room for events", () => {
    // The console counts what the scan spent before it opened; the scan then gives way.
    const busiest = OVERVIEW_REQUESTS_PER_MINUTE + SCAN_REQUESTS_BESIDE_PEOPLE + 10 * VIEW_REQUESTS;
    assert.ok(busiest + EVENT_REQUESTS < PLATFORM_REQUESTS_PER_MINUTE, `${busiest}`);
    assert.ok(SCAN_REQUESTS_PER_MINUTE + 10 * VIEW_REQUESTS + EVENT_REQUESTS < PLATFORM_REQUESTS_PER_MINUTE, 'the scan before it notices people');
    assert.ok(SCAN_REQUESTS_PER_MINUTE < OVERVIEW_REQUESTS_PER_MINUTE, 'a console opening beside a busy scan still reads its first slices at once');
  });

  it('busiestMinute counts a half-open 60 s window', () => {
    assert.equal(busiestMinute([0, 59_999, 60_000]), 2);
    assert.equal(busiestMinute([]), 0);
  });
});
