import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KV_MESSAGES, MemoryKeyValueStore, createKeyValueStore, everyKvReading, isKvStoreError } from '../../../dev/runtime/kv-store';
import type { KvStoreOptions } from '../../../dev/runtime/kv-store';

/** A clock the test moves by hand. */
function fakeClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => { current += ms; } };
}

function store(options: KvStoreOptions = {}): MemoryKeyValueStore {
  return new MemoryKeyValueStore({ operationsPerMinute: 0, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isKvStoreError(error), `expected a { status, message } rejection, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the operation to reject');
}

describe('MemoryKeyValueStore', () => {
  describe('set and get', () => {
    it('stores a JSON object and returns a copy of it', async () => {
      const db = store();
      assert.deepEqual(await db.set('k', { a: 1, nested: { b: [1, 2] } }), { Created: true });
      const read = await db.get('k');
      assert.deepEqual(read, { a: 1, nested: { b: [1, 2] } });
      read['a'] = 99;
      assert.deepEqual(await db.get('k'), { a: 1, nested: { b: [1, 2] } });
    });

    it('overwrites an existing key without options', async () => {
      const db = store();
      await db.set('k', { a: 1 });
      await db.set('k', { b: 2 });
      assert.deepEqual(await db.get('k'), { b: 2 });
    });

    it('rejects 404 "Record not found" for a missing key', async () => {
      assert.deepEqual(await rejection(store().get('missing')), { status: 404, message: 'Record not found' });
    });

    it('stores empty strings, NaN and Infinity as null, as FDK does', async () => {
      const db = store();
      await db.set('k', { empty: '', nan: Number.NaN, inf: Number.POSITIVE_INFINITY, list: ['', 'x'], kept: 'x' });
      assert.deepEqual(await db.get('k'), { empty: null, nan: null, inf: null, list: [null, 'x'], kept: 'x' });
    });

    it('rejects values that are not non-empty JSON objects', async () => {
      const db = store();
      for (const value of [{}, [], null, 'text', 3]) {
        const error = await rejection(db.set('k', value as unknown as Record<string, unknown>));
        assert.equal(error.status, 400);
        assert.match(error.message, /non-empty JSON object/);
      }
    });

    it('rejects blank keys and keys longer than 60 characters (30 under the older limit)', async () => {
      const db = store();
      assert.equal((await rejection(db.set(' ', { a: 1 }))).status, 400);
      assert.match((await rejection(db.get('k'.repeat(61)))).message, /longer than 60 characters/);
      assert.deepEqual(await db.set('k'.repeat(60), { a: 1 }), { Created: true });
      const older = store({ maxKeyLength: 30 });
      assert.match((await rejection(older.get('k'.repeat(31)))).message, /longer than 30 characters/);
    });

    it('rejects key + value over 40 KB with a message naming the size, and keeps the old value', async () => {
      const db = store();
      await db.set('big', { text: 'small' });
      const error = await rejection(db.set('big', { text: 'x'.repeat(40 * 1024) }));
      assert.equal(error.status, 400);
      assert.match(error.message, /limit is 40960 bytes/);
      assert.deepEqual(await db.get('big'), { text: 'small' });
    });

    it('accepts a value that fills exactly 40 KB with its key', async () => {
      const db = store();
      const overhead = 'big'.length + JSON.stringify({ text: '' }).length;
      await db.set('big', { text: 'x'.repeat(40 * 1024 - overhead) });
      assert.equal(((await db.get('big'))['text'] as string).length, 40 * 1024 - overhead);
    });
  });

  describe('setIf', () => {
    it('not_exist writes a new key and rejects when the key exists', async () => {
      const db = store();
      await db.set('slot', { owner: 'a' }, { setIf: 'not_exist' });
      const error = await rejection(db.set('slot', { owner: 'b' }, { setIf: 'not_exist' }));
      assert.deepEqual(error, { status: 400, message: KV_MESSAGES.setIfFailed });
      assert.deepEqual(await db.get('slot'), { owner: 'a' });
    });

    it('exist rejects for a missing key and overwrites an existing one', async () => {
      const db = store();
      assert.equal((await rejection(db.set('k', { a: 1 }, { setIf: 'exist' }))).message, KV_MESSAGES.setIfFailed);
      await db.set('k', { a: 1 });
      await db.set('k', { a: 2 }, { setIf: 'exist' });
      assert.deepEqual(await db.get('k'), { a: 2 });
    });

    it('treats an expired key as absent', async () => {
      const clock = fakeClock();
      const db = store({ now: clock.now });
      await db.set('k', { a: 1 }, { ttl: 1 });
      clock.advance(1000);
      await db.set('k', { a: 2 }, { setIf: 'not_exist' });
      assert.deepEqual(await db.get('k'), { a: 2 });
    });
  });

  describe('ttl', () => {
    it('expires a key after ttl seconds (fractions allowed)', async () => {
      const clock = fakeClock();
      const db = store({ now: clock.now });
      await db.set('k', { a: 1 }, { ttl: 1.5 });
      clock.advance(1499);
      assert.deepEqual(await db.get('k'), { a: 1 });
      clock.advance(1);
      assert.equal((await rejection(db.get('k'))).status, 404);
      assert.deepEqual(db.snapshot(), {});
    });

    it('keeps a key forever without ttl or with a negative ttl', async () => {
      const clock = fakeClock();
      const db = store({ now: clock.now });
      await db.set('a', { v: 1 });
      await db.set('b', { v: 2 }, { ttl: -5 });
      clock.advance(365 * 24 * 3600 * 1000);
      assert.deepEqual(db.snapshot(), { a: { v: 1 }, b: { v: 2 } });
    });

    it('update keeps the expiry of the key', async () => {
      const clock = fakeClock();
      const db = store({ now: clock.now });
      await db.set('k', { n: 1 }, { ttl: 10 });
      await db.update('k', 'increment', { n: 1 });
      clock.advance(10_000);
      assert.equal((await rejection(db.get('k'))).status, 404);
    });
  });

  describe('update', () => {
    it('set writes top-level and dot-notation nested attributes, creating parents', async () => {
      const db = store();
      await db.set('k', { a: 1, logs: { keep: true } });
      assert.deepEqual(await db.update('k', 'set', { a: 2, 'logs.t1.time': 500, 'fresh.deep.x': 'y' }), { Updated: true });
      assert.deepEqual(await db.get('k'), { a: 2, logs: { keep: true, t1: { time: 500 } }, fresh: { deep: { x: 'y' } } });
    });

    it('append adds to a top-level array, creating it when absent', async () => {
      const db = store();
      await db.set('k', { list: [1] });
      await db.update('k', 'append', { list: [2, 3], other: ['x'] });
      assert.deepEqual(await db.get('k'), { list: [1, 2, 3], other: ['x'] });
    });

    it('append refuses non-arrays and nested paths', async () => {
      const db = store();
      await db.set('k', { text: 'x', list: [] });
      assert.match((await rejection(db.update('k', 'append', { text: ['y'] }))).message, /array/);
      assert.match((await rejection(db.update('k', 'append', { list: 'y' }))).message, /array/);
      assert.match((await rejection(db.update('k', 'append', { 'a.b': ['y'] }))).message, /top-level/);
      assert.deepEqual(await db.get('k'), { text: 'x', list: [] });
    });

    it('increment adds to a top-level number, starting from 0, and refuses non-numbers', async () => {
      const db = store();
      await db.set('k', { n: 5, text: 'x' });
      await db.update('k', 'increment', { n: -2, fresh: 3 });
      assert.deepEqual(await db.get('k'), { n: 3, text: 'x', fresh: 3 });
      assert.equal((await rejection(db.update('k', 'increment', { text: 1 }))).status, 400);
      assert.equal((await rejection(db.update('k', 'increment', { n: '1' }))).status, 400);
    });

    it('remove deletes attribute paths given as a list (or as object keys), ignoring absent ones', async () => {
      const db = store();
      await db.set('k', { a: 1, b: 2, logs: { t1: 1, t2: 2 }, c: 3 });
      await db.update('k', 'remove', ['a', 'logs.t1', 'missing.deep']);
      assert.deepEqual(await db.get('k'), { b: 2, logs: { t2: 2 }, c: 3 });
      await db.update('k', 'remove', { c: true });
      assert.deepEqual(await db.get('k'), { b: 2, logs: { t2: 2 } });
    });

    it('increment and append on a missing key store the attributes as the value, as Freshworks documents', async () => {
      const db = store();
      await db.update('counter', 'increment', { trailCount: 1 });
      assert.deepEqual(await db.get('counter'), { trailCount: 1 });
      await db.update('list', 'append', { items: ['a'] });
      assert.deepEqual(await db.get('list'), { items: ['a'] });
    });

    it('set on a missing key: rejects 404 by default, or creates the key under the other reading', async () => {
      assert.deepEqual(await rejection(store().update('none', 'set', { a: 1 })), { status: 404, message: 'Record not found' });
      const creating = store({ readings: { updateSetOnMissingKey: 'create' } });
      await creating.update('none', 'set', { a: 1, 'b.c': 2 });
      assert.deepEqual(await creating.get('none'), { a: 1, b: { c: 2 } });
    });

    it('remove on a missing key: rejects 404 by default, or does nothing under the other reading', async () => {
      assert.equal((await rejection(store().update('none', 'remove', ['a']))).status, 404);
      const ignoring = store({ readings: { removeOnMissingKey: 'ignore' } });
      assert.deepEqual(await ignoring.update('none', 'remove', ['a']), { Updated: true });
      assert.equal((await rejection(ignoring.get('none'))).status, 404);
    });

    it('removing an absent attribute: ignored by default, or rejected 400 under the other reading', async () => {
      const strict = store({ readings: { removeAbsentAttribute: 'reject' } });
      await strict.set('k', { a: 1 });
      assert.equal((await rejection(strict.update('k', 'remove', ['missing']))).status, 400);
      assert.deepEqual(await strict.get('k'), { a: 1 });
    });

    it('offers every combination of the undocumented readings, each once', () => {
      const readings = everyKvReading();
      assert.equal(readings.length, 8);
      assert.equal(new Set(readings.map((reading) => JSON.stringify(reading))).size, 8);
    });

    it('rejects bad paths, unknown actions and a list where an object is needed', async () => {
      const db = store();
      await db.set('k', { a: 1 });
      assert.match((await rejection(db.update('k', 'set', { 'a..b': 1 }))).message, /Invalid attribute path/);
      assert.match((await rejection(db.update('k', 'rename' as 'set', { a: 1 }))).message, /Unknown update action/);
      assert.match((await rejection(db.update('k', 'set', ['a']))).message, /object of attribute paths/);
    });

    it('rejects an update that would take the key over 40 KB and keeps the old value', async () => {
      const db = store();
      await db.set('k', { list: ['x'] });
      assert.equal((await rejection(db.update('k', 'append', { list: ['y'.repeat(41 * 1024)] }))).status, 400);
      assert.deepEqual(await db.get('k'), { list: ['x'] });
    });
  });

  describe('delete', () => {
    it('deletes a key and rejects 404 for a missing one', async () => {
      const db = store();
      await db.set('k', { a: 1 });
      assert.deepEqual(await db.delete('k'), { Deleted: true });
      assert.equal((await rejection(db.get('k'))).status, 404);
      assert.equal((await rejection(db.delete('k'))).status, 404);
    });
  });

  describe('rate limit', () => {
    it('allows 50 operations a rolling minute by default and rejects the 51st with 429', async () => {
      const clock = fakeClock();
      const db = createKeyValueStore({ now: clock.now });
      await db.set('k', { a: 1 });
      for (let i = 0; i < 49; i += 1) {
        await db.get('k');
      }
      assert.deepEqual(await rejection(db.get('k')), { status: 429, message: KV_MESSAGES.rateLimited });
      clock.advance(59_999);
      assert.equal((await rejection(db.get('k'))).status, 429);
      clock.advance(1);
      assert.deepEqual(await db.get('k'), { a: 1 });
    });

    it('counts failed operations too, and can be set to another limit', async () => {
      const db = createKeyValueStore({ now: fakeClock().now, operationsPerMinute: 2 });
      await rejection(db.get('missing'));
      await db.set('k', { a: 1 });
      assert.equal((await rejection(db.get('k'))).status, 429);
    });

    it('is off with operationsPerMinute 0', async () => {
      const db = store();
      await db.set('k', { a: 1 });
      for (let i = 0; i < 60; i += 1) {
        await db.get('k');
      }
      assert.equal(db.operations.length, 61);
    });
  });

  describe('operation log', () => {
    it('records each operation and key in call order', async () => {
      const db = store();
      await db.set('a', { v: 1 });
      await db.update('a', 'set', { v: 2 });
      await rejection(db.get('b'));
      await db.delete('a');
      assert.deepEqual(db.operations, [
        { operation: 'set', key: 'a' },
        { operation: 'update', key: 'a' },
        { operation: 'get', key: 'b' },
        { operation: 'delete', key: 'a' },
      ]);
    });
  });

  describe('persistence', () => {
    let directory: string;
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'kv-store-'));
    });
    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('writes the file after each write and loads it in a new store', async () => {
      const file = join(directory, 'nested', 'db.json');
      const clock = fakeClock();
      const first = store({ file, now: clock.now });
      await first.set('a', { v: 1 });
      await first.set('short', { v: 2 }, { ttl: 5 });
      await first.update('a', 'increment', { v: 1 });
      assert.ok(existsSync(file));
      assert.ok(!existsSync(`${file}.tmp`));
      const second = store({ file, now: clock.now });
      assert.deepEqual(second.snapshot(), { a: { v: 2 }, short: { v: 2 } });
      clock.advance(5000);
      assert.deepEqual(second.snapshot(), { a: { v: 2 } });
      await first.delete('a');
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { entries: { short: { value: { v: 2 }, expiresAt: clock.now() } } });
    });

    it('saveTo writes a store filled in memory, expiries included, as a store with that file loads it', async () => {
      const file = join(directory, 'db.json');
      const clock = fakeClock();
      const filled = store({ now: clock.now });
      await filled.set('a', { v: 1 });
      await filled.set('short', { v: 2 }, { ttl: 5 });
      assert.ok(!existsSync(file), 'a store without a file writes none');
      filled.saveTo(file);
      const loaded = store({ file, now: clock.now });
      assert.deepEqual(loaded.snapshot(), { a: { v: 1 }, short: { v: 2 } });
      clock.advance(5000);
      assert.deepEqual(loaded.snapshot(), { a: { v: 1 } });
    });

    it('does not write the file for reads or rejected writes', async () => {
      const file = join(directory, 'db.json');
      const db = store({ file });
      await rejection(db.get('a'));
      await rejection(db.set('a', {}));
      assert.ok(!existsSync(file));
    });

    it('refuses to start from a malformed file', () => {
      const file = join(directory, 'db.json');
      writeFileSync(file, JSON.stringify({ entries: { a: { value: 'not an object', expiresAt: null } } }));
      assert.throws(() => store({ file }));
    });
  });

  describe('interleaving', () => {
    it('applies concurrent operations in a seed-determined order, not call order', async () => {
      async function order(seed: number): Promise<number[]> {
        const db = store({ interleave: { seed, maxTurns: 4 } });
        await db.set('k', { order: [] });
        await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => db.update('k', 'append', { order: [i] })));
        return (await db.get('k'))['order'] as number[];
      }
      const first = await order(7);
      assert.deepEqual(await order(7), first, 'the same seed gives the same interleaving');
      assert.deepEqual([...first].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7], 'append loses nothing');
      const orders = await Promise.all([1, 2, 3, 4, 5].map(order));
      assert.ok(
        [first, ...orders].some((o) => o.join() !== '0,1,2,3,4,5,6,7'),
        'at least one seed reorders the operations',
      );
    });

    it('lets a get-then-set race lose an update, which is why callers need setIf or update', async () => {
      const db = store({ interleave: { seed: 3, maxTurns: 3 } });
      await db.set('counter', { n: 0 });
      async function naiveIncrement(): Promise<void> {
        const value = await db.get('counter');
        await db.set('counter', { n: (value['n'] as number) + 1 });
      }
      await Promise.all(Array.from({ length: 10 }, naiveIncrement));
      assert.ok(((await db.get('counter'))['n'] as number) < 10);
    });

    it('lets exactly one of many concurrent setIf not_exist claims win', async () => {
      const db = store({ interleave: { seed: 11 } });
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => db.set('slot', { owner: i }, { setIf: 'not_exist' })));
      const winners = results.filter((r) => r.status === 'fulfilled');
      assert.equal(winners.length, 1);
      const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(losers.every((r) => isKvStoreError(r.reason) && r.reason.message === KV_MESSAGES.setIfFailed));
    });

    it('still rejects rate-limited calls immediately', async () => {
      const db = createKeyValueStore({ now: fakeClock().now, operationsPerMinute: 1, interleave: { seed: 1 } });
      await db.set('k', { a: 1 });
      assert.equal((await rejection(db.get('k'))).status, 429);
    });
  });
});
