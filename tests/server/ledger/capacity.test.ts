import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { MAX_SHARDS, SHARD_ENTRIES } from '#server/ledger/ledger-index';
import { HEAD_INDEX_ENTRIES } from '#server/store/head';
import { entryAttribute, packEntry, type IndexEntry } from '#server/store/index-entry';
import { SealedStore } from '#server/store/sealed-store';
import { rejection } from '../audit/refusals';
import { TEST_SECRET, keyOf } from '../fakes/storage';
import { ledgerOn, memoryStore, requestBy } from './fixtures';

const CAPACITY = HEAD_INDEX_ENTRIES + MAX_SHARDS * SHARD_ENTRIES;

function entry(index: number): IndexEntry {
  return { version: 1, state: 'requested', updatedAt: 1, since: 1, lastAction: 'requested', lastActorId: 1, name: `${'\\'.repeat(80)}${index}` };
}

/** `count` entries written the way the ledger writes them, for agents `first`, `first + 1`, ... */
function entries(first: number, count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [entryAttribute(first + index), packEntry(first + index, entry(index))]));
}

describe(`the ledger's capacity: ${CAPACITY.toLocaleString('en')} agents with records, whatever their names`, () => {
  beforeEach(() => stub(console, 'warn'));
  afterEach(() => restore());

  it('with the head and the last shard full, refuses one more agent with a 507 that says the storage is full (npm run bench:storage fills and lists every place)', async () => {
    const store = memoryStore();
    const sealed = new SealedStore(store, TEST_SECRET);
    await sealed.setAttributes(keyOf('head'), { ...entries(1_000_000, HEAD_INDEX_ENTRIES), overflow: { lastShard: MAX_SHARDS - 1 } });
    await sealed.setAttributes(keyOf(`x:${MAX_SHARDS - 1}`), entries(2_000_000, SHARD_ENTRIES));
    const refused = await rejection(ledgerOn(store).apply(requestBy(3_000_000)));
    assert.deepEqual([refused.status, refused.code], [507, 'STORE_UNAVAILABLE']);
    assert.match(refused.message, /no room left for another agent's API-key record: it holds 58980 agents/);
    assert.equal((await ledgerOn(store).listIndex(MAX_SHARDS - 1)).entries.length, SHARD_ENTRIES);
  });

  it('a new agent goes to the next shard when the newest one is full, and the full one says another follows', async () => {
    const store = memoryStore();
    const sealed = new SealedStore(store, TEST_SECRET);
    await sealed.setAttributes(keyOf('head'), { ...entries(1_000_000, HEAD_INDEX_ENTRIES), overflow: { lastShard: 7 } });
    await sealed.setAttributes(keyOf('x:7'), entries(2_000_000, SHARD_ENTRIES));
    await ledgerOn(store).apply(requestBy(3_000_000));
    const full = await ledgerOn(store).listIndex(7);
    assert.equal(full.cursor, 'x8');
    assert.deepEqual((await ledgerOn(store).listIndex(8)).entries.map((listed) => listed.agentId), [3_000_000]);
    assert.equal((await ledgerOn(store).record({ id: 3_000_000, name: '' })).state, 'requested');
  });
});
