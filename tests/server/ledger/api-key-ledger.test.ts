import { strict as assert } from 'node:assert';
import type { ApiKeyRecord } from '../../../common/ledger';
import { AppError } from '../../../server/src/errors';
import { ApiKeyLedger } from '../../../server/src/ledger/api-key-ledger';
import { ledgerKeys, MAX_VERSION_STEPS, PENDING_PAGE_CAPACITY, STATE_BUCKETS, TRAIL_PAGE_CAPACITY } from '../../../server/src/ledger/limits';
import { ADMIN, adminAction, cutOffAfter, enabledThenUndoCutOff, holdFirstUpdate, memoryStore, person, requestBy, tickingClock } from './fixtures';

const otherAdmin = { id: 101, name: 'Otto Admin' };

async function outOfOrder(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'OUT_OF_ORDER');
    assert.equal(error.status, 409);
    return error.message;
  }
  assert.fail('expected OUT_OF_ORDER');
}

describe('ApiKeyLedger', () => {
  it('walks a request through opened, enabled and undo, recording who and when', async () => {
    const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
    const requested = await ledger.apply(requestBy(7, 'CI pipeline'));
    assert.equal(requested.state, 'requested');
    assert.deepEqual(requested.requestedBy, person(7));
    assert.equal(requested.reason, 'CI pipeline');

    const opened = await ledger.apply(adminAction('opened', 7));
    assert.equal(opened.state, 'requested');
    assert.deepEqual(opened.openedBy, ADMIN);
    assert.ok(opened.openedAt !== null && opened.openedAt > (requested.requestedAt ?? ''));

    const enabled = await ledger.apply(adminAction('enabled', 7));
    assert.equal(enabled.state, 'enabled');
    assert.deepEqual(enabled.decidedBy, ADMIN);
    assert.equal(enabled.canUndo, true);
    assert.deepEqual(enabled.openedBy, ADMIN, 'opening is kept after the decision');

    const undone = await ledger.apply(adminAction('undo', 7, otherAdmin));
    assert.equal(undone.state, 'requested');
    assert.equal(undone.decidedBy, null);
    assert.equal(undone.canUndo, false);
    assert.deepEqual(await ledger.state(person(7)), undone);
  });

  it('answers a blank record for an agent never recorded', async () => {
    const record = await new ApiKeyLedger(memoryStore()).state({ id: 5, name: '' });
    assert.equal(record.state, 'none');
    assert.equal(record.requestedBy, null);
    assert.equal(record.canUndo, false);
  });

  it('treats a repeated action as harmless: same answer, no new trail entry, no new version', async () => {
    const store = memoryStore();
    const ledger = new ApiKeyLedger(store, tickingClock());
    const first = await ledger.apply(requestBy(7));
    const again = await ledger.apply(requestBy(7, 'a different reason'));
    assert.deepEqual(again, first);
    await ledger.apply(adminAction('enabled', 7));
    const enabledAgain = await ledger.apply(adminAction('enabled', 7, otherAdmin));
    assert.deepEqual(enabledAgain.decidedBy, ADMIN);
    await ledger.apply(adminAction('opened', 7));
    await ledger.apply(adminAction('opened', 7));
    const trail = await ledger.readTrail(null);
    assert.deepEqual(trail.entries.map((e) => e.action), ['opened', 'enabled', 'requested']);
    assert.ok(store.snapshot()[ledgerKeys.version(7, 3)]);
    assert.equal(store.snapshot()[ledgerKeys.version(7, 4)], undefined);
  });

  it('refuses out-of-order actions with the reason and records nothing', async () => {
    const store = memoryStore();
    const ledger = new ApiKeyLedger(store, tickingClock());
    assert.match(await outOfOrder(ledger.apply(adminAction('declined', 7))), /has not requested an API key/);
    assert.match(await outOfOrder(ledger.apply(adminAction('undo', 7))), /nothing to undo/);
    await ledger.apply(requestBy(7));
    await ledger.apply(adminAction('declined', 7));
    assert.match(await outOfOrder(ledger.apply(adminAction('enabled', 7))), /declined: they must request the key again/);
    await ledger.apply(requestBy(7, 'second try'));
    await ledger.apply(adminAction('enabled', 7));
    assert.match(await outOfOrder(ledger.apply(requestBy(7))), /already marked enabled/);
    assert.match(await outOfOrder(ledger.apply(adminAction('declined', 7))), /undo that first/);
    assert.deepEqual((await ledger.readTrail(null)).entries.map((e) => e.action), ['enabled', 'requested', 'declined', 'requested']);
  });

  it('lets an Account Admin enable a key nobody requested, and undo it back to none', async () => {
    const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
    const enabled = await ledger.apply(adminAction('enabled', 9, ADMIN, 'service account'));
    assert.equal(enabled.state, 'enabled');
    assert.equal(enabled.requestedBy, null);
    assert.equal((await ledger.apply(adminAction('undo', 9))).state, 'none');
    assert.deepEqual((await ledger.listPending(null)).requests, []);
  });

  describe('audit trail', () => {
    it('records actor, action, target, from, to, time and note for every change, newest first', async () => {
      const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
      await ledger.apply(requestBy(7, 'reporting'));
      await ledger.apply(adminAction('declined', 7, ADMIN, 'use the reporting app instead'));
      const { entries, cursor } = await ledger.readTrail(null);
      assert.equal(cursor, null);
      assert.deepEqual(entries, [
        { at: '2026-01-01T00:00:02.000Z', actor: ADMIN, action: 'declined', target: person(7), from: 'requested', to: 'declined', note: 'use the reporting app instead' },
        { at: '2026-01-01T00:00:01.000Z', actor: person(7), action: 'requested', target: person(7), from: 'none', to: 'requested', note: 'reporting' },
      ]);
    });

    it('rolls over to a new page when one is full and pages back with a cursor', async () => {
      const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
      const changes = TRAIL_PAGE_CAPACITY + 3;
      for (let id = 1; id <= changes; id += 1) {
        await ledger.apply(requestBy(id));
      }
      const newest = await ledger.readTrail(null);
      assert.deepEqual(newest.entries.map((e) => e.target.id), [15, 14, 13]);
      assert.equal(newest.cursor, 't0');
      const older = await ledger.readTrail(0);
      assert.equal(older.entries.length, TRAIL_PAGE_CAPACITY);
      assert.equal(older.entries[0]?.target.id, TRAIL_PAGE_CAPACITY);
      assert.equal(older.cursor, null);
    });

    it('reads the page before when the newest page has no entry yet', async () => {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      for (let id = 1; id <= TRAIL_PAGE_CAPACITY; id += 1) {
        await ledger.apply(requestBy(id));
      }
      assert.equal(store.snapshot()[ledgerKeys.trailPage(1)], undefined);
      const page = await ledger.readTrail(null);
      assert.equal(page.entries.length, TRAIL_PAGE_CAPACITY);
      assert.equal(page.cursor, null);
    });

    it('answers an empty page when nothing was recorded', async () => {
      assert.deepEqual(await new ApiKeyLedger(memoryStore()).readTrail(null), { entries: [], cursor: null });
    });
  });

  describe('pending requests', () => {
    it('lists requests newest first and drops them once decided', async () => {
      const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
      await ledger.apply(requestBy(1));
      await ledger.apply(requestBy(2));
      await ledger.apply(requestBy(3));
      await ledger.apply(adminAction('enabled', 2));
      await ledger.apply(adminAction('opened', 3));
      const { requests, cursor } = await ledger.listPending(null);
      assert.deepEqual(requests.map((r) => r.agent.id), [3, 1]);
      assert.deepEqual(requests[0]?.openedBy, ADMIN, 'a pending record shows who opened it');
      assert.equal(cursor, null);
    });

    it('puts a declined request that is undone back on the list', async () => {
      const ledger = new ApiKeyLedger(memoryStore(), tickingClock());
      await ledger.apply(requestBy(1));
      await ledger.apply(adminAction('declined', 1));
      assert.deepEqual((await ledger.listPending(null)).requests, []);
      await ledger.apply(adminAction('undo', 1));
      assert.deepEqual((await ledger.listPending(null)).requests.map((r) => r.state), ['requested']);
    });

    it('rolls a full index page over to the next page and pages through all of them', async () => {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      const total = PENDING_PAGE_CAPACITY * 2 + 1;
      for (let id = 1; id <= total; id += 1) {
        await ledger.apply(requestBy(id));
      }
      const pages = [0, 1, 2].map((page) => store.snapshot()[ledgerKeys.pendingPage(page)]?.['entries'] as Record<string, ApiKeyRecord>);
      assert.deepEqual(pages.map((page) => Object.keys(page).length), [PENDING_PAGE_CAPACITY, PENDING_PAGE_CAPACITY, 1]);

      const first = await ledger.listPending(null);
      assert.equal(first.requests.length, PENDING_PAGE_CAPACITY + 1);
      assert.equal(first.requests[0]?.agent.id, total);
      assert.equal(first.cursor, 'p1');
      const second = await ledger.listPending(1);
      assert.equal(second.requests.length, PENDING_PAGE_CAPACITY);
      assert.equal(second.cursor, null);
      const seen = [...first.requests, ...second.requests].map((r) => r.agent.id).sort((a, b) => a - b);
      assert.deepEqual(seen, Array.from({ length: total }, (_, i) => i + 1));
    });

    it('fills the open page again once its requests are decided instead of growing', async () => {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      for (let id = 1; id <= PENDING_PAGE_CAPACITY; id += 1) {
        await ledger.apply(requestBy(id));
        await ledger.apply(adminAction('enabled', id));
      }
      await ledger.apply(requestBy(500));
      assert.equal(store.snapshot()[ledgerKeys.pendingPage(1)], undefined);
      assert.deepEqual((await ledger.listPending(null)).requests.map((r) => r.agent.id), [500]);
    });

    it('ignores a page entry the summary does not point at', async () => {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      const stale = await ledger.apply(requestBy(1));
      await ledger.apply(requestBy(2));
      await store.update(ledgerKeys.summary, 'remove', ['pending.a1']);
      await store.update(ledgerKeys.pendingPage(0), 'set', { 'entries.a1': stale });
      assert.deepEqual((await ledger.listPending(null)).requests.map((r) => r.agent.id), [2]);
    });
  });

  describe('$db operations', () => {
    async function operationsFor(work: (ledger: ApiKeyLedger) => Promise<unknown>, setUp?: (ledger: ApiKeyLedger) => Promise<unknown>): Promise<string[]> {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      await setUp?.(ledger);
      const before = store.operations.length;
      await work(ledger).catch(() => undefined);
      return store.operations.slice(before).map((o) => `${o.operation} ${o.key}`);
    }

    it('a new request takes 10 operations, each on a computed key', async () => {
      // Agent 39 shares agent 7's states bucket (39 mod 32), so the bucket exists already.
      assert.deepEqual(await operationsFor((l) => l.apply(requestBy(7)), (l) => l.apply(requestBy(7 + STATE_BUCKETS))), [
        'get akey:h:7',
        'get akey:summary',
        'set akey:v:7:1',
        'update akey:p:0',
        'update akey:summary',
        'update akey:s:7',
        'update akey:t:0',
        'update akey:summary',
        'set akey:h:7',
        'get akey:v:7:2',
      ]);
    });

    it('opening a record that is not pending takes 8 operations', async () => {
      assert.equal((await operationsFor((l) => l.apply(adminAction('opened', 7)), (l) => l.apply(requestBy(8)))).length, 8);
    });

    it('the first change in an empty states bucket marks and creates it: 3 operations instead of 1', async () => {
      const operations = await operationsFor((l) => l.apply(adminAction('enabled', 7)), (l) => l.apply(requestBy(8)));
      assert.deepEqual(
        operations.filter((o) => o.includes('akey:s:')),
        ['update akey:s:7', 'update akey:s:buckets', 'set akey:s:7'],
      );
    });

    it('listing the states of a small ledger reads the bucket list and the buckets that exist', async () => {
      const operations = await operationsFor((l) => l.listStates(0), async (l) => {
        await l.apply(requestBy(7));
        await l.apply(requestBy(7 + STATE_BUCKETS));
        await l.apply(requestBy(12));
      });
      assert.deepEqual(operations, ['get akey:s:buckets', 'get akey:s:7', 'get akey:s:12']);
    });

    it('a repeat or a refusal takes 2, reading a state 2, a pending list 1 + pages, a trail page 1 or 2', async () => {
      const setUp = (l: ApiKeyLedger): Promise<unknown> => l.apply(requestBy(7));
      assert.equal((await operationsFor((l) => l.apply(requestBy(7)), setUp)).length, 2);
      assert.equal((await operationsFor((l) => l.apply(adminAction('undo', 7)), setUp)).length, 2);
      assert.equal((await operationsFor((l) => l.state(person(7)), setUp)).length, 2);
      assert.equal((await operationsFor((l) => l.listPending(null), setUp)).length, 2);
      assert.equal((await operationsFor((l) => l.readTrail(null), setUp)).length, 2);
      assert.equal((await operationsFor((l) => l.readTrail(0), setUp)).length, 1);
    });

    it('stays within 50 operations a minute for three changes that each create a states bucket, and for four once the buckets exist', async () => {
      const limited = memoryStore({ operationsPerMinute: 50, now: () => 0 });
      const fresh = new ApiKeyLedger(limited, tickingClock());
      for (let id = 1; id <= 3; id += 1) {
        await fresh.apply(requestBy(id));
      }
      assert.ok(limited.operations.length <= 50, `${limited.operations.length} operations`);

      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      for (let id = 1; id <= 4; id += 1) {
        await ledger.apply(requestBy(id));
      }
      const before = store.operations.length;
      for (let id = 1; id <= 4; id += 1) {
        await ledger.apply(requestBy(id + STATE_BUCKETS));
      }
      assert.ok(store.operations.length - before <= 50, `${store.operations.length - before} operations`);
    });
  });

  describe('recovery', () => {
    it('a change cut off after its version was claimed is published by the next reader', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await assert.rejects(new ApiKeyLedger(cutOffAfter(store, 3), clock).apply(requestBy(7)), (error: unknown) => {
        return error instanceof AppError && error.code === 'STORE_UNAVAILABLE';
      });
      const ledger = new ApiKeyLedger(store, clock);
      assert.deepEqual((await ledger.listPending(null)).requests, [], 'the cut-off call never reached the index');
      assert.equal((await ledger.state(person(7))).state, 'requested');
      assert.deepEqual((await ledger.listPending(null)).requests.map((r) => r.agent.id), [7]);
      assert.deepEqual((await ledger.readTrail(null)).entries.map((e) => e.action), ['requested']);
    });

    it('retrying the cut-off action is a repeat that also completes the publication', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await new ApiKeyLedger(store, clock).apply(requestBy(7));
      await new ApiKeyLedger(cutOffAfter(store, 3), clock).apply(adminAction('enabled', 7)).catch(() => undefined);
      const ledger = new ApiKeyLedger(store, clock);
      const retried = await ledger.apply(adminAction('enabled', 7));
      assert.equal(retried.state, 'enabled');
      assert.deepEqual((await ledger.listPending(null)).requests, []);
      assert.deepEqual((await ledger.readTrail(null)).entries.map((e) => e.action), ['enabled', 'requested']);
    });

    it('the next change after a cut-off one publishes both: index entry and both trail entries', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await new ApiKeyLedger(cutOffAfter(store, 3), clock).apply(requestBy(7)).catch(() => undefined);
      const ledger = new ApiKeyLedger(store, clock);
      const opened = await ledger.apply(adminAction('opened', 7));
      assert.equal(opened.state, 'requested');
      assert.deepEqual((await ledger.listPending(null)).requests, [opened]);
      assert.deepEqual((await ledger.readTrail(null)).entries.map((e) => e.action), ['opened', 'requested']);
    });

    it('a reader healing a cut-off change while a newer change is published leaves the newest in the index', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      const ledger = await enabledThenUndoCutOff(store, clock);

      // The reader's write that puts agent 7 back on the pending map is held until version 4 is fully published.
      const slowReader = holdFirstUpdate(store, (key, action) => key === ledgerKeys.summary && action === 'set');
      const reading = new ApiKeyLedger(slowReader.store, clock).state(person(7));
      await slowReader.reached;
      const enabledAgain = await ledger.apply(adminAction('enabled', 7, otherAdmin));
      slowReader.release();
      await reading;

      assert.equal(enabledAgain.state, 'enabled');
      assert.deepEqual((await ledger.listPending(null)).requests, []);
      assert.deepEqual(store.snapshot()[ledgerKeys.summary]?.['pending'], {}, 'the stale "pending" write was repaired');
      assert.equal((store.snapshot()[ledgerKeys.head(7)] as { version: number }).version, 4);
    });

    it('gives up with STORE_UNAVAILABLE instead of stepping through versions forever', async () => {
      const store = memoryStore();
      const ledger = new ApiKeyLedger(store, tickingClock());
      await ledger.apply(requestBy(7));
      const first = store.snapshot()[ledgerKeys.version(7, 1)] as Record<string, unknown>;
      for (let version = 2; version <= MAX_VERSION_STEPS + 2; version += 1) {
        await store.set(ledgerKeys.version(7, version), { ...first, version });
      }
      const busy = (error: unknown): boolean => error instanceof AppError && error.code === 'STORE_UNAVAILABLE' && /many people at once/.test(error.message);
      await assert.rejects(ledger.state(person(7)), busy);
      await assert.rejects(ledger.apply(requestBy(7)), busy);
    });

    it('maps the store rate limit to STORE_UNAVAILABLE with a retry time', async () => {
      const ledger = new ApiKeyLedger(memoryStore({ operationsPerMinute: 1, now: () => 0 }));
      await ledger.state(person(1)).catch(() => undefined);
      await assert.rejects(ledger.state(person(1)), (error: unknown) => {
        return error instanceof AppError && error.code === 'STORE_UNAVAILABLE' && error.retryAfterSeconds === 60 && /50 operations a minute/.test(error.message);
      });
    });

    it('reports stored data it cannot read instead of guessing', async () => {
      const store = memoryStore();
      await store.set(ledgerKeys.head(7), { version: 'one' });
      await assert.rejects(new ApiKeyLedger(store).state(person(7)), (error: unknown) => {
        return error instanceof AppError && error.code === 'STORE_UNAVAILABLE' && /akey:h:7/.test(error.message);
      });
    });
  });
});
