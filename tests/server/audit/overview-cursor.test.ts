import { strict as assert } from 'node:assert';
import { MAX_CURSOR_AGE_MS, cursorKeyOf, encodeCursor, firstCursor, type OverviewCursor } from '#server/audit/cursor';
import { accessOverviewSlice, type OverviewDeps } from '#server/audit/overview';
import { MAX_ROLE_PAGES } from '#server/freshservice/roles';
import { FakeRequest, linkToPage, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, role, standardRoles } from '../freshservice/fixtures';
import { FakeAccount } from './account';
import { MemoryStore } from './memoryStore';
import { forgedAccountAdminCursor, rejection } from './refusals';
import { TEST_CURSOR_KEY, VirtualClock, runOverview } from './run';
import { testStorage, headOf } from '../fakes/storage';

/** A made-up role id the attacker wants every agent holding it to count as Account Admin. */
const FORGED_ROLE_ID = 4242;

function depsWith(request: FakeRequest, store: MemoryStore, clock: VirtualClock): OverviewDeps {
  return { request, storage: testStorage(store), now: clock.now, cursorKey: TEST_CURSOR_KEY };
}

/** A well-formed last-page cursor that would make a fake agent an Account Admin and record it. */
function poisoned(now: number): OverviewCursor {
  return forgedAccountAdminCursor(FORGED_ROLE_ID, now);
}

describe('access overview: forged and expired cursors', () => {
  it('refuses a forged cursor of valid shape before any request or $db operation: nothing cached, nothing recorded', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const request = new FakeRequest().script('listAgents', ok({ agents: [agent(1)] }));
    const attackerKey = cursorKeyOf({ iparams: { api_key: 'what-the-attacker-guessed' } });
    for (const cursor of [JSON.stringify(poisoned(clock.time)), encodeCursor(poisoned(clock.time), attackerKey), `${'f'.repeat(64)}.${JSON.stringify(poisoned(clock.time))}`]) {
      const error = await rejection(accessOverviewSlice({ cursor }, depsWith(request, store, clock)));
      assert.equal(error.code, 'INVALID_PAYLOAD');
      assert.match(error.message, /"cursor".*Start the overview again/);
    }
    assert.deepEqual(request.names(), []);
    assert.equal(store.operations, 0);
  });

  it('refuses a real cursor whose Account Admins were edited, keeping its signature', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: [agent(1)] }));
    const deps = depsWith(request, store, clock);
    const roles = await accessOverviewSlice({}, deps);
    const text = roles.cursor ?? assert.fail('a cursor to continue');
    const [mac] = text.split('.');
    const edited = `${mac}.${JSON.stringify({ ...poisoned(clock.time), roles: JSON.parse(text.slice(text.indexOf('.') + 1)).roles })}`;
    assert.equal((await rejection(accessOverviewSlice({ cursor: edited }, deps))).code, 'INVALID_PAYLOAD');
    assert.equal((await headOf(store)).accountAdmins, null);
    assert.deepEqual(request.names(), ['listRoles']);
  });

  it('never records Account Admins, even from a verified chain: replaying a real last cursor after a demotion records nothing', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const answers = () => new FakeRequest().respond('listRoles', () => ok({ roles: standardRoles() })).respond('listAgents', () => ok({ agents: [agent(5, { roles: [assignment(ROLE_IDS.accountAdmin)] }), agent(6)] }));
    const deps = depsWith(answers(), store, clock);
    const roles = await accessOverviewSlice({}, deps);
    const last = await accessOverviewSlice({ cursor: roles.cursor }, deps);
    assert.equal(last.cursor, null);
    assert.equal(last.summary.accountAdmins, 1, 'the overview reports what it read');
    // Agent 5 is demoted; someone replays the honest cursor that preceded the last page.
    clock.advance(1_000);
    await accessOverviewSlice({ cursor: roles.cursor }, depsWith(answers(), store, clock));
    assert.equal((await headOf(store)).accountAdmins, null, 'only the background scan and user events write the list');
  });

  it(`refuses a cursor more than ${MAX_CURSOR_AGE_MS / 60_000} minutes old; starting again works`, async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }), ok({ roles: standardRoles() })).script('listAgents', ok({ agents: [agent(1)] }));
    const deps = depsWith(request, store, clock);
    const roles = await accessOverviewSlice({}, deps);
    clock.advance(MAX_CURSOR_AGE_MS + 1);
    const error = await rejection(accessOverviewSlice({ cursor: roles.cursor }, deps));
    assert.equal(error.code, 'INVALID_PAYLOAD');
    assert.match(error.message, /expired/);
    const again = await accessOverviewSlice({}, deps);
    const agents = await accessOverviewSlice({ cursor: again.cursor }, deps);
    assert.equal(agents.cursor, null);
    assert.deepEqual(request.names(), ['listRoles', 'listRoles', 'listAgents']);
  });

  it('each slice issues a fresh cursor, so the limit bounds one hop and a long audit still finishes', async () => {
    const clock = new VirtualClock();
    // 6,000 agents take several minutes at the paced rate: far more than one hop, well under the limit per hop.
    const run = await runOverview(new FakeAccount({ agents: 6_000 }).request(), new MemoryStore(), clock, { latencyMs: 300 });
    assert.equal(run.slices.at(-1)?.progress.agentsLoaded, 6_000);
    const issued = run.slices.flatMap((slice) => (slice.cursor === null ? [] : [(JSON.parse(slice.cursor.slice(65)) as { issuedAt: number }).issuedAt]));
    assert.ok(issued.every((time, index) => index === 0 || time > (issued[index - 1] ?? Infinity)), 'every hop re-issues');
    assert.ok((issued.at(-1) ?? 0) - (issued[0] ?? 0) > 60_000, 'the audit spans more than one minute of hops');
  });
});

describe('access overview: the role cache holds only roles the server just read', () => {
  it('caches the roles of a one-page role list exactly as Freshservice sent them', async () => {
    const store = new MemoryStore();
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
    await accessOverviewSlice({}, depsWith(request, store, new VirtualClock()));
    const cached = (await headOf(store)).roles?.roles ?? [];
    assert.deepEqual(cached.map(([id]) => id), standardRoles().map((raw) => raw.id));
  });

  it('never writes roles that came back in a cursor, even a validly signed one', async () => {
    const clock = new VirtualClock();
    const store = new MemoryStore();
    const request = new FakeRequest().script('listRoles', ok({ roles: [role(7, 'Admin', true)] }));
    const carried: OverviewCursor = { ...firstCursor(false, clock.time), page: 2, roles: [[FORGED_ROLE_ID, 'Account Admin', true, true]] };
    const slice = await accessOverviewSlice({ cursor: encodeCursor(carried, TEST_CURSOR_KEY) }, depsWith(request, store, clock));
    assert.deepEqual(request.calls.map((call) => call.context), [{ page: 2 }]);
    assert.equal(slice.accountAdminRole?.id, FORGED_ROLE_ID, 'the signed cursor is trusted for what this browser reads');
    assert.equal((await headOf(store)).roles, null, 'but never written to the shared cache');
  });

  it(`answers BAD_RESPONSE when the role list still links onward after ${MAX_ROLE_PAGES} pages`, async () => {
    const clock = new VirtualClock();
    const request = new FakeRequest().respond('listRoles', (context) => ok({ roles: [role(Number(context.page), 'SD Agent', false)] }, linkToPage(Number(context.page) + 1, '/api/v2/roles')));
    const deps = depsWith(request, new MemoryStore(), clock);
    let cursor: string | null = null;
    for (let page = 1; page < MAX_ROLE_PAGES; page += 1) {
      const slice = await accessOverviewSlice({ cursor }, deps);
      clock.advance(slice.waitMs);
      cursor = slice.cursor;
    }
    const error = await rejection(accessOverviewSlice({ cursor }, deps));
    assert.equal(error.code, 'BAD_RESPONSE');
    assert.match(error.message, /list of roles did not end/);
    assert.equal(request.calls.length, MAX_ROLE_PAGES);
  });
});
