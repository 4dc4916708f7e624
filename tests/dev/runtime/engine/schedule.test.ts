import { strict as assert } from 'node:assert';
import { restore, useFakeTimers } from 'sinon';
import type { SinonFakeTimers } from 'sinon';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine } from '../../../../dev/runtime/engine/index';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { everyScheduleReading, type BookEntry } from '../../../../dev/runtime/schedule-book';
import { LocalScheduler } from '../../../../dev/runtime/scheduler';
import type { EngineTimers } from '../../../../dev/runtime/engine/limits';
import type { KeyValueStore } from '#server/platform';
import { createFixtureApp } from './fixtures';
import type { FixtureApp } from './fixtures';

/**
 * `call` runs one $schedule operation from inside the sandbox and answers what it resolved or
 * rejected with, and whether that value is a plain object of the sandbox's own realm. `fill`
 * creates `count` one-time schedules. `fired` records each onScheduledEvent it receives.
 */
const SERVER = `
function realmOf(value) {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}
exports = {
  call: function (args) {
    $schedule[args.operation](args.options).then(
      function (answer) { renderData(null, { resolved: answer, ownRealm: realmOf(answer) }); },
      function (error) { renderData(null, { rejected: error, ownRealm: realmOf(error) }); }
    );
  },
  fill: async function (args) {
    for (let index = 0; index < args.count; index += 1) {
      await $schedule.create({ name: 'one-time-' + index, data: { index: index }, schedule_at: args.at });
    }
    renderData(null, { created: args.count });
  },
  fired: function (args) {
    $db.update('fired', 'append', { runs: [{ data: args.data, event: args.event }] }).then(function () { renderData(); });
  }
};
`;

const START = Date.UTC(2030, 0, 1, 9, 0, 0);

/** The global timers, looked up at call time so sinon's fake clock drives them. */
function realTimersOf(): EngineTimers {
  return { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout) };
}
const MINUTE = 60_000;

type Answer = { resolved?: { status?: number; message?: string } & Record<string, unknown>; rejected?: { status: number; message: string }; ownRealm: boolean };

describe('engine: $schedule (scheduled events)', () => {
  let app: FixtureApp;
  let engine: AppEngine;
  let store: KeyValueStore;
  let clock: SinonFakeTimers;
  let logs: string[];

  before(() => {
    app = createFixtureApp({ server: SERVER, functions: ['call', 'fill'], events: { common: { onScheduledEvent: 'fired' } } });
  });

  after(() => app.remove());

  beforeEach(async () => {
    clock = useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout'] });
    store = createKeyValueStore();
    logs = [];
    engine = await createAppEngine({ appRoot: app.root, iparams: {}, store, now: () => clock.now, log: (line) => logs.push(line) });
  });

  afterEach(async () => {
    await engine.close();
    restore();
  });

  const at = (ms: number): string => new Date(START + ms).toISOString();

  async function call(operation: string, options: unknown): Promise<Answer> {
    const result = await engine.invokeServerMethod('call', { operation, options });
    assert.equal(result.ok, true, JSON.stringify(result.body));
    return (result.body as { response: Answer }).response;
  }

  async function runs(): Promise<{ data: Record<string, unknown>; event: string }[]> {
    return ((await store.get('fired').catch(() => ({ runs: [] }))) as { runs: { data: Record<string, unknown>; event: string }[] }).runs;
  }

  function refusal(answer: Answer): number | undefined {
    assert.equal(answer.ownRealm, true, "the rejection is a plain object of the sandbox's realm");
    return answer.rejected?.status;
  }

  it("creates, fetches, updates and deletes a schedule; every answer is { status, message } in the sandbox's realm", async () => {
    const created = await call('create', { name: 'reminder', data: { ticket: 1 }, schedule_at: at(5 * MINUTE) });
    assert.deepEqual(created, { resolved: { status: 200, message: 'Schedule created' }, ownRealm: true });
    assert.deepEqual((await call('fetch', { name: 'reminder' })).resolved, { name: 'reminder', data: { ticket: 1 }, schedule_at: at(5 * MINUTE) });
    const updated = await call('update', { name: 'reminder', data: { ticket: 2 }, schedule_at: at(10 * MINUTE) });
    assert.equal(updated.resolved?.status, 200);
    assert.deepEqual(engine.pendingSchedules().map((entry) => [entry.name, entry.nextRun]), [['reminder', at(10 * MINUTE)]]);
    assert.equal((await call('delete', { name: 'reminder' })).resolved?.status, 200);
    assert.equal(refusal(await call('fetch', { name: 'reminder' })), 404);
    assert.equal(refusal(await call('update', { name: 'reminder', data: {}, schedule_at: at(10 * MINUTE) })), 404);
    assert.equal(refusal(await call('delete', { name: 'reminder' })), 404);
    assert.ok(logs.some((line) => line === 'schedule create reminder 200'));
    assert.ok(logs.every((line) => !line.includes('ticket')), 'never the data in the log');
  });

  it('refuses a schedule_at less than 5 minutes ahead, and takes one exactly 5 minutes ahead', async () => {
    assert.equal(refusal(await call('create', { name: 'soon', data: {}, schedule_at: at(5 * MINUTE - 2_000) })), 400);
    assert.equal(refusal(await call('create', { name: 'past', data: {}, schedule_at: at(-MINUTE) })), 400);
    assert.equal((await call('create', { name: 'in-five', data: {}, schedule_at: at(5 * MINUTE) })).resolved?.status, 200);
    assert.equal(refusal(await call('update', { name: 'in-five', data: {}, schedule_at: at(MINUTE) })), 400);
  });

  it('checks the 5 minutes when the call arrives, with no slack: "now + 5 minutes" worked out a moment before the call is refused', async () => {
    const madeFor = at(5 * MINUTE);
    clock.tick(1);
    const late = await call('create', { name: 'exactly-five', data: {}, schedule_at: madeFor });
    assert.equal(refusal(late), 400);
    assert.match(late.rejected?.message ?? '', /at least 5 minutes/);
  });

  it('refuses a second recurring schedule, also by update, but not a one-time one beside it', async () => {
    const repeat = { time_unit: 'minutes', frequency: 10 };
    assert.equal((await call('create', { name: 'refresh', data: {}, schedule_at: at(5 * MINUTE), repeat })).resolved?.status, 200);
    assert.equal(refusal(await call('create', { name: 'another', data: {}, schedule_at: at(5 * MINUTE), repeat })), 400);
    assert.equal((await call('create', { name: 'once', data: {}, schedule_at: at(5 * MINUTE) })).resolved?.status, 200);
    assert.equal(refusal(await call('update', { name: 'once', data: {}, schedule_at: at(5 * MINUTE), repeat })), 400);
    assert.equal((await call('update', { name: 'refresh', data: {}, schedule_at: at(6 * MINUTE), repeat: { time_unit: 'hours', frequency: 1 } })).resolved?.status, 200);
  });

  it('refuses data over 4 KB and a name already in use', async () => {
    assert.equal(refusal(await call('create', { name: 'big', data: { text: 'x'.repeat(4 * 1024) }, schedule_at: at(5 * MINUTE) })), 400);
    assert.equal((await call('create', { name: 'fits', data: { text: 'x'.repeat(4 * 1024 - 20) }, schedule_at: at(5 * MINUTE) })).resolved?.status, 200);
    const again = await call('create', { name: 'fits', data: {}, schedule_at: at(6 * MINUTE) });
    assert.equal(refusal(again), 400);
    assert.match(again.rejected?.message ?? '', /already exists/);
  });

  it('refuses arguments of the wrong shape, naming what is wrong', async () => {
    const bad: unknown[] = [
      { data: {}, schedule_at: at(5 * MINUTE) },
      { name: 'x', schedule_at: at(5 * MINUTE) },
      { name: 'x', data: {}, schedule_at: 'tomorrow' },
      { name: 'x', data: {}, schedule_at: at(5 * MINUTE), repeat: { time_unit: 'weeks', frequency: 1 } },
      { name: 'x', data: {}, schedule_at: at(5 * MINUTE), repeat: { time_unit: 'minutes', frequency: 0 } },
      null,
    ];
    for (const options of bad) {
      assert.equal(refusal(await call('create', options)), 400, JSON.stringify(options));
    }
    assert.equal(refusal(await call('fetch', {})), 400);
  });

  it('allows 1000 pending one-time schedules and refuses the next', async () => {
    const filled = await engine.invokeServerMethod('fill', { count: 1000, at: at(5 * MINUTE) });
    assert.equal(filled.ok, true, JSON.stringify(filled.body));
    assert.equal(refusal(await call('create', { name: 'one-more', data: {}, schedule_at: at(5 * MINUTE) })), 400);
    assert.equal((await call('create', { name: 'recurring', data: {}, schedule_at: at(5 * MINUTE), repeat: { time_unit: 'days', frequency: 1 } })).resolved?.status, 200, 'the recurring one is counted apart');
    assert.equal((await call('delete', { name: 'one-time-0' })).resolved?.status, 200);
    assert.equal((await call('create', { name: 'one-more', data: {}, schedule_at: at(5 * MINUTE) })).resolved?.status, 200, 'room again once one is gone');
  });

  it('fires onScheduledEvent with the data at the due time on the engine clock, once for a one-time schedule', async () => {
    await call('create', { name: 'once', data: { task: 'step', n: 1 }, schedule_at: at(5 * MINUTE) });
    await clock.tickAsync(5 * MINUTE - 1);
    assert.deepEqual(await runs(), []);
    await clock.tickAsync(1);
    assert.deepEqual(await runs(), [{ data: { task: 'step', n: 1 }, event: 'onScheduledEvent' }]);
    assert.deepEqual(engine.pendingSchedules(), []);
    await clock.tickAsync(60 * MINUTE);
    assert.equal((await runs()).length, 1);
    assert.ok(logs.some((line) => /^event onScheduledEvent 200 \d+ms$/.test(line)));
  });

  it('re-arms a recurring schedule every frequency units from schedule_at', async () => {
    await call('create', { name: 'refresh', data: { task: 'refresh' }, schedule_at: at(5 * MINUTE), repeat: { time_unit: 'minutes', frequency: 10 } });
    await clock.tickAsync(5 * MINUTE);
    assert.equal((await runs()).length, 1);
    assert.deepEqual(engine.pendingSchedules().map((entry) => entry.nextRun), [at(15 * MINUTE)]);
    await clock.tickAsync(10 * MINUTE - 1);
    assert.equal((await runs()).length, 1);
    await clock.tickAsync(1 + 20 * MINUTE);
    assert.equal((await runs()).length, 4);
    assert.equal((await call('fetch', { name: 'refresh' })).resolved?.['schedule_at'], at(5 * MINUTE), 'fetch answers what the schedule was created with');
  });

  it('fires a schedule updated to a later time only then, and a deleted one never', async () => {
    await call('create', { name: 'moved', data: { which: 'moved' }, schedule_at: at(5 * MINUTE) });
    await call('create', { name: 'dropped', data: { which: 'dropped' }, schedule_at: at(5 * MINUTE) });
    await call('update', { name: 'moved', data: { which: 'moved' }, schedule_at: at(30 * MINUTE) });
    await call('delete', { name: 'dropped' });
    await clock.tickAsync(29 * MINUTE);
    assert.deepEqual(await runs(), []);
    await clock.tickAsync(MINUTE);
    assert.deepEqual((await runs()).map((run) => run.data['which']), ['moved']);
  });

  it('keeps a fired one-time schedule (name taken, counted) until it is deleted, under the strictest reading (the default)', async () => {
    await call('create', { name: 'step', data: {}, schedule_at: at(5 * MINUTE) });
    await clock.tickAsync(5 * MINUTE);
    assert.equal((await runs()).length, 1);
    assert.deepEqual(engine.pendingSchedules(), []);
    const again = await call('create', { name: 'step', data: {}, schedule_at: at(11 * MINUTE) });
    assert.equal(refusal(again), 400, 'its name is still taken');
    assert.equal((await call('delete', { name: 'step' })).resolved?.status, 200);
    assert.equal((await call('create', { name: 'step', data: {}, schedule_at: at(11 * MINUTE) })).resolved?.status, 200, 'free once deleted');
  });

  it('stops every schedule when the engine closes', async () => {
    await call('create', { name: 'refresh', data: {}, schedule_at: at(5 * MINUTE), repeat: { time_unit: 'minutes', frequency: 5 } });
    await engine.close();
    await clock.tickAsync(60 * MINUTE);
    assert.deepEqual(await runs(), []);
    assert.equal(clock.countTimers(), 0);
  });
});

describe('engine: $schedule where Freshworks is silent, under each reading', () => {
  let clock: SinonFakeTimers;
  beforeEach(() => {
    clock = useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => restore());

  const at = (ms: number): string => new Date(START + ms).toISOString();

  for (const readings of everyScheduleReading()) {
    it(`fired one-time schedules ${readings.firedOneTime}, deleting a missing name ${readings.deleteMissing === 'reject' ? 'refused' : 'answered as done'}`, async () => {
      const fired: unknown[] = [];
      const scheduler = new LocalScheduler({ now: () => clock.now, timers: realTimersOf(), log: () => undefined, readings, fire: (_name, data) => Promise.resolve(fired.push(data)) });
      await scheduler.create({ name: 'step', data: { n: 1 }, schedule_at: at(5 * MINUTE) });
      await clock.tickAsync(5 * MINUTE);
      assert.deepEqual(fired, [{ n: 1 }]);
      assert.equal(scheduler.oneTimeHeld(), readings.firedOneTime === 'kept' ? 1 : 0);
      const recreated = scheduler.create({ name: 'step', data: { n: 2 }, schedule_at: at(11 * MINUTE) });
      await (readings.firedOneTime === 'kept' ? assert.rejects(recreated, { status: 400 }) : recreated);
      const deletedMissing = scheduler.delete({ name: 'never-made' });
      await (readings.deleteMissing === 'reject' ? assert.rejects(deletedMissing, { status: 404 }) : deletedMissing);
      scheduler.close();
    });
  }
});

describe('engine: $schedule kept with the installation across restarts', () => {
  let clock: SinonFakeTimers;
  beforeEach(() => {
    clock = useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => restore());

  it('finds its schedules again after a restart, and fires one that fell due meanwhile at once', async () => {
    let kept: BookEntry[] = [];
    const persist = { load: () => kept, save: (entries: BookEntry[]) => void (kept = entries) };
    const fired: string[] = [];
    const start = (): LocalScheduler => new LocalScheduler({ now: () => clock.now, timers: realTimersOf(), log: () => undefined, persist, fire: (name) => Promise.resolve(fired.push(name)) });
    const first = start();
    await first.create({ name: 'refresh', data: {}, schedule_at: new Date(START + 6 * MINUTE).toISOString(), repeat: { time_unit: 'minutes', frequency: 10 } });
    await first.create({ name: 'step', data: {}, schedule_at: new Date(START + 7 * MINUTE).toISOString() });
    first.close();
    await clock.tickAsync(8 * MINUTE);
    assert.deepEqual(fired, [], 'nothing fires while the runtime is stopped');
    const second = start();
    await clock.tickAsync(0);
    assert.deepEqual(fired.sort(), ['refresh', 'step'], 'both were due: they fire on the start');
    assert.deepEqual(second.waiting().map((entry) => [entry.name, entry.nextRun]), [['refresh', new Date(START + 16 * MINUTE).toISOString()]]);
    second.close();
  });
});
