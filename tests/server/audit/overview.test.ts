import { strict as assert } from 'node:assert';
import type { AccessOverviewSlice } from '#common/audit';
import { SLICE_BUDGET_BYTES, accessOverviewSlice } from '#server/audit/overview';
import { OVERVIEW_REQUESTS_PER_MINUTE } from '#server/audit/pacing';
import { jsonBytes } from '#server/audit/size';
import { FakeRequest, connectionError, fail, linkToPage, ok, timeout, type ScriptedAnswer } from '../fakes/request';
import { ROLE_IDS, agent, assignment, role, standardRoles } from '../freshservice/fixtures';
import { FakeAccount } from './account';
import { MemoryStore } from './memoryStore';
import { rejection } from './refusals';
import { TEST_CURSOR_KEY, VirtualClock, busiestMinute, runOverview } from './run';
import { testStorage, headOf } from '../fakes/storage';

function allAgents(slices: AccessOverviewSlice[]) {
  return slices.flatMap((slice) => slice.agents);
}

describe('access overview', () => {
  it('reads roles, then every page of active agents through Link headers, with the minimum of requests', async () => {
    const account = new FakeAccount({ agents: 250 });
    const request = account.request();
    const store = new MemoryStore();
    const run = await runOverview(request, store, new VirtualClock());

    assert.deepEqual(
      request.calls.map((call) => [call.name, call.context]),
      [
        ['listRoles', { page: 1 }],
        ['listAgents', { page: 1, active: true }],
        ['listAgents', { page: 2, active: true }],
        ['listAgents', { page: 3, active: true }],
      ],
    );
    const agents = allAgents(run.slices);
    assert.equal(agents.length, 250);
    assert.equal(new Set(agents.map((a) => a.id)).size, 250);
    const last = run.slices.at(-1);
    assert.deepEqual(last?.progress, { agentsLoaded: 250, pagesLoaded: 3, done: true });
    assert.deepEqual(last?.summary, { agents: 250, accountAdmins: 7, lackingAccountAdmin: 243, deactivated: 0 });
    assert.equal(last?.waitMs, 0);
    assert.deepEqual(last?.accountAdminRole, { id: ROLE_IDS.accountAdmin, name: 'Account Admin', isDefault: true });
  });

  it('follows Link headers that omit per_page', async () => {
    const account = new FakeAccount({ agents: 201, linkWithoutPerPage: true });
    const run = await runOverview(account.request(), new MemoryStore(), new VirtualClock());
    assert.equal(allAgents(run.slices).length, 201);
  });

  it('spends four $db operations on a whole overview of a new installation: what the background spent (read the head), the people mark (update, then create the head) and the roles (update); two after, the people mark still fresh, and records no Account Admins', async () => {
    const store = new MemoryStore();
    const clock = new VirtualClock();
    const run = await runOverview(new FakeAccount({ agents: 1_200 }).request(), store, clock);
    assert.equal(run.slices.length, 13);
    assert.equal(store.operations, 4);
    await runOverview(new FakeAccount({ agents: 1_200 }).request(), store, clock);
    assert.equal(store.operations, 6);
    assert.ok((await headOf(store)).roles);
    assert.equal((await headOf(store)).accountAdmins, null, 'only the background writes who can enable keys');
  });

  it(`paces to at most ${OVERVIEW_REQUESTS_PER_MINUTE} template requests in any 60 s window and tells the widget how long to wait`, async () => {
    const clock = new VirtualClock();
    const run = await runOverview(new FakeAccount({ agents: 6_000 }).request(), new MemoryStore(), clock, { latencyMs: 300 });
    assert.equal(run.requestTimes.length, 61);
    assert.equal(run.slices.length, 61, 'exactly one template request per server-method call');
    assert.ok(busiestMinute(run.requestTimes) <= OVERVIEW_REQUESTS_PER_MINUTE);
    assert.ok(run.slices.some((slice) => slice.waitMs > 10_000), 'some slice must ask the widget to wait');
  });

  it('answers an empty slice without any request when called before waitMs is over', async () => {
    const clock = new VirtualClock();
    const account = new FakeAccount({ agents: 150 });
    const request = account.request().script('listAgents', ok({ agents: [agent(1)] }, { 'X-RateLimit-Remaining': '0', ...linkToPage(2) }));
    const deps = { request, storage: testStorage(new MemoryStore()), now: clock.now, cursorKey: TEST_CURSOR_KEY };
    const roles = await accessOverviewSlice({}, deps);
    const first = await accessOverviewSlice({ cursor: roles.cursor }, deps);
    assert.equal(first.waitMs, 60_000, 'no requests left at Freshservice: wait a full minute');

    clock.advance(20_000);
    const early = await accessOverviewSlice({ cursor: first.cursor }, deps);

    assert.deepEqual(early.agents, []);
    assert.equal(early.waitMs, 40_000);
    assert.equal(early.cursor, first.cursor);
    assert.equal(request.calls.length, 2);
  });

  it('429 answers RATE_LIMITED with Retry-After; the same cursor then succeeds', async () => {
    const clock = new VirtualClock();
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', fail(429, { message: 'The API rate limit allotted for your Freshservice domain has been exhausted' }, { 'retry-after': '30' }), ok({ agents: [agent(1)] }));
    const deps = { request, storage: testStorage(new MemoryStore()), now: clock.now, cursorKey: TEST_CURSOR_KEY };
    const roles = await accessOverviewSlice({}, deps);

    const limited = await rejection(accessOverviewSlice({ cursor: roles.cursor }, deps));
    assert.equal(limited.code, 'RATE_LIMITED');
    assert.equal(limited.retryAfterSeconds, 30);

    clock.advance(30_000);
    const retried = await accessOverviewSlice({ cursor: roles.cursor }, deps);
    assert.equal(retried.agents.length, 1);
    assert.equal(retried.cursor, null);
    assert.deepEqual(request.names(), ['listRoles', 'listAgents', 'listAgents']);
    assert.deepEqual(request.unanswered, []);
  });

  const failures: [string, ScriptedAnswer, string][] = [
    ['401', fail(401, { code: 'invalid_credentials' }), 'KEY_INVALID'],
    ['403', fail(403, { code: 'access_denied' }), 'KEY_OWNER_NOT_ADMIN'],
    ['500', fail(500, { code: 'internal_error' }), 'FRESHSERVICE_UNAVAILABLE'],
    ['a timeout', timeout(), 'FRESHSERVICE_UNAVAILABLE'],
    ['a connection error', connectionError(), 'FRESHSERVICE_UNAVAILABLE'],
    ['malformed JSON', ok('{"agents": [ {"id": 1,'), 'BAD_RESPONSE'],
  ];
  for (const [what, answer, code] of failures) {
    it(`${what} while reading agents answers ${code}`, async () => {
      const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', answer);
      const deps = { request, storage: testStorage(new MemoryStore()), now: new VirtualClock().now, cursorKey: TEST_CURSOR_KEY };
      const roles = await accessOverviewSlice({}, deps);
      assert.equal((await rejection(accessOverviewSlice({ cursor: roles.cursor }, deps))).code, code);
    });
  }

  it('401 while reading roles answers KEY_INVALID on the first call', async () => {
    const request = new FakeRequest().script('listRoles', fail(401));
    assert.equal((await rejection(accessOverviewSlice({}, { request, storage: testStorage(new MemoryStore()), now: Date.now, cursorKey: TEST_CURSOR_KEY }))).code, 'KEY_INVALID');
  });

  it('stops with BAD_RESPONSE when a Link loops back to an earlier page, instead of spinning', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', ok({ agents: [agent(1)] }, linkToPage(2)), ok({ agents: [agent(2)] }, linkToPage(1)));
    const clock = new VirtualClock();
    const error = await rejection(runOverview(request, new MemoryStore(), clock, { maxCalls: 20 }));
    assert.equal(error.code, 'BAD_RESPONSE');
    assert.match(error.message, /page 2 links back to page 1/);
    assert.equal(request.calls.length, 3);
  });

  it('ends when a page comes back empty even if it links onwards', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', ok({ agents: [agent(1)] }, linkToPage(2)), ok({ agents: [] }, linkToPage(3)));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    assert.equal(allAgents(run.slices).length, 1);
    assert.equal(request.calls.length, 3);
  });

  it('reads deactivated agents only when asked, after the active ones', async () => {
    const account = new FakeAccount({ agents: 230, deactivatedEvery: 10 });
    const withoutRequest = account.request();
    const without = await runOverview(withoutRequest, new MemoryStore(), new VirtualClock());
    assert.equal(allAgents(without.slices).length, 207);
    assert.ok(withoutRequest.callsTo('listAgents').every((call) => call.context.active === true));

    const withRequest = account.request();
    const including = await runOverview(withRequest, new MemoryStore(), new VirtualClock(), { includeDeactivated: true });
    assert.deepEqual(withRequest.callsTo('listAgents').map((call) => [call.context.page, call.context.active]), [[1, true], [2, true], [3, true], [1, false]]);
    assert.deepEqual(including.slices.at(-1)?.summary, { agents: 230, accountAdmins: 6, lackingAccountAdmin: 201, deactivated: 23 });
    assert.equal(allAgents(including.slices).filter((a) => !a.active).length, 23);
  });

  it('still lists agents when the account has no Account Admin role, and says so with accountAdminRole null', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: [role(ROLE_IDS.admin, 'Admin', true), role(ROLE_IDS.accountAdminCustom, 'Account Admin', false)] }))
      .script('listAgents', ok({ agents: [agent(1, { roles: [assignment(ROLE_IDS.accountAdminCustom)] }), agent(2)] }));
    const store = new MemoryStore();
    const run = await runOverview(request, store, new VirtualClock());
    assert.ok(run.slices.every((slice) => slice.accountAdminRole === null));
    assert.deepEqual(allAgents(run.slices).map((a) => a.isAccountAdmin), [false, false]);
    assert.equal((await headOf(store)).accountAdmins, null);
  });

  it('handles agent ids above 2^31 and null names end to end', async () => {
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', ok({ agents: [agent(21000049726, { first_name: null, last_name: null, roles: [assignment(ROLE_IDS.accountAdmin, 'entire_helpdesk', 21000000007)] })] }));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    const [only] = allAgents(run.slices);
    assert.equal(only?.id, 21000049726);
    assert.equal(only?.name, 'agent21000049726@acme.example');
    assert.equal(only?.isAccountAdmin, true);
    assert.equal(only?.roles[0]?.workspaceId, 21000000007);
  });

  it('refuses a tampered or foreign cursor with INVALID_PAYLOAD naming the cursor', async () => {
    const deps = { request: new FakeRequest(), storage: testStorage(new MemoryStore()), now: Date.now, cursorKey: TEST_CURSOR_KEY };
    for (const cursor of ['not json', '{"version":1,"phase":"roles"}', JSON.stringify({ version: 2 })]) {
      const error = await rejection(accessOverviewSlice({ cursor }, deps));
      assert.equal(error.code, 'INVALID_PAYLOAD');
      assert.equal(error.status, 400);
      assert.match(error.message, /"cursor"/);
    }
  });
});

describe('access overview: response size', () => {
  function longAgent(index: number, roleIds: number[]) {
    return agent(21000000000 + index, {
      first_name: `Maximilian-Alexander ${'Wolfeschlegelsteinhausen'.slice(0, 20)} ${index}`,
      last_name: `Bergerdorff-Montgomery-Featherstonehaugh ${index}`,
      email: `maximilian.alexander.bergerdorff-montgomery.${index}@a-rather-long-subdomain.example-enterprise.com`,
      roles: roleIds.map((id, n) => assignment(id, n % 2 ? 'specified_groups' : 'entire_helpdesk', n % 3 ? 21000000000 + n : undefined)),
    });
  }

  function rolesWithLongNames(count: number) {
    return [...standardRoles(), ...Array.from({ length: count }, (_unused, n) => role(21000170000 + n, `Regional Service Desk Supervisor (EMEA, Tier ${n})`, false))];
  }

  it('a typical 100-agent page (names, email, two or three roles) fits in one slice far under 100 KB', async () => {
    const account = new FakeAccount({ agents: 100 });
    const run = await runOverview(account.request(), new MemoryStore(), new VirtualClock());
    const largest = Math.max(...run.slices.map(jsonBytes));
    assert.equal(run.slices.length, 2);
    assert.equal(run.slices[1]?.agents.length, 100);
    assert.ok(largest <= 50_000, `largest slice ${largest} bytes`);
  });

  it('splits a page of long names and many roles (about 93 KB as one) across slices under the budget, every agent once', async () => {
    const roles = rolesWithLongNames(4);
    const ids = [ROLE_IDS.sdAgent, 21000170000, 21000170001, 21000170002];
    const page = Array.from({ length: 100 }, (_unused, i) => longAgent(i, i % 40 === 0 ? [ROLE_IDS.accountAdmin, ...ids] : ids));
    const request = new FakeRequest().script('listRoles', ok({ roles })).respond('listAgents', () => ok({ agents: page }));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    const sizes = run.slices.map(jsonBytes);
    assert.equal(run.slices.length, 3, 'the page is split once');
    assert.ok(jsonBytes(allAgents(run.slices)) > 90_000, 'as one slice the page would be over 90 KB');
    assert.ok(Math.max(...sizes) <= SLICE_BUDGET_BYTES, `largest slice ${Math.max(...sizes)} bytes`);
    assert.deepEqual(allAgents(run.slices).map((a) => a.id), page.map((a) => a.id));
    assert.ok(request.callsTo('listAgents').every((call) => call.context.page === 1));
    assert.equal(run.slices.at(-1)?.summary.accountAdmins, 3);
  });

  it('counts every Account Admin it reads in the summary, however many', async () => {
    const admins = Array.from({ length: 30 }, (_unused, i) => agent(100 + i, { roles: [assignment(ROLE_IDS.accountAdmin)] }));
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: admins }));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    assert.equal(run.slices.at(-1)?.summary.accountAdmins, 30);
  });
});

describe('access overview: pages that shift while the account is read', () => {
  it('answers an agent pushed onto the next page (an agent added before it) once, and counts each agent once', async () => {
    // Page 1 holds agents 1..3 when read; then agent 0 is added at the top, so page 2 starts with agent 3 again.
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', ok({ agents: [agent(1), agent(2), agent(3)] }, linkToPage(2)), ok({ agents: [agent(3), agent(4), agent(5)] }));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    const ids = run.slices.flatMap((slice) => slice.agents.map((answered) => answered.id));
    assert.deepEqual(ids, [1, 2, 3, 4, 5]);
    assert.equal(run.slices.at(-1)?.summary.agents, 5);
    assert.equal(run.slices.at(-1)?.summary.lackingAccountAdmin, 5);
  });

  it('answers each agent of a page split across slices once, by id, even when the page shifted between the two reads', async () => {
    const big = (from: number): Record<string, unknown>[] => Array.from({ length: 100 }, (_unused, i) => agent(from + i, { first_name: 'N'.repeat(400), job_title: 'x' }));
    const first = big(1000);
    // Read again for its second slice, the page now starts one agent later (one was removed above it) and ends with a new one.
    const shifted = [...first.slice(1), agent(5000)];
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: first }), ok({ agents: shifted }), ok({ agents: shifted }), ok({ agents: shifted }));
    const run = await runOverview(request, new MemoryStore(), new VirtualClock());
    const ids = run.slices.flatMap((slice) => slice.agents.map((answered) => answered.id));
    assert.ok(request.callsTo('listAgents').length >= 2, 'the page was split across slices');
    assert.equal(new Set(ids).size, ids.length, 'nobody answered twice');
    assert.equal(run.slices.at(-1)?.summary.agents, ids.length);
    assert.ok(ids.includes(5000));
  });
});
