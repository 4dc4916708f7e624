/**
 * Every server method has a small, fixed worst case, whatever its payload: each runs over a
 * metered `$request` and `$db` (server/src/budget.ts) whose cap is that worst case. Here each is
 * driven, through the shipped server.js, with the states and payloads that cost most (a ledger
 * larger than the head, stale roles, changes cut off before they were indexed, forged cursors,
 * history far past the end), and what it spent is checked against its cap.
 */
import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { CALL_BUDGETS, meteredRequests, meteredStore, type BudgetedMethod } from '#server/budget';
import { AppError } from '#server/errors';
import { MAX_SHARDS } from '#server/ledger/ledger-index';
import { HEAD_INDEX_ENTRIES, PEOPLE_ATTRIBUTE, REFRESH_ATTRIBUTE, ROLES_ATTRIBUTE } from '#server/store/head';
import { entryAttribute, packEntry } from '#server/store/index-entry';
import { SealedStore } from '#server/store/sealed-store';
import { MemoryKeyValueStore, everyKvReading, type KvReadings } from '../../../dev/runtime/kv-store';
import { FakeRequest, ok } from '../fakes/request';
import { TEST_SECRET, keyOf } from '../fakes/storage';
import { emailOf } from '../freshservice/fixtures';
import { actor, readingName, target, viewing } from '../ledger/fixtures';
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from './installation';

/** Agents recorded once the head's share of the index is used: kept in a shard. */
const MANY = Array.from({ length: 10 }, (_, i) => 21000080000 + i);
const IN_SHARD = MANY[3] as number;
const LAST = MANY[MANY.length - 1] as number;

interface Spent {
  operations: number;
  templates: number;
}

/** An installation whose head's share of the index is used (by agents recorded long ago), with MANY agents in a shard, and four changes on LAST cut off before they were indexed. */
async function expensiveInstallation(readings: KvReadings): Promise<Installation> {
  const installation = new Installation({ agents: accountAgents(MANY), readings });
  await installation.install();
  const earlier = Object.fromEntries(
    Array.from({ length: HEAD_INDEX_ENTRIES }, (_, i) => [entryAttribute(1 + i), packEntry(1 + i, { version: 1, state: 'enabled', updatedAt: 1, since: 1, lastAction: 'enabled', lastActorId: ANA, name: `Agent ${1 + i}` })]),
  );
  await new SealedStore(installation.store, TEST_SECRET).setAttributes(keyOf('head'), earlier);
  for (const id of MANY) {
    await installation.ok('requestApiKey', { ...actor(id), reason: 'integration' });
  }
  const update = installation.store.update.bind(installation.store);
  installation.store.update = () => Promise.reject({ status: 500, message: 'cut off' });
  for (const admin of [ANA, BJORN, ANA, BJORN]) {
    await installation.call('recordApiKeyAction', { ...actor(admin), ...target(LAST), action: 'opened' });
  }
  installation.store.update = update;
  return installation;
}

for (const readings of everyKvReading()) {
describe(`what one call may spend, whatever its payload (${readingName(readings)})`, () => {
  let shared: Installation | null = null;
  let installation: Installation;

  beforeEach(async () => {
    stub(console, 'warn');
    stub(console, 'info');
    stub(console, 'error');
    installation = shared ??= await expensiveInstallation(readings);
    // The roles cache gone, as an hour without the background refresh leaves it: each call reads and stores them again.
    // No one used the app for a minute and the refresh has stopped: a view writes the people mark and re-creates the refresh.
    await new SealedStore(installation.store, TEST_SECRET).removeAttributes(keyOf('head'), [ROLES_ATTRIBUTE, PEOPLE_ATTRIBUTE, REFRESH_ATTRIBUTE]);
  });
  afterEach(() => restore());

  async function spent(method: BudgetedMethod, payload: Record<string, unknown>): Promise<Spent> {
    const [operations, templates] = [installation.operations, installation.request.calls.length];
    const reply = await installation.call(method, payload);
    assert.notEqual(reply.error?.code, 'INTERNAL', `${method}: ${reply.error?.message ?? ''}`);
    return { operations: installation.operations - operations, templates: installation.request.calls.length - templates };
  }

  const CASES: [BudgetedMethod, string, () => Record<string, unknown>][] = [
    ['getProfileAccess', 'a plain agent on the page of an agent kept in a shard', () => viewing(IN_SHARD, RAHUL)],
    ['getProfileAccess', 'the queue (no email) opening an agent kept in a shard', () => ({ ...viewing(IN_SHARD, ANA), viewedEmail: null })],
    ['requestApiKey', 'an agent in a shard asking again with the longest reason', () => ({ ...actor(IN_SHARD), reason: '語'.repeat(330) })],
    ['recordApiKeyAction', 'an Account Admin deciding after four cut-off changes', () => ({ ...actor(BJORN), ...target(LAST), action: 'enabled', note: '語'.repeat(330) })],
    ['getApiKeyState', 'an agent kept in a shard', () => ({ agentId: IN_SHARD })],
    ['listApiKeyIndex', 'a made-up cursor naming the last shard there can be', () => ({ cursor: `x${MAX_SHARDS - 1}` })],
    ['getApiKeyHistory', 'before: 1,000,000, far past the newest version', () => ({ agentId: LAST, before: 1_000_000 })],
    ['getAccessOverview', 'the first slice', () => ({ cursor: null })],
    ['getUserAccess', 'one agent by email', () => ({ email: emailOf(CHLOE) })],
  ];
  for (const [method, what, payload] of CASES) {
    it(`${method}, ${what}: within its cap`, async () => {
      const cost = await spent(method, payload());
      const cap = CALL_BUDGETS[method];
      assert.ok(cost.operations <= cap.store, `${cost.operations} $db operations, cap ${cap.store}`);
      assert.ok(cost.templates <= cap.templates, `${cost.templates} template requests, cap ${cap.templates}`);
    });
  }

  it('getAccessOverview, the first slice of an installation whose head is gone (never made, or deleted from a browser): within its cap', async () => {
    await installation.store.delete(keyOf('head'));
    const cost = await spent('getAccessOverview', { cursor: null });
    assert.ok(cost.operations <= CALL_BUDGETS.getAccessOverview.store, `${cost.operations} $db operations, cap ${CALL_BUDGETS.getAccessOverview.store}`);
    shared = null;
  });

  it('getApiKeyHistory walks no further for a larger `before`: the same reads for 6 and for 1,000,000', async () => {
    const near = await spent('getApiKeyHistory', { agentId: LAST, before: 6 });
    const far = await spent('getApiKeyHistory', { agentId: LAST, before: 1_000_000 });
    assert.equal(far.operations, near.operations);
  });
});
}

describe('the meter itself', () => {
  beforeEach(() => stub(console, 'error'));
  afterEach(() => restore());

  it('refuses the operation past the cap, before it reaches $db, with an error that says why', async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    const metered = meteredStore(store, 2);
    await metered.set('a', { v: 1 });
    await metered.get('a');
    await assert.rejects(metered.get('a'), (error: unknown) => error instanceof AppError && error.code === 'INTERNAL' && /more than 2 operations/.test(error.message));
    assert.equal(store.operations.length, 2, 'the third never reached the store');
  });

  it('counts template requests the same way', async () => {
    const request = new FakeRequest().respond('listRoles', () => ok({ roles: [] }));
    const metered = meteredRequests(request, 1);
    await metered.invokeTemplate('listRoles', {});
    await assert.rejects(metered.invokeTemplate('listRoles', {}), (error: unknown) => error instanceof AppError && /more than 1 requests to Freshservice/.test(error.message));
    assert.equal(request.calls.length, 1);
  });
});
