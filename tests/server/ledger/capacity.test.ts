import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { MAX_SHARDS, SHARD_ENTRIES } from '../../../server/src/ledger/ledger-index';
import { HEAD_INDEX_ENTRIES } from '../../../server/src/store/head';
import { entryAttribute, packEntry, type IndexEntry } from '../../../server/src/store/index-entry';
import { SealedStore } from '../../../server/src/store/sealed-store';
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

  it('lists every one of them when full, and refuses one more agent with a 507 that says the storage is full', async function () {
    this.timeout(120_000);
    const store = memoryStore();
    const sealed = new SealedStore(store, TEST_SECRET);
    await sealed.setAttributes(keyOf('head'), { ...entries(1_000_000, HEAD_INDEX_ENTRIES), overflow: { lastShard: MAX_SHARDS - 1 } });
    for (let shard = 0; shard < MAX_SHARDS; shard += 1) {
      await sealed.setAttributes(keyOf(`x:${shard}`), { ...entries(2_000_000 + shard * SHARD_ENTRIES, SHARD_ENTRIES), ...(shard + 1 < MAX_SHARDS ? { next: {} } : {}) });
    }
    let listed = 0;
    for (let cursor: number | null = null, page = 0; page === 0 || cursor !== null; page += 1) {
      const answer = await ledgerOn(store).listIndex(cursor);
      listed += answer.entries.length;
      cursor = answer.cursor === null ? null : Number(answer.cursor.slice(1));
    }
    assert.equal(listed, CAPACITY);
    const refused = await rejection(ledgerOn(store).apply(requestBy(3_000_000)));
    assert.deepEqual([refused.status, refused.code], [507, 'STORE_UNAVAILABLE']);
    assert.match(refused.message, /no room left for another agent's API-key record: it holds 58980 agents/);
  });
});
