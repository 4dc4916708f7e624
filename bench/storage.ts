/**
 * Storage bench, through the shipped server/server.js on the FDK-like store (dev/runtime/kv-store):
 *
 * 1. what each thing a user does costs in FDK's 50 `$db` operations a minute, and how many fit;
 * 2. the worst case of every server method, in `$db` operations and template requests, driven
 *    with the payloads and states that cost most, beside the cap the method runs under
 *    (server/src/budget.ts CALL_BUDGETS);
 * 3. the largest answer of every method at full capacity, against FDK's 100 KB;
 * 4. the capacity in agents with records, filled to the last place and one more.
 *
 *   npx tsc -p tsconfig.json && npx tsc -p tsconfig.server.json && node build/bench/storage.js
 *   (npm run bench:storage builds first)
 */
import { SLICE_BUDGET_BYTES } from '#server/audit/overview';
import { CALL_BUDGETS, type BudgetedMethod } from '#server/budget';
import { RECORDED_SHOWN } from '#server/ledger/api-key-ledger';
import { MAX_SHARDS, SHARD_ENTRIES } from '#server/ledger/ledger-index';
import { CONCURRENT_ENTRIES, HEAD_INDEX_ENTRIES, ROLES_ATTRIBUTE } from '#server/store/head';
import { entryAttribute, packEntry, type IndexEntry } from '#server/store/index-entry';
import { SealedStore } from '#server/store/sealed-store';
import { TEST_SECRET, keyOf } from '../tests/server/fakes/storage';
import { emailOf } from '../tests/server/freshservice/fixtures';
import { actor, target, viewing } from '../tests/server/ledger/fixtures';
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from '../tests/server/methods/installation';

const PER_MINUTE = 50;
const ANSWER_LIMIT = 100 * 1024;
const REQUESTERS = Array.from({ length: HEAD_INDEX_ENTRIES + 20 }, (_, i) => 21000070000 + i);
const LONGEST_TEXT = '語'.repeat(330);

interface Cost {
  what: string;
  operations: number;
  templates: number;
}

async function measure(installation: Installation, what: string, work: () => Promise<unknown>): Promise<Cost> {
  const [operations, templates] = [installation.operations, installation.request.calls.length];
  await work();
  return { what, operations: installation.operations - operations, templates: installation.request.calls.length - templates };
}

/** An installation in use: roles and Account Admins stored, records for more agents than the head holds, requests waiting. */
async function busyInstallation(): Promise<Installation> {
  const installation = new Installation({ agents: accountAgents(REQUESTERS) });
  await installation.install();
  for (const id of REQUESTERS) {
    await installation.ok('requestApiKey', { ...actor(id), reason: `integration ${id}` });
  }
  for (const id of REQUESTERS.slice(0, 20)) {
    await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(id), action: 'enabled' });
  }
  return installation;
}

/** Forgets the cached roles, as an hour without the background refresh does: the next call reads and stores them again. */
async function staleRoles(installation: Installation): Promise<void> {
  const store = new SealedStore(installation.store, TEST_SECRET);
  await store.removeAttributes(keyOf('head'), [ROLES_ATTRIBUTE]);
}

async function everyday(installation: Installation): Promise<Cost[]> {
  const [headAgent, pending] = [REQUESTERS[30] as number, REQUESTERS[40] as number];
  return [
    await measure(installation, 'sidebar view, agent with nothing recorded', () => installation.ok('getProfileAccess', viewing(RAHUL, CHLOE))),
    await measure(installation, 'sidebar view, agent with a record', () => installation.ok('getProfileAccess', viewing(headAgent, CHLOE))),
    await measure(installation, 'sidebar view by an Account Admin (with the waiting count)', () => installation.ok('getProfileAccess', viewing(pending, BJORN))),
    await measure(installation, "an Account Admin's own page (with what was recorded as them)", () => installation.ok('getProfileAccess', viewing(BJORN, BJORN))),
    await measure(installation, 'a request of an agent with a record', () => installation.ok('requestApiKey', { ...actor(REQUESTERS[5] as number), reason: 'again' })),
    await measure(installation, "an Account Admin's change (open the page, mark enabled, decline, undo)", () => installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(pending), action: 'opened' })),
    await measure(installation, 'a repeat or a refused change', () => installation.call('recordApiKeyAction', { ...actor(ANA), ...target(pending), action: 'opened' })),
    await measure(installation, "console's first page of the index: queue, API-key column, activity", () => installation.ok('listApiKeyIndex', {})),
    await measure(installation, "one agent's history page (this agent has 2 changes)", () => installation.ok('getApiKeyHistory', { agentId: REQUESTERS[0] })),
  ];
}

/** Each method driven into its most expensive state and payload. */
async function worstCases(installation: Installation): Promise<[BudgetedMethod, Cost][]> {
  const [inShard, last] = [REQUESTERS[HEAD_INDEX_ENTRIES + 5] as number, REQUESTERS[REQUESTERS.length - 1] as number];
  // An Account Admin with a record of their own, kept in a shard (the head's share is used).
  await installation.ok('requestApiKey', { ...actor(BJORN), reason: 'my own integration' });
  const worst = async (method: BudgetedMethod, what: string, payload: Record<string, unknown>): Promise<[BudgetedMethod, Cost]> => {
    await staleRoles(installation);
    return [method, await measure(installation, what, () => installation.call(method, payload))];
  };
  // Three calls each cut off after creating their change, before indexing it: the next change must find and adopt them.
  const update = installation.store.update.bind(installation.store);
  installation.store.update = () => Promise.reject({ status: 500, message: 'cut off' });
  for (const admin of [ANA, BJORN, ANA]) {
    await installation.call('recordApiKeyAction', { ...actor(admin), ...target(last), action: 'opened' });
  }
  installation.store.update = update;
  return [
    await worst('getProfileAccess', 'a plain agent on a shard agent\'s page, roles stale', viewing(inShard, RAHUL)),
    await worst('getProfileAccess', 'an Account Admin on their own page, their entry in a shard, roles stale', viewing(BJORN, BJORN)),
    await worst('requestApiKey', 'an agent in a shard asking again, roles stale', { ...actor(inShard), reason: LONGEST_TEXT }),
    await worst('recordApiKeyAction', 'after three cut-off changes on a shard agent, roles stale', { ...actor(BJORN), ...target(last), action: 'enabled', note: LONGEST_TEXT }),
    await worst('getApiKeyState', 'an agent in a shard', { agentId: inShard }),
    await worst('listApiKeyIndex', 'a forged cursor naming the last shard', { cursor: `x${MAX_SHARDS - 1}` }),
    await worst('getApiKeyHistory', 'before: 1,000,000 (walks nowhere it should not)', { agentId: last, before: 1_000_000 }),
    await worst('getAccessOverview', 'the first slice', { cursor: null }),
    await worst('getUserAccess', 'an agent by email, roles stale', { email: emailOf(CHLOE) }),
  ];
}

function largestEntry(id: number): IndexEntry {
  return { version: 36 ** 8 - 1, state: 'requested', updatedAt: 36 ** 9, since: 36 ** 9, lastAction: 'requested', lastActorId: Number.MAX_SAFE_INTEGER, name: `${'\\'.repeat(80)}${id}` };
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** The largest answer of each method: every stored thing at the largest the rules allow. */
async function largestAnswers(): Promise<[string, number][]> {
  const installation = new Installation({ agents: accountAgents(REQUESTERS) });
  await installation.install();
  const sealed = new SealedStore(installation.store, TEST_SECRET);
  const head: Record<string, string> = {};
  for (let index = 0; index < HEAD_INDEX_ENTRIES + CONCURRENT_ENTRIES; index += 1) {
    head[entryAttribute(1 + index)] = packEntry(1 + index, largestEntry(index));
  }
  await sealed.setAttributes(keyOf('head'), { ...head, overflow: { lastShard: 0 } });
  const shard: Record<string, string> = {};
  for (let index = 0; index < SHARD_ENTRIES + CONCURRENT_ENTRIES; index += 1) {
    shard[entryAttribute(100_000 + index)] = packEntry(100_000 + index, largestEntry(index));
  }
  await sealed.setAttributes(keyOf('x:0'), shard);
  // One agent's record at its largest: the longest reason, the longest note, a long history, and an admin with many entries recorded as her.
  const subject = REQUESTERS[0] as number;
  for (let round = 0; round < 3; round += 1) {
    await installation.ok('requestApiKey', { ...actor(subject), reason: LONGEST_TEXT });
    await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(subject), action: 'declined', note: LONGEST_TEXT });
  }
  for (const id of REQUESTERS.slice(1, RECORDED_SHOWN + 1)) {
    await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(id), action: 'enabled', note: LONGEST_TEXT });
  }
  return [
    ['listApiKeyIndex, the first page (the head, full)', bytes(await installation.ok('listApiKeyIndex', {}))],
    ['listApiKeyIndex, a full shard', bytes(await installation.ok('listApiKeyIndex', { cursor: 'x0' }))],
    ['getProfileAccess, an Account Admin\'s own page (record, Account Admins, what was recorded as her)', bytes(await installation.ok('getProfileAccess', viewing(ANA, ANA)))],
    ['getProfileAccess, a record with the longest reason and note', bytes(await installation.ok('getProfileAccess', viewing(subject, ANA)))],
    ['getApiKeyState, the same record', bytes(await installation.ok('getApiKeyState', { agentId: subject }))],
    ['getApiKeyHistory, a page of the longest notes', bytes(await installation.ok('getApiKeyHistory', { agentId: subject }))],
    ['getAccessOverview, one slice (bounded by SLICE_BUDGET_BYTES)', SLICE_BUDGET_BYTES],
    ['getUserAccess, one agent', bytes(await installation.ok('getUserAccess', { email: emailOf(CHLOE) }))],
  ];
}

/** Every place of the index filled (entries written as the ledger writes them), then one more agent asks. */
async function capacity(): Promise<{ listed: number; pages: number; refused: string }> {
  const installation = new Installation({ agents: accountAgents([RAHUL + 1]) });
  const sealed = new SealedStore(installation.store, TEST_SECRET);
  const fill = (first: number, count: number): Record<string, string> =>
    Object.fromEntries(Array.from({ length: count }, (_, index) => [entryAttribute(first + index), packEntry(first + index, { ...largestEntry(index), version: 1 })]));
  await sealed.setAttributes(keyOf('head'), { ...fill(1_000_000, HEAD_INDEX_ENTRIES), overflow: { lastShard: MAX_SHARDS - 1 } });
  for (let shard = 0; shard < MAX_SHARDS; shard += 1) {
    await sealed.setAttributes(keyOf(`x:${shard}`), { ...fill(2_000_000 + shard * SHARD_ENTRIES, SHARD_ENTRIES), ...(shard + 1 < MAX_SHARDS ? { next: {} } : {}) });
  }
  let [listed, pages] = [0, 0];
  for (let cursor: string | null = null; pages === 0 || cursor !== null; pages += 1) {
    const page: { entries: unknown[]; cursor: string | null } = await installation.ok('listApiKeyIndex', { cursor });
    listed += page.entries.length;
    cursor = page.cursor;
  }
  const refused = await installation.call('requestApiKey', { ...actor(RAHUL + 1), reason: 'one more' });
  return { listed, pages, refused: refused.error === null ? 'accepted' : `${refused.error.status} ${refused.error.message}` };
}

function perMinute(operations: number): string {
  return operations === 0 ? '∞' : String(Math.floor(PER_MINUTE / operations));
}

async function main(): Promise<void> {
  // The server logs one line per change and a warning per refusal: the bench prints only its tables.
  for (const method of ['info', 'warn', 'error'] as const) {
    console[method] = () => undefined;
  }
  const installation = await busyInstallation();
  console.log(`Storage bench: FDK allows ${PER_MINUTE} $db operations and ${PER_MINUTE} template requests a minute per installation\n`);
  console.log('1. What each action costs\n');
  console.log('| action | $db operations | template requests | fit in a minute ($db) |');
  console.log('|---|---|---|---|');
  for (const row of await everyday(installation)) {
    console.log(`| ${row.what} | ${row.operations} | ${row.templates} | ${perMinute(row.operations)} |`);
  }
  console.log('\n2. The worst case of every server method, and the cap it runs under\n');
  console.log('| method | driven with | $db operations (cap) | template requests (cap) |');
  console.log('|---|---|---|---|');
  let overCap = false;
  for (const [method, row] of await worstCases(installation)) {
    const cap = CALL_BUDGETS[method];
    overCap ||= row.operations > cap.store || row.templates > cap.templates;
    console.log(`| ${method} | ${row.what} | ${row.operations} (${cap.store}) | ${row.templates} (${cap.templates}) |`);
  }
  console.log('\n3. The largest answer of every method at full capacity\n');
  console.log('| answer | bytes | of FDK\'s 100 KB |');
  console.log('|---|---|---|');
  let overAnswer = false;
  for (const [what, size] of await largestAnswers()) {
    overAnswer ||= size > ANSWER_LIMIT;
    console.log(`| ${what} | ${size.toLocaleString('en')} | ${Math.round((size / ANSWER_LIMIT) * 100)}% |`);
  }
  const full = await capacity();
  console.log(`\n4. Capacity: ${(HEAD_INDEX_ENTRIES + MAX_SHARDS * SHARD_ENTRIES).toLocaleString('en')} agents with records (${HEAD_INDEX_ENTRIES} in the head, ${MAX_SHARDS} shards of ${SHARD_ENTRIES}), whatever their names`);
  console.log(`   filled to the last place: ${full.listed.toLocaleString('en')} agents listed in ${full.pages} pages; one more agent's request: ${full.refused}`);
  process.exitCode = overCap || overAnswer ? 1 : 0;
  console.log(overCap || overAnswer ? '\nOver a cap or an answer limit: see above.' : '\nEvery method stays inside its cap, and every answer inside 100 KB.');
}

main().catch((error: unknown) => {
  console.log(error);
  process.exitCode = 1;
});
