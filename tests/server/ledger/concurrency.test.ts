import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { ApiKeyRecord } from '#common/ledger';
import { everyKvReading, type KvReadings, type MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { AppError } from '#server/errors';
import type { LedgerChange } from '#server/ledger/api-key-ledger';
import { eventName, ledgerEventSchema, type LedgerEvent, type StoredAction } from '#server/ledger/schemas';
import { currentOf, decide } from '#server/ledger/transitions';
import type { KeyValueStore } from '#server/platform';
import { SealedStore } from '#server/store/sealed-store';
import { TEST_SECRET, headOf } from '../fakes/storage';
import { cutOffAfter, ledgerOn, memoryStore, person, readingName, tickingClock } from './fixtures';

const ADMINS = [100, 101, 102];
const AGENTS = Array.from({ length: 12 }, (_, i) => i + 1);
const ADMIN_ACTIONS: StoredAction[] = ['opened', 'enabled', 'declined', 'undo'];
/** An Account Admin who never acts in the run: their "opened" is always a change, so it touches an agent. */
const TOUCHER = { id: 999, name: 'Touching Admin' };

/** A small seeded generator so the runs are the same every time. */
function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    // The low bits of this generator repeat with a short period: use the high ones.
    return Math.floor(state / 65536) % n;
  };
}

function pick<T>(items: readonly T[], random: (n: number) => number): T {
  return items[random(items.length)] as T;
}

/** Operation i: an agent asks for a key (1 in 3) or an Account Admin acts on one. Each note names its operation. */
function operations(count: number, random: (n: number) => number): LedgerChange[] {
  return Array.from({ length: count }, (_, i) => {
    const target = person(pick(AGENTS, random));
    if (random(3) === 0) {
      return { action: 'requested', actor: target, target, note: `op-${i}` };
    }
    return { action: pick(ADMIN_ACTIONS, random), actor: person(pick(ADMINS, random)), target, note: `op-${i}` };
  });
}

/** Every event of one agent, read the way the server reads them (verified), version 1 upwards. */
async function chainOf(store: KeyValueStore, agentId: number): Promise<LedgerEvent[]> {
  const sealed = new SealedStore(store, TEST_SECRET);
  const chain: LedgerEvent[] = [];
  for (let version = 1; ; version += 1) {
    const opened = await sealed.getWhole(sealed.keyOf(eventName(agentId, version)), ledgerEventSchema);
    if (opened === null) {
      return chain;
    }
    assert.equal(opened.kind, 'ok', `event ${version} of agent ${agentId} verifies`);
    chain.push((opened as { value: LedgerEvent }).value);
  }
}

interface Run {
  store: MemoryKeyValueStore;
  changes: LedgerChange[];
  results: PromiseSettledResult<ApiKeyRecord>[];
  cutOff: boolean[];
}

/**
 * `count` changes and 36 reads, all at once, on a store that interleaves every operation; about
 * one change in five is cut off (fails every store operation after a random 1 to 5 of them), as
 * FDK's 20 s limit or a refused operation would cut a server method off.
 */
async function runInterleaved(seed: number, count: number, readings: KvReadings): Promise<Run> {
  const store = memoryStore({ interleave: { seed, maxTurns: 4 }, readings });
  const random = seeded(seed);
  const clock = tickingClock();
  const changes = operations(count, random);
  const cutOff = changes.map(() => random(5) === 0);
  const calls = changes.map((change, i) => ledgerOn(cutOff[i] ? cutOffAfter(store, 1 + random(5)) : store, clock).apply(change));
  const reads = AGENTS.flatMap((id) => [1, 2, 3].map(() => ledgerOn(store, clock).record(person(id))));
  const [results] = await Promise.all([Promise.allSettled(calls), Promise.all(reads)]);
  return { store, changes, results, cutOff };
}

function noteIndex(event: LedgerEvent): number {
  return Number((event.change.note ?? '').slice(3));
}

describe('ledger under interleaved concurrent calls with random cut-offs', () => {
  beforeEach(() => stub(console, 'warn'));
  afterEach(() => restore());

  for (const readings of everyKvReading()) {
    it(`200 changes and 36 reads lose no completed change, and every index agrees with the records after one touch (${readingName(readings)})`, async () => {
      const { store, changes, results, cutOff } = await runInterleaved(20260101, 200, readings);

      results.forEach((result, i) => {
        if (result.status === 'rejected') {
          const expected = cutOff[i] ? ['STORE_UNAVAILABLE', 'OUT_OF_ORDER'] : ['OUT_OF_ORDER'];
          assert.ok(result.reason instanceof AppError && expected.includes(result.reason.code), `op-${i}: unexpected failure ${String(result.reason)}`);
        }
      });

      const chains = new Map<number, LedgerEvent[]>();
      const eventByOp = new Map<number, LedgerEvent>();
      for (const agentId of AGENTS) {
        const chain = await chainOf(store, agentId);
        chains.set(agentId, chain);
        let previous = null as LedgerEvent | null;
        for (const event of chain) {
          const op = noteIndex(event);
          assert.ok(!eventByOp.has(op), `op-${op} made two events`);
          eventByOp.set(op, event);
          // Each event is exactly what its change makes of the event before it: nothing was decided on a stale record.
          const change = changes[op] as LedgerChange;
          const decision = decide(currentOf(previous, change.target, previous?.version ?? 0), { ...change, at: event.change.at });
          assert.equal(decision.kind, 'changed', `op-${op} on agent ${agentId}`);
          assert.deepEqual(decision.kind === 'changed' && { ...decision.record, version: event.version }, event.record, `op-${op}`);
          assert.equal(event.change.from, previous?.record.state ?? 'none');
          previous = event;
        }
      }

      // Every call told "done" is in its agent's chain with exactly the record it answered; a call
      // that was not cut off and made no event was a repeat.
      changes.forEach((change, i) => {
        const result = results[i] as PromiseSettledResult<ApiKeyRecord>;
        const made = eventByOp.get(i);
        if (result.status === 'fulfilled' && made !== undefined) {
          assert.deepEqual(result.value, made.record, `op-${i}`);
        }
        if (result.status === 'fulfilled' && made === undefined) {
          assert.ok(change.action === 'opened' || change.action === 'undo' || change.action === 'requested' || result.value.state === change.action, `op-${i} was a repeat`);
        }
        if (made !== undefined && !cutOff[i]) {
          assert.equal(result.status, 'fulfilled', `op-${i} made a change without being cut off, so it was told so`);
        }
      });
      const made = [...eventByOp.keys()];
      assert.ok(made.length >= 30, `enough changes were made to mean something (${made.length})`);
      assert.ok(made.some((op) => cutOff[op] && results[op]?.status === 'rejected'), 'some cut-off change was kept (adopted later)');

      // Before any further touch: each index entry points at a real version and says what it says.
      let head = await headOf(store);
      for (const agentId of AGENTS) {
        const entry = head.entries.get(agentId);
        const chain = chains.get(agentId) ?? [];
        if (entry !== undefined) {
          assert.equal(entry.state, chain[entry.version - 1]?.record.state, `agent ${agentId}'s entry matches its version ${entry.version}`);
        }
      }

      // One touch per agent converges every index entry on the newest version.
      for (const agentId of AGENTS) {
        await ledgerOn(store).apply({ action: 'opened', actor: TOUCHER, target: person(agentId), note: null });
      }
      head = await headOf(store);
      for (const agentId of AGENTS) {
        const chain = await chainOf(store, agentId);
        const newest = chain.at(-1);
        assert.equal(head.entries.get(agentId)?.version, newest?.version, `agent ${agentId}`);
        assert.equal(head.entries.get(agentId)?.state, newest?.record.state, `agent ${agentId}`);
        assert.deepEqual(await ledgerOn(store).record(person(agentId)), newest?.record);
      }
      const pending = (await ledgerOn(store).listIndex(null)).entries.filter((entry) => entry.state === 'requested').map((entry) => entry.agentId);
      const expected = [];
      for (const agentId of AGENTS) {
        if ((await chainOf(store, agentId)).at(-1)?.record.state === 'requested') {
          expected.push(agentId);
        }
      }
      assert.deepEqual(pending.sort((a, b) => a - b), expected, 'the queue lists exactly the agents whose newest state is requested');
    });
  }

  it('two Account Admins enabling and declining the same request at once: exactly one decision wins', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const store = memoryStore({ interleave: { seed, maxTurns: 3 } });
      await ledgerOn(store).apply({ action: 'requested', actor: person(1), target: person(1), note: 'why' });
      const results = await Promise.allSettled([
        ledgerOn(store).apply({ action: 'enabled', actor: person(100), target: person(1), note: null }),
        ledgerOn(store).apply({ action: 'declined', actor: person(101), target: person(1), note: null }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `seed ${seed}`);
      assert.equal((await chainOf(store, 1)).length, 2, `seed ${seed}`);
      assert.equal((await headOf(store)).entries.get(1)?.version, 2, `seed ${seed}`);
    }
  });

  it('many agents requesting at once all land in the queue', async () => {
    const store = memoryStore({ interleave: { seed: 99, maxTurns: 4 } });
    const ids = Array.from({ length: 25 }, (_, i) => 1000 + i);
    await Promise.all(ids.map((id) => ledgerOn(store).apply({ action: 'requested', actor: person(id), target: person(id), note: 'please' })));
    const queued = (await ledgerOn(store).listIndex(null)).entries.filter((entry) => entry.state === 'requested').map((entry) => entry.agentId);
    assert.deepEqual(queued.sort((a, b) => a - b), ids);
  });
});

describe('a change overtaken while its index write waits', () => {
  beforeEach(() => stub(console, 'warn'));
  afterEach(() => restore());

  for (const readings of everyKvReading()) {
    it(`a request whose index write lands after an Account Admin's enable (then is cut off) converges on the next touch (${readingName(readings)})`, async () => {
      const store = memoryStore({ readings });
      let releaseHeld: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (releaseHeld = resolve));
      let reachedHold: () => void = () => undefined;
      const reached = new Promise<void>((resolve) => (reachedHold = resolve));
      // The requester's call: its index write waits until the enable has been published, then the call stops.
      const slow: KeyValueStore = {
        get: (key) => store.get(key),
        set: (key, value, options) => store.set(key, value, options),
        delete: (key) => store.delete(key),
        update: (key, action, attributes) => {
          reachedHold();
          return held.then(() => store.update(key, action, attributes));
        },
      };
      const request = ledgerOn(slow).apply({ action: 'requested', actor: person(7), target: person(7), note: 'overtaken' });
      await reached;
      const enabled = await ledgerOn(store).apply({ action: 'enabled', actor: person(100), target: person(7), note: null });
      assert.equal(enabled.version, 2);
      releaseHeld();
      await request;
      // The late write left the index one version behind the chain; the next action on the agent puts it right,
      // even one that changes nothing (the same admin enabling again is a repeat).
      const repeated = await ledgerOn(store).apply({ action: 'enabled', actor: person(100), target: person(7), note: null });
      assert.equal(repeated.version, 2);
      const entry = (await headOf(store)).entries.get(7);
      assert.deepEqual([entry?.version, entry?.state], [2, 'enabled']);
      assert.equal((await ledgerOn(store).record(person(7))).state, 'enabled');
    });
  }
});
