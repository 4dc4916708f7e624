import { strict as assert } from 'node:assert';
import type { ApiKeyRecord } from '../../../common/ledger';
import type { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { AppError } from '../../../server/src/errors';
import { ApiKeyLedger, type LedgerChange } from '../../../server/src/ledger/api-key-ledger';
import { agentAttribute, ledgerKeys } from '../../../server/src/ledger/limits';
import { agentVersionSchema, stateBucketSchema, trailPageSchema, type AgentVersion, type StoredAction } from '../../../server/src/ledger/schemas';
import { unpackStateEntry } from '../../../server/src/ledger/states-index';
import { decide } from '../../../server/src/ledger/transitions';
import { memoryStore, person, tickingClock } from './fixtures';

const ADMINS = [100, 101, 102];
const AGENTS = Array.from({ length: 12 }, (_, i) => i + 1);
const ADMIN_ACTIONS: StoredAction[] = ['opened', 'enabled', 'declined', 'undo'];

/** A small seeded generator so the 200 operations are the same on every run. */
function seeded(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    // The low bits of this generator repeat with a short period (they picked only 3 of the 12 agents): use the high ones.
    return Math.floor(state / 65536) % n;
  };
}

function pick<T>(items: readonly T[], random: (n: number) => number): T {
  return items[random(items.length)] as T;
}

/** Operation i: an agent asks for a key (1 in 3) or an Account Admin acts on one. Each note names its operation. */
function operations(count: number, seed: number): LedgerChange[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const target = person(pick(AGENTS, random));
    if (random(3) === 0) {
      return { action: 'requested', actor: target, target, note: `op-${i}` };
    }
    return { action: pick(ADMIN_ACTIONS, random), actor: person(pick(ADMINS, random)), target, note: `op-${i}` };
  });
}

function chainOf(store: MemoryKeyValueStore, agentId: number): AgentVersion[] {
  const values = store.snapshot();
  const chain: AgentVersion[] = [];
  for (let version = 1; values[ledgerKeys.version(agentId, version)] !== undefined; version += 1) {
    chain.push(agentVersionSchema.parse(values[ledgerKeys.version(agentId, version)]));
  }
  return chain;
}

function trailNotes(store: MemoryKeyValueStore): string[] {
  return Object.entries(store.snapshot())
    .filter(([key]) => key.startsWith('akey:t:'))
    .flatMap(([, value]) => Object.values(trailPageSchema.parse(value).entries).map((entry) => entry.note ?? ''));
}

/** Agent ids of every pending request, following the cursor through all pages. */
async function listAll(ledger: ApiKeyLedger): Promise<number[]> {
  const seen: number[] = [];
  let cursor: number | null = null;
  do {
    const page = await ledger.listPending(cursor);
    seen.push(...page.requests.map((r) => r.agent.id));
    cursor = page.cursor === null ? null : Number(page.cursor.slice(1));
  } while (cursor !== null);
  return seen;
}

/** Every entry of the states index as stored: agent, state and the version it came from. */
function indexedStates(store: MemoryKeyValueStore): [number, string, number][] {
  return Object.entries(store.snapshot())
    .filter(([key]) => key.startsWith('akey:s:') && key !== ledgerKeys.stateBuckets)
    .flatMap(([, value]) => Object.entries(stateBucketSchema.parse(value).states).map(([attribute, packed]) => unpackStateEntry(attribute, packed)))
    .map((entry): [number, string, number] => [entry.agentId, entry.state, entry.version])
    .sort((a, b) => a[0] - b[0]);
}

/** Agent ids and states listApiKeyStates answers, following the cursor through all pages. */
async function listAllStates(ledger: ApiKeyLedger): Promise<[number, string, string][]> {
  const seen: [number, string, string][] = [];
  let bucket: number | null = 0;
  while (bucket !== null) {
    const page = await ledger.listStates(bucket);
    seen.push(...page.states.map((s): [number, string, string] => [s.agentId, s.state, s.updatedAt]));
    bucket = page.cursor === null ? null : Number(page.cursor.slice(1));
  }
  return seen.sort((a, b) => a[0] - b[0]);
}

async function runInterleaved(seed: number, count: number): Promise<{ store: MemoryKeyValueStore; changes: LedgerChange[]; results: PromiseSettledResult<ApiKeyRecord>[] }> {
  const store = memoryStore({ interleave: { seed, maxTurns: 4 } });
  const ledger = new ApiKeyLedger(store, tickingClock());
  const changes = operations(count, seed);
  // Readers run among the writers: a reader that finds a head behind the newest version publishes it again.
  const reads = AGENTS.flatMap((id) => [ledger.state(person(id)), ledger.state(person(id)), ledger.state(person(id))]);
  const [results] = await Promise.all([Promise.allSettled(changes.map((change) => ledger.apply(change))), Promise.all(reads)]);
  return { store, changes, results };
}

describe('ledger under interleaved concurrent calls', () => {
  it('200 interleaved changes (with 36 reads among them) lose nothing: every change is in its agent chain, the trail, the head, the pending index and the states index', async () => {
    const { store, changes, results } = await runInterleaved(20260101, 200);

    // A call may be refused (OUT_OF_ORDER) or, under contention no real installation reaches, told
    // to try again (STORE_UNAVAILABLE); either way it must have made no change (checked below).
    for (const result of results) {
      if (result.status === 'rejected') {
        assert.ok(result.reason instanceof AppError && ['OUT_OF_ORDER', 'STORE_UNAVAILABLE'].includes(result.reason.code), `unexpected failure: ${String(result.reason)}`);
      }
    }

    const chains = new Map(AGENTS.map((id) => [id, chainOf(store, id)]));
    const versionByNote = new Map<string, AgentVersion>();
    for (const [agentId, chain] of chains) {
      let previous = null as AgentVersion | null;
      for (const version of chain) {
        const note = version.change.note ?? '';
        assert.ok(!versionByNote.has(note), `${note} produced two versions`);
        versionByNote.set(note, version);
        // Each version is exactly what its change makes of the version before it: no change was decided on a stale state.
        const change = changes[Number(note.slice(3))] as LedgerChange;
        const decision = decide(previous, { ...change, at: version.change.at });
        assert.equal(decision.kind, 'changed', `${note} on agent ${agentId}`);
        assert.deepEqual(decision.kind === 'changed' && decision.record, version.record);
        assert.equal(version.change.from, previous?.record.state ?? 'none');
        previous = version;
      }
      const head = store.snapshot()[ledgerKeys.head(agentId)];
      assert.deepEqual(head === undefined ? null : agentVersionSchema.parse(head), previous, `head of agent ${agentId} is the newest version`);
    }

    changes.forEach((change, i) => {
      const result = results[i] as PromiseSettledResult<ApiKeyRecord>;
      const made = versionByNote.get(`op-${i}`);
      if (made !== undefined) {
        assert.equal(result.status, 'fulfilled', `op-${i} made a change, so it must have been told so`);
        assert.deepEqual(result.status === 'fulfilled' && result.value, made.record);
      }
      if (result.status === 'fulfilled' && made === undefined) {
        assert.ok(change.action === 'opened' || change.action === 'undo' || result.value.state === change.action, `op-${i} was a repeat`);
      }
    });

    const notes = trailNotes(store).sort();
    assert.deepEqual(notes, [...versionByNote.keys()].sort(), 'the trail holds each change exactly once');
    assert.ok(notes.length > 40, `enough changes were made to mean something (${notes.length})`);
    assert.ok(AGENTS.every((id) => (chains.get(id)?.length ?? 0) > 0), 'every agent was changed');

    const pendingMap = (store.snapshot()[ledgerKeys.summary]?.['pending'] ?? {}) as Record<string, number>;
    const expectedPending = AGENTS.filter((id) => chains.get(id)?.at(-1)?.record.state === 'requested').map(agentAttribute);
    assert.deepEqual(Object.keys(pendingMap).sort(), expectedPending.sort(), 'the pending index matches the agents whose latest state is requested');
    assert.deepEqual((await listAll(new ApiKeyLedger(store))).map(agentAttribute).sort(), expectedPending.sort());

    const newest = AGENTS.map((id) => chains.get(id)?.at(-1)).filter((version): version is AgentVersion => version !== undefined && version.record.state !== 'none');
    assert.deepEqual(
      indexedStates(store),
      newest.map((version) => [version.record.agent.id, version.record.state, version.version]),
      'the states index holds exactly every agent\'s newest state and version',
    );
    assert.deepEqual(
      await listAllStates(new ApiKeyLedger(store)),
      newest.map((version) => [version.record.agent.id, version.record.state, version.change.at]),
    );
    assert.ok(new Set(newest.map((version) => version.record.state)).size >= 2, 'the run ends with agents in different states');
  });

  it('two Account Admins enabling and declining the same request at once: exactly one decision wins', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const store = memoryStore({ interleave: { seed, maxTurns: 3 } });
      const ledger = new ApiKeyLedger(store, tickingClock());
      await ledger.apply({ action: 'requested', actor: person(1), target: person(1), note: 'why' });
      const results = await Promise.allSettled([
        ledger.apply({ action: 'enabled', actor: person(100), target: person(1), note: null }),
        ledger.apply({ action: 'declined', actor: person(101), target: person(1), note: null }),
      ]);
      const fulfilled = results.filter((r) => r.status === 'fulfilled');
      assert.equal(fulfilled.length, 1, `seed ${seed}`);
      assert.equal(chainOf(store, 1).length, 2, `seed ${seed}`);
      assert.deepEqual((await ledger.listPending(null)).requests, []);
    }
  });

  it('many agents requesting at once all land in the pending index', async () => {
    const store = memoryStore({ interleave: { seed: 99, maxTurns: 4 } });
    const ledger = new ApiKeyLedger(store, tickingClock());
    const ids = Array.from({ length: 25 }, (_, i) => 1000 + i);
    await Promise.all(ids.map((id) => ledger.apply({ action: 'requested', actor: person(id), target: person(id), note: 'please' })));
    assert.deepEqual((await listAll(ledger)).sort((a, b) => a - b), ids);
  });
});
