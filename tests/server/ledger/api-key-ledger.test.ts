import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { HISTORY_PAGE_SIZE, MAX_DECISIONS } from '#server/ledger/api-key-ledger';
import { SHARD_ENTRIES } from '#server/ledger/ledger-index';
import { HEAD_INDEX_ENTRIES } from '#server/store/head';
import { eventName } from '#server/ledger/schemas';
import { headOf, keyOf } from '../fakes/storage';
import { rejection } from '../audit/refusals';
import { ADMIN, OTHER_ADMIN, adminAction, cutOffAfter, ledgerOn, memoryStore, person, requestBy, tickingClock } from './fixtures';

describe('ApiKeyLedger', () => {
  afterEach(() => restore());

  it('walks a request through opened, enabled and undo, recording who and when', async () => {
    const store = memoryStore();
    const clock = tickingClock();
    const requested = await ledgerOn(store, clock).apply(requestBy(7, 'Azure AD provisioning'));
    assert.equal(requested.state, 'requested');
    assert.equal(requested.reason, 'Azure AD provisioning');
    assert.deepEqual(requested.requestedBy, person(7));
    assert.equal(requested.version, 1);

    const opened = await ledgerOn(store, clock).apply(adminAction('opened', 7));
    assert.equal(opened.state, 'requested');
    assert.deepEqual(opened.openedBy, ADMIN);

    const enabled = await ledgerOn(store, clock).apply(adminAction('enabled', 7, ADMIN, 'switched on in Permissions'));
    assert.equal(enabled.state, 'enabled');
    assert.deepEqual(enabled.decidedBy, ADMIN);
    assert.equal(enabled.decisionNote, 'switched on in Permissions');
    assert.equal(enabled.canUndo, true);
    assert.equal(enabled.version, 3);

    const undone = await ledgerOn(store, clock).apply(adminAction('undo', 7));
    assert.equal(undone.state, 'requested');
    assert.equal(undone.decidedBy, null);
    assert.equal(undone.decisionNote, null);
    assert.equal(undone.reason, 'Azure AD provisioning', 'the request survives its decision and the undo');
    assert.deepEqual(await ledgerOn(store).record(person(7)), undone);
  });

  it('answers a blank record for an agent never recorded, reading only the head', async () => {
    const store = memoryStore();
    const record = await ledgerOn(store).record(person(8));
    assert.equal(record.state, 'none');
    assert.equal(record.version, 0);
    assert.deepEqual(store.operations.map((operation) => operation.operation), ['get']);
  });

  it('treats a repeated action as harmless: same answer, nothing written', async () => {
    const store = memoryStore();
    const first = await ledgerOn(store).apply(requestBy(7));
    const before = store.operations.length;
    const again = await ledgerOn(store).apply(requestBy(7, 'asking again'));
    assert.deepEqual(again, first);
    assert.deepEqual(store.operations.slice(before).map((operation) => operation.operation), ['get', 'get', 'get'], 'the head, the record, and a look for a newer version: no write');
  });

  it('refuses out-of-order actions with the reason, and records nothing', async () => {
    const store = memoryStore();
    const error = await rejection(ledgerOn(store).apply(adminAction('declined', 7)));
    assert.equal(error.code, 'OUT_OF_ORDER');
    assert.equal(error.status, 409);
    assert.match(error.message, /Agent 7 has not requested an API key/);
    assert.equal((await headOf(store)).entries.size, 0);
  });

  it('lets an Account Admin enable a key nobody requested, and undo it back to none (kept in the index as none)', async () => {
    const store = memoryStore();
    await ledgerOn(store).apply(adminAction('enabled', 7));
    const undone = await ledgerOn(store).apply(adminAction('undo', 7));
    assert.equal(undone.state, 'none');
    assert.equal(undone.version, 2);
    const page = await ledgerOn(store).listIndex(null);
    assert.deepEqual(page.entries.map((entry) => [entry.agentId, entry.state, entry.lastAction]), [[7, 'none', 'undo']]);
  });

  describe('the index: the console reads it in one operation', () => {
    it('lists every agent with a record: state, last change, who made it, name, and since when (for a request: when it was made)', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await ledgerOn(store, clock).apply(requestBy(7, 'first'));
      await ledgerOn(store, clock).apply(requestBy(8, 'second\nline'));
      await ledgerOn(store, clock).apply(adminAction('opened', 8));
      await ledgerOn(store, clock).apply(adminAction('enabled', 7));
      const before = store.operations.length;
      const page = await ledgerOn(store).listIndex(null);
      assert.equal(store.operations.length - before, 1);
      assert.equal(page.cursor, null);
      const byAgent = page.entries.sort((a, b) => a.agentId - b.agentId).map((entry) => [entry.agentId, entry.state, entry.lastAction, entry.lastActorId, entry.name, entry.updatedAt, entry.since]);
      assert.deepEqual(byAgent, [
        [7, 'enabled', 'enabled', ADMIN.id, 'Agent 7', '2026-01-01T00:00:04.000Z', '2026-01-01T00:00:04.000Z'],
        [8, 'requested', 'opened', ADMIN.id, 'Agent 8', '2026-01-01T00:00:03.000Z', '2026-01-01T00:00:02.000Z'],
      ]);
    });

    it('holds nothing a person typed: no reason or note reaches the index', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7, 'my secret plan'));
      await ledgerOn(store).apply(adminAction('declined', 7, ADMIN, 'reply with your password'));
      assert.doesNotMatch(JSON.stringify(await ledgerOn(store).listIndex(null)), /secret plan|password/);
    });

    it('puts a declined request that is undone back in the queue, at the time it was first made', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await ledgerOn(store, clock).apply(requestBy(7, 'why'));
      await ledgerOn(store, clock).apply(adminAction('declined', 7, ADMIN, 'use a service account'));
      assert.equal((await ledgerOn(store).listIndex(null)).entries[0]?.state, 'declined');
      await ledgerOn(store, clock).apply(adminAction('undo', 7));
      const entry = (await ledgerOn(store).listIndex(null)).entries[0];
      assert.deepEqual([entry?.state, entry?.since], ['requested', '2026-01-01T00:00:01.000Z']);
    });

    it('keeps a name that does not fit the entry as whole characters with "…", never half an emoji', async () => {
      const store = memoryStore();
      const name = `${'é'.repeat(20)}👩‍💻👩‍💻👩‍💻 ${'x'.repeat(200)}`;
      await ledgerOn(store).apply({ action: 'requested', actor: { id: 7, name }, target: { id: 7, name }, note: 'why' });
      const stored = (await ledgerOn(store).listIndex(null)).entries[0]?.name ?? '';
      assert.ok(stored.endsWith('…') && stored.length < name.length, stored);
      assert.ok(name.startsWith(stored.slice(0, -1)), 'a start of the real name');
      assert.doesNotMatch(stored, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no half surrogate');
      assert.doesNotMatch(stored, /\u200D…$/, 'no emoji cut after its joiner');
    });
  });

  describe('history', () => {
    it('answers one agent\'s changes newest first, a page at a time, with who, what, from, to and the note', async () => {
      const store = memoryStore();
      const clock = tickingClock();
      await ledgerOn(store, clock).apply(requestBy(7));
      for (const admin of [ADMIN, OTHER_ADMIN, ADMIN, OTHER_ADMIN, ADMIN]) {
        await ledgerOn(store, clock).apply(adminAction('opened', 7, admin));
      }
      await ledgerOn(store, clock).apply(adminAction('declined', 7, OTHER_ADMIN, 'not for this role'));
      const first = await ledgerOn(store).history(7, null);
      assert.equal(first.entries.length, HISTORY_PAGE_SIZE);
      assert.deepEqual(first.entries[0], { version: 7, target: person(7), at: '2026-01-01T00:00:07.000Z', actor: OTHER_ADMIN, action: 'declined', note: 'not for this role', from: 'requested', to: 'declined' });
      assert.equal(first.before, 2);
      const second = await ledgerOn(store).history(7, first.before);
      assert.deepEqual(second.entries.map((entry) => entry.version), [2, 1]);
      assert.equal(second.before, null);
      assert.deepEqual(await ledgerOn(store).history(8, null), { entries: [], before: null });
    });
  });

  describe('$db operations', () => {
    async function count(store: ReturnType<typeof memoryStore>, work: () => Promise<unknown>): Promise<string[]> {
      const before = store.operations.length;
      await work().catch(() => undefined);
      return store.operations.slice(before).map((operation) => operation.operation);
    }

    it('an agent\'s first change: 3 (head, create the event, index entry)', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(6));
      assert.deepEqual(await count(store, () => ledgerOn(store).apply(requestBy(7))), ['get', 'set', 'update']);
    });

    it('an Account Admin\'s change: 5 (head, the record, create the event, index entry, recorded under their name), whatever the history', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      for (let round = 0; round < 20; round += 1) {
        const admin = round % 2 === 0 ? ADMIN : OTHER_ADMIN;
        // Each admin's own key is created by their first entry: an update FDK may refuse for a missing key, then a set.
        const firstEntry = round < 2 ? ['set'] : [];
        assert.deepEqual(await count(store, () => ledgerOn(store).apply(adminAction('opened', 7, admin))), ['get', 'get', 'set', 'update', 'update', ...firstEntry], `round ${round}`);
      }
    });

    it('a later request of the agent\'s own key: 4 (nothing recorded under their name: their own page shows it)', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await ledgerOn(store).apply(adminAction('declined', 7));
      assert.deepEqual(await count(store, () => ledgerOn(store).apply(requestBy(7))), ['get', 'get', 'set', 'update']);
    });

    it('a repeat or a refusal: 3; reading a record: 2 (1 when nothing is recorded); the index: 1; a history page: 1 + its entries', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      assert.equal((await count(store, () => ledgerOn(store).apply(requestBy(7)))).length, 3);
      assert.equal((await count(store, () => ledgerOn(store).apply(adminAction('undo', 7)))).length, 3);
      assert.equal((await count(store, () => ledgerOn(store).record(person(7)))).length, 2);
      assert.equal((await count(store, () => ledgerOn(store).record(person(8)))).length, 1);
      assert.equal((await count(store, () => ledgerOn(store).listIndex(null))).length, 1);
      assert.equal((await count(store, () => ledgerOn(store).history(7, null))).length, 2);
    });
  });

  describe('interrupted and concurrent changes', () => {
    it('a change cut off after creating its event is adopted by the next change on that agent', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await rejection(ledgerOn(cutOffAfter(store, 3)).apply(adminAction('opened', 7)));
      assert.equal((await headOf(store)).entries.get(7)?.version, 1, 'created, not indexed');
      assert.equal((await ledgerOn(store).record(person(7))).openedBy, null, 'readers see the indexed version');

      const enabled = await ledgerOn(store).apply(adminAction('enabled', 7, OTHER_ADMIN));
      assert.equal(enabled.version, 3);
      assert.deepEqual(enabled.openedBy, ADMIN, 'the interrupted change is part of the record');
      assert.deepEqual((await ledgerOn(store).history(7, null)).entries.map((entry) => entry.action), ['enabled', 'opened', 'requested']);
    });

    it('retrying the cut-off action answers the adopted record and indexes it', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await rejection(ledgerOn(cutOffAfter(store, 3)).apply(adminAction('enabled', 7)));
      const retried = await ledgerOn(store).apply(adminAction('enabled', 7));
      assert.equal(retried.state, 'enabled');
      assert.equal(retried.version, 2);
      assert.equal((await headOf(store)).entries.get(7)?.state, 'enabled');
    });

    it('a repeat that finds a cut-off change indexes it, reading each version once (head, indexed, newer, past the newest, index write)', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await rejection(ledgerOn(cutOffAfter(store, 3)).apply(adminAction('opened', 7)));
      const before = store.operations.length;
      const repeated = await ledgerOn(store).apply(requestBy(7));
      assert.deepEqual(store.operations.slice(before).map((operation) => operation.operation), ['get', 'get', 'get', 'get', 'update']);
      assert.equal(repeated.version, 2);
      assert.equal((await headOf(store)).entries.get(7)?.version, 2);
    });

    it('finds the newest of many unindexed versions by doubling and halving, not by stepping (64 → about 14 reads)', async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      // Each of 64 calls creates its event and is cut off before indexing it.
      const noIndexWrites = { ...store, get: store.get.bind(store), set: store.set.bind(store), delete: store.delete.bind(store), update: () => Promise.reject({ status: 500, message: 'gone' }) };
      for (let round = 0; round < 64; round += 1) {
        const admin = round % 2 === 0 ? OTHER_ADMIN : ADMIN;
        await rejection(ledgerOn(noIndexWrites).apply(adminAction('opened', 7, admin)));
      }
      const before = store.operations.length;
      const read = await ledgerOn(store).record(person(7));
      assert.equal(store.operations.length - before, 2, 'a read never steps');
      assert.equal(read.version, 1);
      const afterRead = store.operations.length;
      const changed = await ledgerOn(store).apply(adminAction('opened', 7, { id: 102, name: 'Third Admin' }));
      assert.equal(changed.version, 66);
      assert.ok(store.operations.length - afterRead <= 20, `${store.operations.length - afterRead} operations`);
    });

    it(`gives up after ${MAX_DECISIONS} decisions lost to concurrent changes, telling the user to reload`, async () => {
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      const claims = { count: 0 };
      const racing = {
        get: (key: string) => store.get(key),
        update: store.update.bind(store),
        delete: store.delete.bind(store),
        set: async (key: string, value: Record<string, unknown>, options?: { setIf?: 'exist' | 'not_exist' }) => {
          claims.count += 1;
          // Someone else creates the same version first, every time (with another change).
          await store.set(key, { ...value, v: 'another change' });
          return store.set(key, value, options);
        },
      };
      const error = await rejection(ledgerOn(racing).apply(adminAction('opened', 7)));
      assert.equal(error.code, 'OUT_OF_ORDER');
      assert.match(error.message, /being changed by several people/);
      assert.equal(claims.count, MAX_DECISIONS);
    });

    it('maps the store rate limit to STORE_UNAVAILABLE 507 with a retry time', async () => {
      const store = memoryStore({ operationsPerMinute: 1 });
      await store.get('warm-up').catch(() => undefined);
      const error = await rejection(ledgerOn(store).apply(requestBy(7)));
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.equal(error.status, 507);
      assert.equal(error.retryAfterSeconds, 60);
    });
  });

  describe('integrity', () => {
    it('reports a record whose seal does not verify as tampered, and the next change starts a fresh record after it', async () => {
      stub(console, 'warn');
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await ledgerOn(store).apply(adminAction('enabled', 7));
      const key = keyOf(eventName(7, 2));
      const stored = (await store.get(key)) as { v: string };
      await store.set(key, { v: stored.v.replace('"enabled"', '"declined"') });

      const error = await rejection(ledgerOn(store).record(person(7)));
      assert.equal(error.code, 'RECORD_TAMPERED');
      assert.match(error.message, /integrity check/);

      const fresh = await ledgerOn(store).apply(requestBy(7, 'again'));
      assert.equal(fresh.state, 'requested');
      assert.equal(fresh.version, 3);
      assert.equal((await ledgerOn(store).record(person(7))).reason, 'again');
    });

    it('ignores an index entry that fails verification: the next change finds the newest version itself', async () => {
      stub(console, 'warn');
      const store = memoryStore();
      await ledgerOn(store).apply(requestBy(7));
      await ledgerOn(store).apply(adminAction('opened', 7));
      const head = keyOf('head');
      const stored = (await store.get(head)) as Record<string, string>;
      await store.update(head, 'set', { [`i${(7).toString(36)}`]: `${'x'.repeat(22)}${(stored[`i${(7).toString(36)}`] ?? '').slice(22)}` });
      assert.equal((await rejection(ledgerOn(store).record(person(7)))).code, 'RECORD_TAMPERED', 'an unverified entry is reported, not used');
      const enabled = await ledgerOn(store).apply(adminAction('enabled', 7));
      assert.equal(enabled.version, 3);
      assert.deepEqual(enabled.openedBy, ADMIN);
    });
  });

  describe('a ledger larger than the head', () => {
    it(`keeps the first ${HEAD_INDEX_ENTRIES} agents in the head, then fills shard after shard (${SHARD_ENTRIES} each), and finds and lists every agent`, async () => {
      const store = memoryStore();
      const clock = tickingClock();
      const ids = Array.from({ length: HEAD_INDEX_ENTRIES + SHARD_ENTRIES + 2 }, (_unused, index) => 21000000001 + index);
      for (const id of ids) {
        await ledgerOn(store, clock).apply(adminAction('enabled', id));
      }
      const head = await headOf(store);
      assert.equal(head.entries.size, HEAD_INDEX_ENTRIES);
      assert.deepEqual(head.overflow, { lastShard: 1 });

      const last = ids[ids.length - 1] as number;
      const before = store.operations.length;
      assert.equal((await ledgerOn(store).record(person(last))).state, 'enabled');
      assert.equal(store.operations.length - before, 4, 'the head, the agent\'s own key, their shard, their event');
      assert.equal((await ledgerOn(store, clock).apply(adminAction('undo', last))).version, 2);

      const pages = [];
      for (let cursor: string | null | undefined = undefined; cursor !== null; ) {
        const page = await ledgerOn(store).listIndex(cursor === undefined ? null : Number(cursor.slice(1)));
        pages.push(page.entries.length);
        cursor = page.cursor;
      }
      assert.deepEqual(pages, [HEAD_INDEX_ENTRIES, SHARD_ENTRIES, 2]);
      const lastShard = await ledgerOn(store).listIndex(1);
      assert.deepEqual(lastShard.entries.find((entry) => entry.agentId === last)?.state, 'none');
    });
  });
});
