import { strict as assert } from 'node:assert';
import type { ApiKeyStateEntry } from '../../../common/ledger';
import type { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { ApiKeyLedger, type LedgerChange } from '../../../server/src/ledger/api-key-ledger';
import { agentAttribute, ledgerKeys, STATE_BUCKETS, STATE_BUCKETS_PER_CALL, STATES_PER_ANSWER } from '../../../server/src/ledger/limits';
import { stateBucketSchema } from '../../../server/src/ledger/schemas';
import { packStateEntry, stateBucketOf, unpackStateEntry } from '../../../server/src/ledger/states-index';
import { LedgerStore } from '../../../server/src/ledger/store';
import { adminAction, cutOffAfter, enabledThenUndoCutOff, holdFirstUpdate, memoryStore, person, requestBy, tickingClock } from './fixtures';

/** The agent's packed entry in its bucket, unpacked (null when it has none). */
function indexed(store: MemoryKeyValueStore, agentId: number): (ApiKeyStateEntry & { version: number }) | null {
  const bucket = store.snapshot()[ledgerKeys.stateBucket(stateBucketOf(agentId))];
  const packed = bucket === undefined ? undefined : stateBucketSchema.parse(bucket).states[agentAttribute(agentId)];
  return packed === undefined ? null : unpackStateEntry(agentAttribute(agentId), packed);
}

function headVersion(store: MemoryKeyValueStore, agentId: number): number {
  return (store.snapshot()[ledgerKeys.head(agentId)] as { version: number }).version;
}

/** Every listed state, following the cursor through all pages, with the pages' sizes. */
async function listAll(ledger: ApiKeyLedger): Promise<{ states: ApiKeyStateEntry[]; pages: number[]; bytes: number[] }> {
  const states: ApiKeyStateEntry[] = [];
  const pages: number[] = [];
  const bytes: number[] = [];
  let bucket: number | null = 0;
  while (bucket !== null) {
    const answer = await ledger.listStates(bucket);
    states.push(...answer.states);
    pages.push(answer.states.length);
    bytes.push(JSON.stringify(answer).length);
    bucket = answer.cursor === null ? null : Number(answer.cursor.slice(1));
  }
  return { states, pages, bytes };
}

describe('API-key states index', () => {
  it('packs an entry small and reads it back exactly', () => {
    const packed = packStateEntry('enabled', 12, '2026-01-01T00:00:00.123Z');
    assert.match(packed, /^e12\.[0-9a-z]+$/);
    assert.ok(packed.length <= 12, packed);
    assert.deepEqual(unpackStateEntry('a21000049726', packed), { agentId: 21000049726, state: 'enabled', version: 12, updatedAt: '2026-01-01T00:00:00.123Z' });
    assert.equal(unpackStateEntry('a5', packStateEntry('declined', 3, '2026-01-01T00:00:00.000Z')).state, 'declined');
  });

  it('keeps the agent\'s entry right through every transition, undo included, and drops it at none', async () => {
    const store = memoryStore();
    const ledger = new ApiKeyLedger(store, tickingClock());
    const steps: [LedgerChange, string | null][] = [
      [requestBy(7), 'requested'],
      [adminAction('opened', 7), 'requested'],
      [adminAction('declined', 7), 'declined'],
      [adminAction('undo', 7), 'requested'],
      [adminAction('enabled', 7), 'enabled'],
      [adminAction('undo', 7), 'requested'],
      [adminAction('declined', 7), 'declined'],
      [requestBy(7), 'requested'],
      [adminAction('enabled', 9), 'enabled'],
      [adminAction('undo', 9), null],
      [adminAction('opened', 9), null],
    ];
    for (const [change, expected] of steps) {
      const record = await ledger.apply(change);
      const entry = indexed(store, change.target.id);
      const label = `${change.action} on ${change.target.id}`;
      if (expected === null) {
        assert.equal(entry, null, label);
        continue;
      }
      assert.deepEqual(entry, { agentId: change.target.id, state: expected, version: headVersion(store, change.target.id), updatedAt: record.updatedAt }, label);
    }
    const { states } = await listAll(ledger);
    assert.deepEqual(states.map((s) => [s.agentId, s.state]), [[7, 'requested']]);
  });

  it('lists nothing for an empty ledger, in one answer', async () => {
    const { states, pages } = await listAll(new ApiKeyLedger(memoryStore()));
    assert.deepEqual(states, []);
    assert.equal(pages.length, 1);
  });

  it('reads at most STATE_BUCKETS_PER_CALL buckets a call, skipping buckets that do not exist', async () => {
    const store = memoryStore();
    const ledger = new ApiKeyLedger(store, tickingClock());
    const ids = Array.from({ length: STATE_BUCKETS_PER_CALL + 3 }, (_, i) => 2 * i + 1);
    for (const id of ids) {
      await ledger.apply(requestBy(id));
    }
    const first = await ledger.listStates(0);
    assert.deepEqual(first.states.map((s) => s.agentId), ids.slice(0, STATE_BUCKETS_PER_CALL));
    assert.equal(first.cursor, `s${ids[STATE_BUCKETS_PER_CALL] ?? -1}`);
    const { states, pages } = await listAll(ledger);
    assert.deepEqual(states.map((s) => s.agentId), ids);
    assert.deepEqual(pages, [STATE_BUCKETS_PER_CALL, 3]);
  });

  it('pages a large index into answers far under 100 KB that together list every agent once', async () => {
    // 12,000 agents with 11-digit ids written straight into the buckets (as publishing would).
    const store = memoryStore();
    const raw = new LedgerStore(store);
    const ids = Array.from({ length: 12_000 }, (_, i) => 21_000_049_726 + i * 7);
    const buckets = new Map<number, Record<string, string>>();
    for (const id of ids) {
      const bucket = buckets.get(stateBucketOf(id)) ?? {};
      bucket[agentAttribute(id)] = packStateEntry(id % 3 === 0 ? 'requested' : 'enabled', 40, '2026-05-01T10:00:00.000Z');
      buckets.set(stateBucketOf(id), bucket);
    }
    for (const [bucket, states] of buckets) {
      await raw.write(ledgerKeys.stateBucket(bucket), { states });
    }
    await raw.write(ledgerKeys.stateBuckets, Object.fromEntries([...buckets.keys()].map((bucket) => [`b${bucket}`, true])));
    const biggestBucket = Math.max(...[...buckets.values()].map((states) => JSON.stringify({ states }).length));
    assert.ok(biggestBucket < 15_000, `a bucket of ${ids.length / STATE_BUCKETS} entries takes ${biggestBucket} bytes`);

    const { states, pages, bytes } = await listAll(new ApiKeyLedger(store));
    assert.deepEqual(states.map((s) => s.agentId).sort((a, b) => a - b), ids);
    assert.ok(Math.max(...bytes) < 50_000, `largest answer ${Math.max(...bytes)} bytes`);
    assert.ok(Math.max(...pages) <= STATES_PER_ANSWER, `at most ${STATES_PER_ANSWER} states an answer here: ${pages.join(', ')}`);
  });

  function bucketBytes(agents: number, firstId: number): number {
    const states: Record<string, string> = {};
    for (let i = 0; i < Math.ceil(agents / STATE_BUCKETS); i += 1) {
      states[agentAttribute(firstId - i * STATE_BUCKETS)] = packStateEntry('requested', 999, '2059-12-31T23:59:59.999Z');
    }
    return JSON.stringify({ states }).length + ledgerKeys.stateBucket(STATE_BUCKETS - 1).length;
  }

  it('a bucket stays far below 40 KB for 20,000 agents with a state, and under it for 40,000 (11-digit ids) or 25,000 (16-digit ids)', () => {
    const elevenDigits = 99_999_999_999;
    const sixteenDigits = 9_007_199_254_740_000;
    assert.ok(bucketBytes(20_000, elevenDigits) < 20 * 1024, `${bucketBytes(20_000, elevenDigits)} bytes`);
    assert.ok(bucketBytes(40_000, elevenDigits) < 40 * 1024, `${bucketBytes(40_000, elevenDigits)} bytes`);
    assert.ok(bucketBytes(25_000, sixteenDigits) < 30 * 1024, `${bucketBytes(25_000, sixteenDigits)} bytes`);
  });

  it('two changes creating the same missing bucket at once both land (setIf not_exist, then update)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const store = memoryStore({ interleave: { seed, maxTurns: 4 } });
      const ledger = new ApiKeyLedger(store, tickingClock());
      const ids = [5, 5 + STATE_BUCKETS, 5 + 2 * STATE_BUCKETS, 5 + 3 * STATE_BUCKETS];
      await Promise.all(ids.map((id) => ledger.apply(requestBy(id))));
      assert.deepEqual(ids.map((id) => indexed(store, id)?.state), ['requested', 'requested', 'requested', 'requested'], `seed ${seed}`);
      const creations = store.operations.filter((o) => o.operation === 'set' && o.key === ledgerKeys.stateBucket(5));
      assert.ok(creations.length >= 1, `seed ${seed}`);
    }
  });

  it('a change cut off before its states entry is written is indexed by the next reader', async () => {
    const store = memoryStore();
    const clock = tickingClock();
    await new ApiKeyLedger(store, clock).apply(requestBy(7));
    // head, summary, claim, pending summary removal, pending page removal: cut off before the states bucket.
    await new ApiKeyLedger(cutOffAfter(store, 5), clock).apply(adminAction('enabled', 7)).catch(() => undefined);
    assert.equal(indexed(store, 7)?.state, 'requested', 'the cut-off call never reached the states index');
    const ledger = new ApiKeyLedger(store, clock);
    assert.equal((await ledger.state(person(7))).state, 'enabled');
    assert.deepEqual(indexed(store, 7), { ...indexed(store, 7), state: 'enabled', version: 2 });
  });

  it('a stale entry written late by a slow reader is repaired: the newest version wins', async () => {
    const store = memoryStore();
    const clock = tickingClock();
    const ledger = await enabledThenUndoCutOff(store, clock);

    // The healing reader's states write (version 3, "requested") is held until version 4 is fully published.
    const bucketKey = ledgerKeys.stateBucket(stateBucketOf(7));
    const slowReader = holdFirstUpdate(store, (key) => key === bucketKey);
    const reading = new ApiKeyLedger(slowReader.store, clock).state(person(7));
    await slowReader.reached;
    const enabledAgain = await ledger.apply(adminAction('enabled', 7));
    assert.equal(indexed(store, 7)?.version, 4);
    slowReader.release();
    await reading;

    assert.equal(enabledAgain.state, 'enabled');
    assert.deepEqual(indexed(store, 7), { agentId: 7, state: 'enabled', version: 4, updatedAt: enabledAgain.updatedAt });
  });
});
