/**
 * The adversary's position (issue 16): a plain agent with the browser's console open on an app page
 * of the local runtime, calling the page's own FDK `client` (tests/browser/app-client.ts) with
 * hostile arguments: `client.request.invoke` (any server method, any payload), `invokeTemplate`
 * (any declared template, any context) and `client.db` (the app's own store). Each finding of the
 * review is pinned by what the server answers, what is stored, what reaches the Freshservice
 * simulator and what the browser's `client` gets back; never by the widget's wording.
 *
 * Where a realistic number of browser calls would take too long (the store allows 50 operations a
 * minute: the 1,100 changes of the largest ledger below would take a browser about two hours), the
 * ledger is seeded before the runtime starts, and the browser makes the last changes, the ones each
 * finding turns on.
 */
import { strict as assert } from 'node:assert';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessOverviewSlice } from '#common/audit';
import type { ApiKeyHistoryPage, ApiKeyIndexEntry, ApiKeyIndexPage, ApiKeyRecord } from '#common/ledger';
import type { ProfileAccess } from '#common/profile';
import { CALL_BUDGETS } from '#server/budget';
import { ApiKeyLedger, type LedgerChange } from '#server/ledger/api-key-ledger';
import { HEAD_INDEX_ENTRIES, ROLES_ATTRIBUTE, ROLES_MAX_BYTES } from '#server/store/head';
import { SHARD_ENTRIES } from '#server/ledger/ledger-index';
import { sealedAttributeBytes } from '#server/store/sealed-store';
import { accountFacts, demoAccount, isAdminLevelRole, type SimAccount, type SimAgent, type SimRole } from '../../dev/simulator/index';
import { AppClient, type FdkRejection, type ServerMethodAnswer, type Settled, type TemplateAnswer } from './app-client';
import { fullName, openAccessView, repoRoot, runtimeLog, scanToTheEnd, storedNow, useHarness, type Harness, type SeedStore } from './harness';
import { demoPeople, person } from './people';

/** FDK's limit on a server method's answer. */
const ANSWER_MAX_BYTES = 100 * 1024;
/** The longest reason the rules allow in the most stored bytes: a backslash is escaped in every JSON layer. */
const LONGEST_REASON = '\\'.repeat(499);
/** The only Freshservice endpoints the app's templates may reach. */
const LISTS = ['/api/v2/agents', '/api/v2/roles'];
/** Query parameters the app's templates send. */
const TEMPLATE_QUERY = ['page', 'per_page', 'active', 'email'];

const people = demoPeople();
const { ana } = people;
const kwame = people.named('Kwame');
const chloe = people.named('Chloé');
const bjorn = people.named('Björn');

/** Opens the agent's own user page signed in as them and takes the sidebar's app client, as the browser's console has it. */
async function consoleOn(harness: Harness, agent: SimAgent): Promise<AppClient> {
  const { page } = await openAccessView(harness, agent.id, agent.id);
  return AppClient.of(page);
}

/** The payload of getProfileAccess for `viewer` on `viewed`'s page. */
function viewing(viewer: SimAgent, viewed: SimAgent = viewer): Record<string, unknown> {
  return { viewedId: viewed.id, viewedEmail: viewed.email, viewerId: viewer.id, viewerEmail: viewer.email };
}

/** The $db operations `call` made (the page makes none meanwhile: it is idle once loaded). */
async function operationsOf<T>(harness: Harness, call: () => Promise<T>): Promise<{ result: T; operations: number }> {
  const before = harness.runtime.store.operations.length;
  const result = await call();
  return { result, operations: harness.runtime.store.operations.length - before };
}

/** Each change as its own call (each reads the head afresh, as a server call does). */
function seedChanges(changes: LedgerChange[]): SeedStore {
  return async (_storage, nextCall) => {
    for (const change of changes) {
      await new ApiKeyLedger(nextCall()).apply(change);
    }
  };
}

function requestBy(agent: SimAgent, reason: string): LedgerChange {
  return { action: 'requested', actor: person(agent), target: person(agent), targetEmail: agent.email, note: reason };
}

function adminAction(actor: SimAgent, action: 'enabled' | 'declined', target: SimAgent, note: string | null = null): LedgerChange {
  return { action, actor: person(actor), target: person(target), targetEmail: target.email, note };
}

/** The index as the console reads it, page after page, with each page's answer size. */
async function everyIndexPage(client: AppClient): Promise<{ entries: ApiKeyIndexEntry[]; bytes: number }[]> {
  const pages: { entries: ApiKeyIndexEntry[]; bytes: number }[] = [];
  let cursor: string | null = null;
  do {
    const settled: Settled<ServerMethodAnswer<ApiKeyIndexPage>> = await client.invoke<ApiKeyIndexPage>('listApiKeyIndex', { cursor });
    assert.ok(settled.ok, `listApiKeyIndex page ${pages.length + 1} was refused: ${JSON.stringify(settled.ok ? null : settled.error)}`);
    const page: ApiKeyIndexPage = settled.value.response;
    pages.push({ entries: page.entries, bytes: Buffer.byteLength(JSON.stringify(settled.value)) });
    cursor = page.cursor;
  } while (cursor !== null && pages.length <= 256);
  return pages;
}

/** Each agent's entry with the highest version, over every page. */
function newestEntries(pages: { entries: ApiKeyIndexEntry[] }[]): Map<number, ApiKeyIndexEntry> {
  const newest = new Map<number, ApiKeyIndexEntry>();
  for (const entry of pages.flatMap((page) => page.entries)) {
    if ((newest.get(entry.agentId)?.version ?? 0) < entry.version) {
      newest.set(entry.agentId, entry);
    }
  }
  return newest;
}

/** Bytes a stored key and its value take, against $db's 40 KB. */
function storedBytes(harness: Harness, key: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(harness.runtime.store.snapshot()[key]));
}

/** Strings holding half of a surrogate pair (half an emoji), anywhere in `value`. */
function brokenStrings(value: unknown): string[] {
  const broken: string[] = [];
  JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner === 'string' && /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(inner)) {
      broken.push(inner);
    }
    return inner;
  });
  return broken;
}

/** A request the simulator received, as it reads it. */
interface ReceivedRequest {
  target: string;
  path: string;
  query: [string, string][];
}

/** Records every request the simulator's HTTP server receives (Node's http diagnostics channel: nothing in the simulator changes). */
function recordSimulatorRequests(harness: Harness): { received: ReceivedRequest[]; stop(): void } {
  const port = Number(new URL(harness.runtime.simulator?.url ?? '').port);
  const received: ReceivedRequest[] = [];
  const onRequest = (message: unknown): void => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const address = server.address();
    if (typeof address === 'object' && address?.port === port) {
      const url = new URL(request.url ?? '/', 'http://simulator');
      received.push({ target: request.url ?? '', path: url.pathname, query: [...url.searchParams] });
    }
  };
  subscribe('http.server.request.start', onRequest);
  return { received, stop: () => unsubscribe('http.server.request.start', onRequest) };
}

/** Changes an agent's roles through the simulator's control API: Freshservice's onUserUpdate reaches the app before it answers. */
async function setRoles(harness: Harness, agentId: number, roleIds: number[]): Promise<void> {
  const answer = await fetch(`${harness.runtime.simulator?.url ?? ''}/_simulator/agents/${agentId}/roles`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ roles: roleIds.map((role_id) => ({ role_id, assignment_scope: 'entire_helpdesk' })) }),
  });
  assert.equal(answer.status, 200, await answer.text());
}

/** The status of the app's handler of the latest user event (the runtime logs one line per event). */
function lastUserEventStatus(): string | undefined {
  return runtimeLog.filter((line) => line.startsWith('event onUserUpdate ')).pop()?.split(' ')[2];
}

function writeAccountFile(account: SimAccount): { file: string; remove(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'adversary-account-'));
  const file = join(directory, 'account.json');
  writeFileSync(file, JSON.stringify(account));
  return { file, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

describe('browser: the adversary\'s position, a plain agent with the console open (issue 16)', function () {
  this.timeout(300_000);

  describe('on the demo account', () => {
    // Kwame's key went through seven changes; Chloé waits for a decision.
    const session = useHarness({
      seedStore: seedChanges([
        requestBy(kwame, 'Azure AD provisioning'),
        adminAction(ana, 'declined', kwame, 'Use the shared integration user'),
        requestBy(kwame, 'The shared user cannot provision'),
        adminAction(ana, 'enabled', kwame),
        requestBy(kwame, 'Still disabled'),
        adminAction(bjorn, 'declined', kwame),
        requestBy(kwame, 'Please look again'),
        requestBy(chloe, 'CI deploys'),
      ]),
    });

    it('finding 1: getApiKeyHistory with a huge or forged `before` costs a few $db operations, and other agents\' calls work in the same minute', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      const cap = CALL_BUDGETS.getApiKeyHistory.store;
      const spent: number[] = [];
      for (const before of [1_000_000, Number.MAX_SAFE_INTEGER]) {
        const { result, operations } = await operationsOf(harness, () => client.invoke<ApiKeyHistoryPage>('getApiKeyHistory', { agentId: kwame.id, before }));
        spent.push(operations);
        assert.ok(operations <= cap, `before: ${before} made ${operations} $db operations (the cap is ${cap})`);
        assert.ok(result.ok, JSON.stringify(result));
        assert.deepEqual(result.value.response.entries.map((entry) => entry.version), [7, 6, 5, 4, 3], 'the newest five changes: nothing above the newest version is read');
        assert.equal(result.value.response.before, 2);
      }
      const unknown = await operationsOf(harness, () => client.answer<ApiKeyHistoryPage>('getApiKeyHistory', { agentId: 999_999_999_999, before: 1_000_000 }));
      assert.deepEqual(unknown.result, { entries: [], before: null });
      assert.ok(unknown.operations <= 1, `an agent without a record: ${unknown.operations} operations`);
      console.log(`      (measured: ${spent.join(' and ')} $db operations for before: 1000000 and 2^53-1, ${unknown.operations} for an agent without a record)`);
      for (const before of [0, -1, 1.5, '1000000', Number.MAX_SAFE_INTEGER + 2, { $gt: 0 }]) {
        const { result, operations } = await operationsOf(harness, () => client.refusal('getApiKeyHistory', { agentId: kwame.id, before }));
        assert.equal(result.status, 400, `before: ${JSON.stringify(before)}`);
        assert.equal(operations, 0, `a refused payload reads nothing (before: ${JSON.stringify(before)})`);
      }

      // Chloé, in the same minute: her page and the app's record of her key answer.
      const chloesClient = await consoleOn(harness, chloe);
      const view = await chloesClient.answer<ProfileAccess>('getProfileAccess', viewing(chloe));
      assert.equal(view.apiKeyError, null, `the ledger part of Chloé's view: ${JSON.stringify(view.apiKeyError)}`);
      assert.equal(view.apiKey?.state, 'requested');
      assert.equal((await chloesClient.answer<ApiKeyRecord>('getApiKeyState', { agentId: chloe.id })).reason, 'CI deploys');
    });

    it('finding 5: every declared template, invoked with hostile contexts, reaches only the agents and roles lists; getAgent is not declared', async () => {
      const harness = session.harness;
      const simulator = recordSimulatorRequests(harness);
      let declared: string[] = [];
      let getAgent: Settled<TemplateAnswer> | null = null;
      try {
        const client = await consoleOn(harness, kwame);
        const manifest = JSON.parse(readFileSync(join(repoRoot, 'manifest.json'), 'utf8')) as { modules: { common: { requests: Record<string, unknown> } } };
        declared = Object.keys(manifest.modules.common.requests);
        const hostileContexts: Record<string, unknown>[] = [
          { agent_id: '../tickets', page: 1, active: true, email: ana.email },
          { agent_id: '%2e%2e', page: 1, active: true, email: ana.email },
          { agent_id: String(ana.id), page: 1, active: true, email: ana.email },
          { email: 'x@y.z&per_page=100', page: 1, active: true },
          { page: '1/../../tickets', active: 'true/../../tickets', email: 'a@b.c/../../tickets' },
          { page: '1&per_page=100#x', active: 'true?include=x', email: `${ana.email}?x=1` },
          { page: 1, active: true, email: ana.email, path: '/api/v2/tickets', host: 'evil.example', domain: 'evil', api_key: 'EvilKey' },
        ];
        for (const name of [...declared, 'getAgent']) {
          for (const context of hostileContexts) {
            await client.invokeTemplate(name, { context });
          }
        }
        getAgent = await client.invokeTemplate('getAgent', { context: { agent_id: String(ana.id) } });
      } finally {
        simulator.stop();
      }
      const received = simulator.received;
      assert.ok(received.length > 0);
      for (const request of received) {
        assert.ok(LISTS.includes(request.path), `the simulator was asked for ${request.target}`);
        const names = request.query.map(([name]) => name);
        assert.ok(names.every((name) => TEMPLATE_QUERY.includes(name)), `unexpected query in ${request.target}`);
        assert.equal(new Set(names).size, names.length, `a parameter given twice: ${request.target}`);
      }
      assert.deepEqual([...new Set(received.map((request) => request.path))].sort(), LISTS, 'both lists were reached: the hostile contexts were sent');
      const injected = received.find((request) => request.query.some(([name, value]) => name === 'email' && value === 'x@y.z&per_page=100'));
      assert.ok(injected, 'the email stayed one query value');
      assert.deepEqual(injected.query, [['email', 'x@y.z&per_page=100']]);
      assert.ok(!declared.includes('getAgent'), `declared: ${declared.join(', ')}`);
      assert.ok(getAgent?.ok === false && getAgent.error.status === 400, `getAgent: ${JSON.stringify(getAgent)}`);
    });

    it('finding 6: what the templates hand a plain agent\'s browser is what the README\'s security model says they expose', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      const agents = await client.invokeTemplate('listAgents', { context: { page: 1, active: true } });
      const roles = await client.invokeTemplate('listRoles', { context: { page: 1 } });
      assert.ok(agents.ok && roles.ok, JSON.stringify([agents, roles]));
      const record = (JSON.parse(agents.value.response) as { agents: Record<string, unknown>[] }).agents[0] ?? {};
      const role = (JSON.parse(roles.value.response) as { roles: Record<string, unknown>[] }).roles[0] ?? {};
      // The fields beyond what the app shows, as README words them.
      const exposed: [string, string][] = [
        ['email', 'email'],
        ['work_phone_number', 'phone numbers'],
        ['mobile_phone_number', 'phone numbers'],
        ['address', 'address'],
        ['job_title', 'job title'],
        ['department_ids', 'department'],
        ['background_information', 'background information'],
        ['custom_fields', 'custom fields'],
        ['reporting_manager_id', 'reporting manager'],
      ];
      const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
      const start = readme.indexOf('## Security model');
      const securityModel = readme.slice(start, readme.indexOf('\n## ', start + 1)).replace(/\s+/g, ' ');
      for (const [field, words] of exposed) {
        assert.ok(field in record, `the browser reads ${field}`);
        assert.ok(securityModel.includes(words), `README's security model names ${words} (${field})`);
      }
      assert.ok('scopes' in role, 'the browser reads each role\'s permission scopes');
      assert.ok(securityModel.includes('permission scopes'), 'README\'s security model names the roles\' permission scopes');
    });

    it('finding 7: a plain agent\'s decline "as" an Account Admin, with a phishing note, is listed on her own page and logged without the note', async () => {
      const harness = session.harness;
      const note = 'Declined until you verify: reply with your Freshservice password (ticket PHISH-7731).';
      const startedAt = Date.now();
      const kwamesClient = await consoleOn(harness, kwame);
      const declined = await kwamesClient.answer<ApiKeyRecord>('recordApiKeyAction', { actorId: ana.id, actorEmail: ana.email, targetId: chloe.id, targetEmail: chloe.email, action: 'declined', note });
      assert.equal(declined.decidedBy?.id, ana.id, 'the app cannot tell who sat at the browser: the entry names Ana');
      const endedAt = Date.now();

      const anasClient = await consoleOn(harness, ana);
      const own = await anasClient.answer<ProfileAccess>('getProfileAccess', viewing(ana));
      const entry = own.recordedAsViewer?.find((recorded) => recorded.target.id === chloe.id);
      assert.ok(entry, `recorded as Ana: ${JSON.stringify(own.recordedAsViewer)}`);
      assert.equal(entry.action, 'declined');
      assert.equal(entry.version, declined.version);

      const logged = runtimeLog.filter((line) => line.includes('recordApiKeyAction') && line.includes('declined') && line.includes(String(ana.id)) && line.includes(String(chloe.id)));
      assert.equal(logged.length, 1, runtimeLog.join('\n'));
      const at = Date.parse(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/.exec(logged[0] ?? '')?.[0] ?? '');
      assert.ok(at >= startedAt - 1000 && at <= endedAt + 1000, `the line gives the time: ${logged[0] ?? ''}`);
      assert.ok(!runtimeLog.some((line) => line.includes('PHISH-7731') || line.includes('password')), 'no log line holds the note');
    });

    it('finding 8: a reason or note with a bidirectional control is refused with a clear message, and nothing is stored', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      const stored = await client.answer<ApiKeyRecord>('getApiKeyState', { agentId: chloe.id });
      for (const control of ['\u202E', '\u202A', '\u2066', '\u2069']) {
        const reason = await client.refusal('requestApiKey', { actorId: chloe.id, actorEmail: chloe.email, reason: `CI deploys ${control}exe.txt` });
        assert.equal(reason.status, 400);
        assert.match(reason.message ?? '', /reason .*bidirectional control/);
        const note = await client.refusal('recordApiKeyAction', { actorId: ana.id, actorEmail: ana.email, targetId: chloe.id, targetEmail: chloe.email, action: 'declined', note: `see ${control}lmth.exe` });
        assert.match(note.message ?? '', /note .*bidirectional control/);
      }
      assert.deepEqual(await client.answer<ApiKeyRecord>('getApiKeyState', { agentId: chloe.id }), stored);
    });

    it('finding 8: npm start\'s runtime keys the store with a storage secret of its own: rotating the API key in /custom_configs keeps the records readable', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      const before = await client.answer<ApiKeyRecord>('getApiKeyState', { agentId: kwame.id });
      assert.equal(before.version, 7);

      const bjornsKey = harness.runtime.simulator?.keys.find((key) => key.agentId === bjorn.id)?.key ?? '';
      const settings = await harness.context.newPage();
      await settings.goto(`${harness.runtime.shellUrl}/custom_configs`);
      await settings.fill('#iparam-api_key', bjornsKey);
      await settings.waitForFunction(`document.getElementById('iparam-api_key').getAttribute('aria-invalid') === 'false' && !document.getElementById('save-iparams').disabled`);
      await Promise.all([settings.waitForURL(/\/custom_configs\?saved=1$/), settings.click('#save-iparams')]);
      const saved = JSON.parse(readFileSync(join(harness.dataDir, 'custom_configs.json'), 'utf8')) as { iparams: Record<string, unknown> };
      assert.equal(saved.iparams['api_key'], bjornsKey, 'the API key was rotated');

      assert.deepEqual(await client.answer<ApiKeyRecord>('getApiKeyState', { agentId: kwame.id }), before, 'the record is read under the new API key');
      const history = await client.answer<ApiKeyHistoryPage>('getApiKeyHistory', { agentId: kwame.id });
      assert.equal(history.entries[0]?.version, 7);
      const generated = JSON.parse(readFileSync(join(harness.dataDir, 'generated_iparams.json'), 'utf8')) as Record<string, { storage_secret?: string }>;
      assert.match(generated['simulator']?.storage_secret ?? '', /^[A-Za-z0-9_-]{43}$/, 'the secret the runtime made at its first start');
      assert.equal(saved.iparams['storage_secret'], generated['simulator']?.storage_secret, 'and kept when the settings were saved');
    });

    it('client.db: a browser finds none of the app\'s keys, and values it forges are refused or ignored', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      for (const guess of ['head', 'akey:summary', 'audit:account:v2', 'roles', 'x:0', `a:${kwame.id}`, `e:${kwame.id}:7`, `i${kwame.id.toString(36)}`]) {
        const read = await client.db('get', guess);
        assert.ok(!read.ok && read.error.status === 404, `${guess}: ${JSON.stringify(read)}`);
      }
      for (const key of Object.keys(harness.runtime.store.snapshot())) {
        assert.match(key, /^k[A-Za-z0-9_-]{24}$/, 'no key a browser could guess');
      }

      // Suppose two names leaked: the head, and Kwame's newest event. Kwame makes himself an Account Admin there and rewrites his record.
      const storage = await storedNow(harness);
      const forged = 'A'.repeat(22);
      const kwamesRole = kwame.roles[0]?.role_id ?? 0;
      const head = storage.sealed.keyOf('head');
      assert.ok((await client.db('update', head, 'set', {
        [ROLES_ATTRIBUTE]: `${forged}{"roles":[[${kwamesRole},"Account Admin",true,true]],"fetchedAt":${Date.now()}}`,
        [`A${kwame.id.toString(36)}`]: `${forged}{"name":"Kwame","email":"${kwame.email}","otherAdminRole":false,"seen":${Date.now()}}`,
      })).ok);
      assert.ok((await client.db('set', storage.sealed.keyOf(`e:${kwame.id}:7`), { v: `${forged}{"version":7,"record":{"state":"enabled"}}` })).ok);

      const enable = await client.refusal('recordApiKeyAction', { actorId: kwame.id, actorEmail: kwame.email, targetId: chloe.id, targetEmail: chloe.email, action: 'enabled' });
      assert.equal(enable.status, 403, 'who holds Account Admin comes from Freshservice, not from the forged roles');
      const record = await client.refusal('getApiKeyState', { agentId: kwame.id });
      assert.equal(record.status, 500);
      assert.match(record.message ?? '', /integrity check/);
      const view = await client.answer<ProfileAccess>('getProfileAccess', viewing(kwame, chloe));
      assert.ok(!view.accountAdmins?.accountAdmins.some((admin) => admin.id === kwame.id), 'the forged Account Admin is not listed');
      assert.equal(view.viewer?.isAccountAdmin, false);
    });

    it('client.db: spending the store\'s 50 operations a minute on made-up keys makes the app answer 507, never a crash or a lost record', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      let refusal: FdkRejection | null = null;
      for (let made = 0; made < 60 && refusal === null; made += 1) {
        const read = await client.db('get', `made-up-${made}`);
        refusal = read.ok || read.error.status === 404 ? null : read.error;
      }
      assert.equal(refusal?.status, 429, 'the store refused within the minute');

      const request = await client.refusal('requestApiKey', { actorId: chloe.id, actorEmail: chloe.email, reason: 'Again, please' });
      assert.equal(request.status, 507);
      assert.match(request.message ?? '', /storage/i);
      const state = await client.refusal('getApiKeyState', { agentId: kwame.id });
      assert.equal(state.status, 507);
      const view = await client.answer<ProfileAccess>('getProfileAccess', viewing(kwame));
      assert.equal(view.apiKeyError?.status, 507, 'the Freshservice facts still answer, the ledger part says why it is missing');
      assert.equal(view.viewed.agent?.id, kwame.id);

      const ledger = new ApiKeyLedger(await storedNow(harness));
      assert.equal((await ledger.record(person(kwame))).version, 7, 'no record was lost');
      assert.equal((await ledger.record(person(chloe))).state, 'requested');
    });
  });

  describe('a large account of agents named with backslashes, the ledger at its largest', () => {
    const account = largeAccount();
    const accountFile = writeAccountFile(account.account);
    after(() => accountFile.remove());
    const { requesters } = account;
    const head = requesters.slice(0, HEAD_INDEX_ENTRIES);
    // Left for the browser: an agent already indexed in the head, one in a full shard, and one never recorded.
    const [inHead, inShard, fresh] = [requesters[1], requesters[HEAD_INDEX_ENTRIES + 1], requesters[requesters.length - 1]] as [SimAgent, SimAgent, SimAgent];
    // Every agent's key marked enabled by an Account Admin (they take turns), then the head's agents request again with the longest reason.
    // About 2,000 changes take seconds to seal: each test starts from a copy of one seeding.
    const session = useHarness({
      simulator: { accountFile: accountFile.file },
      seedOnce: true,
      seedStore: seedChanges([
        ...requesters.filter((agent) => agent !== fresh).map((agent, k) => adminAction(account.admins[k % account.admins.length] as SimAgent, 'enabled', agent)),
        ...head.filter((agent) => agent !== inHead).map((agent) => requestBy(agent, LONGEST_REASON)),
      ]),
    });

    it('finding 2: with the head at its largest, a request of an agent already indexed keeps its queue details, a promotion to Account Admin lands and the roles cache is rewritten', async () => {
      const harness = session.harness;
      await scanToTheEnd(harness);
      const kwamesClient = await consoleOn(harness, kwame);
      const requested = await kwamesClient.answer<ApiKeyRecord>('requestApiKey', { actorId: inHead.id, actorEmail: inHead.email, reason: LONGEST_REASON });

      // The roles cache must be written again (as when it expires), and an agent is made Account Admin in Freshservice.
      const headKey = (await storedNow(harness)).sealed.keyOf('head');
      await harness.runtime.store.update(headKey, 'remove', [ROLES_ATTRIBUTE]);
      const promoted = requesters[0] as SimAgent;
      const rewrittenAfter = Date.now();
      await setRoles(harness, promoted.id, [account.accountAdminRoleId]);
      const view = await kwamesClient.answer<ProfileAccess>('getProfileAccess', viewing(kwame));
      const stored = await (await storedNow(harness)).head();
      assert.ok((stored.roles?.fetchedAt ?? 0) >= rewrittenAfter, 'the roles cache was written again');
      assert.equal(lastUserEventStatus(), '200', 'the app handled onUserUpdate');
      assert.ok(stored.accountAdmins?.admins.some((admin) => admin.id === promoted.id), 'the promotion is recorded');
      assert.ok(view.accountAdmins?.accountAdmins.some((admin) => admin.id === promoted.id), 'the promoted agent is listed');
      assert.equal(view.accountAdmins?.complete, true, 'the list of Account Admins is complete');

      const listed = newestEntries(await everyIndexPage(kwamesClient));
      const waiting = head.filter((agent) => listed.get(agent.id)?.state !== 'requested');
      assert.deepEqual(waiting.map((agent) => agent.id), [], 'every waiting request is listed');
      assert.equal(listed.get(inHead.id)?.since, requested.requestedAt, 'with when it was made (the queue\'s order)');
      // What was reached: the head with every part, and its 100 agents.
      assert.equal(stored.entries.size, HEAD_INDEX_ENTRIES);
      assert.ok(stored.roles !== null && stored.accountAdmins !== null);
      console.log(`      (measured: the head takes ${storedBytes(harness, headKey)} bytes; ${harness.runtime.store.operations.length} $db operations since the runtime started)`);
    });

    it('finding 3: every page of the largest index answers inside FDK\'s 100 KB, a change in a full shard lands, a new agent is indexed, and every agent is listed', async () => {
      const harness = session.harness;
      const kwamesClient = await consoleOn(harness, kwame);
      for (const page of await everyIndexPage(kwamesClient)) {
        assert.ok(page.bytes < ANSWER_MAX_BYTES, `a page of ${page.entries.length} entries answers ${page.bytes} bytes`);
      }
      const requested = new Map<SimAgent, ApiKeyRecord>();
      for (const agent of [inShard, fresh]) {
        requested.set(agent, await kwamesClient.answer<ApiKeyRecord>('requestApiKey', { actorId: agent.id, actorEmail: agent.email, reason: LONGEST_REASON }));
      }
      const pages = await everyIndexPage(kwamesClient);
      for (const page of pages) {
        assert.ok(page.bytes < ANSWER_MAX_BYTES, `a page of ${page.entries.length} entries answers ${page.bytes} bytes`);
      }
      const listed = newestEntries(pages);
      const waiting = new Set([...head.filter((agent) => agent !== inHead), ...requested.keys()]);
      assert.deepEqual(
        requesters.map((agent) => [agent.id, listed.get(agent.id)?.state]),
        requesters.map((agent) => [agent.id, waiting.has(agent) ? 'requested' : 'enabled']),
        'every agent is listed, in their state',
      );
      for (const [agent, record] of requested) {
        assert.equal(listed.get(agent.id)?.since, record.requestedAt);
      }
      // What was reached: the head's 100 agents, then full shards.
      assert.deepEqual(pages.map((page) => page.entries.length).slice(0, 3), [HEAD_INDEX_ENTRIES, SHARD_ENTRIES, SHARD_ENTRIES]);
      const firstShard = (await storedNow(harness)).sealed.keyOf('x:0');
      console.log(`      (measured: a full shard takes ${storedBytes(harness, firstShard)} bytes; the index pages answer ${pages.map((page) => page.bytes).join(', ')} bytes)`);
    });
  });

  describe('a generated account of 300 agents', () => {
    const session = useHarness({ simulator: { agents: 300, seed: 3 } });

    it('finding 4: a replayed overview cursor does not record a demoted Account Admin again: the list is written only by the scan and user events', async () => {
      const harness = session.harness;
      const simulated = harness.runtime.simulator?.account as SimAccount;
      const facts = accountFacts(simulated);
      const agent = (id: number | undefined): SimAgent => simulated.agents.find((candidate) => candidate.id === id) as SimAgent;
      const plain = agent(facts.withoutAdminRoleIds.find((id) => agent(id).active));
      const client = await consoleOn(harness, plain);
      const cursors: string[] = [];
      for (let slice: AccessOverviewSlice = await client.answer('getAccessOverview', {}); slice.cursor !== null; ) {
        cursors.push(slice.cursor);
        slice = await client.answer('getAccessOverview', { cursor: slice.cursor });
      }
      assert.ok(cursors.length >= 2, `the overview took ${cursors.length + 1} slices`);

      const demoted = agent(facts.activeAccountAdminIds.find((id) => id !== harness.runtime.simulator?.keys[0]?.agentId));
      assert.ok(facts.adminRoleId !== null);
      await setRoles(harness, demoted.id, [facts.adminRoleId]);
      assert.equal(lastUserEventStatus(), '200');
      const listed = async (): Promise<ProfileAccess['accountAdmins']> => (await client.answer<ProfileAccess>('getProfileAccess', viewing(plain))).accountAdmins;
      const afterDemotion = await listed();
      assert.ok(!afterDemotion?.accountAdmins.some((admin) => admin.id === demoted.id), 'the user event removed the demoted Account Admin');
      const storedBefore = (await (await storedNow(harness)).head()).accountAdmins;

      // Replay the continuation of the last slice, taken while the demoted agent still held Account Admin.
      await client.invoke('getAccessOverview', { cursor: cursors[cursors.length - 1] });
      const afterReplay = await listed();
      assert.ok(!afterReplay?.accountAdmins.some((admin) => admin.id === demoted.id), 'the replay did not list the demoted agent again');
      assert.deepEqual(afterReplay, afterDemotion);
      assert.deepEqual((await (await storedNow(harness)).head()).accountAdmins, storedBefore, 'the overview wrote nothing to the list');
    });
  });

  describe('an agent whose name ends in an emoji at the 100th unit', () => {
    const demo = demoAccount();
    const sam = demo.agents.find((candidate) => candidate.first_name === 'Sam 🚀') as SimAgent;
    const renamed = { ...sam, first_name: 'S'.repeat(98), last_name: '🚀🚀' };
    const accountFile = writeAccountFile({ ...demo, agents: demo.agents.map((candidate) => (candidate.id === sam.id ? renamed : candidate)) });
    after(() => accountFile.remove());
    const session = useHarness({ simulator: { accountFile: accountFile.file } });

    it('finding 8: the name is never split in the record, the index or the history', async () => {
      const harness = session.harness;
      const client = await consoleOn(harness, kwame);
      const record = await client.answer<ApiKeyRecord>('requestApiKey', { actorId: sam.id, actorEmail: sam.email, reason: 'Deploy bot' });
      const index = await everyIndexPage(client);
      const history = await client.answer<ApiKeyHistoryPage>('getApiKeyHistory', { agentId: sam.id });
      const names = [record.agent.name, record.requestedBy?.name, ...index.flatMap((page) => page.entries).map((entry) => entry.name), history.entries[0]?.target.name];
      assert.deepEqual(brokenStrings(names), []);
      for (const name of names) {
        assert.ok(fullName(renamed).startsWith((name ?? '').replace(/…$/, '')), `a cut of the name: ${name ?? ''}`);
      }
    });
  });
});

/**
 * The demo account and, beside it, 1,000 agents whose names are backslashes (the heaviest
 * character once stored: escaped in every JSON layer), ids 16 apart (before the fix, an agent's
 * overflow shard was its id modulo 16: all of them shared one); 10 more Account Admins named the
 * same way; and as many custom roles named so as the head's share for roles holds.
 */
function largeAccount(): { account: SimAccount; requesters: SimAgent[]; admins: SimAgent[]; accountAdminRoleId: number } {
  const demo = demoAccount();
  const accountAdminRoleId = accountFacts(demo).accountAdminRoleId ?? 0;
  const sdAgent = demo.roles.find((role) => role.name === 'SD Agent') as SimRole;
  const heavyAgent = (id: number, email: string, roleId: number): SimAgent => ({
    ...people.named('Kwame'),
    id,
    first_name: '\\'.repeat(60),
    last_name: '\\'.repeat(39),
    email,
    roles: [{ role_id: roleId, assignment_scope: 'entire_helpdesk', groups: [] }],
  });
  const requesters = Array.from({ length: 1000 }, (_unused, k) => heavyAgent(21000600000 + 16 * k, `requester${k}@demo-corp.example`, sdAgent.id));
  const admins = Array.from({ length: 10 }, (_unused, k) => heavyAgent(21000700000 + k, `admin${k}@demo-corp.example`, accountAdminRoleId));
  const roles: SimRole[] = [...demo.roles];
  const rolesBytes = (candidate: SimRole[]): number =>
    sealedAttributeBytes(ROLES_ATTRIBUTE, { roles: candidate.map((role) => [role.id, role.name, role.default, isAdminLevelRole(role)]), fetchedAt: Date.now() });
  for (let k = 0; ; k += 1) {
    const next: SimRole = { ...sdAgent, id: 21000800000 + k, name: `${'\\'.repeat(57)}${k}`, default: false };
    if (rolesBytes([...roles, next]) > ROLES_MAX_BYTES) {
      break;
    }
    roles.push(next);
  }
  return { account: { ...demo, roles, agents: [...demo.agents, ...admins, ...requesters] }, requesters, admins: [ana, bjorn, ...admins], accountAdminRoleId };
}

