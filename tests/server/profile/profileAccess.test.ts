import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { AppError } from '#server/errors';
import { ApiKeyLedger } from '#server/ledger/api-key-ledger';
import { eventName } from '#server/ledger/schemas';
import { fail, FakeRequest, ok } from '../fakes/request';
import { startScan } from '#server/admins/scan';
import { headOf, keyOf, testStorage } from '../fakes/storage';
import { ROLE_IDS, emailOf, role } from '../freshservice/fixtures';
import { ANA, BJORN, CHLOE, NOBODY, RAHUL, ProfileAccount, described, freshservice, ledgerFailing } from './account';

const HEAD = keyOf('head');

/** The $db reads of a view of an agent never recorded in the ledger, with a warm head: 1 get. */
const WARM_READS = [`get ${HEAD}`];
/** The people mark a view writes when the last one is a minute old (the background scan gives way). */
const PEOPLE_MARK = `update ${HEAD}`;

/** Whom the view looked up, by the id in the email it searched for (`agent<id>@acme.example`). */
function agentIdsAsked(request: FakeRequest): number[] {
  return request.callsTo('findAgentByEmail').map((call) => Number(/^agent(\d+)@/.exec(String(call.context['email']))?.[1]));
}

describe('getProfileAccess: what one sidebar view costs', () => {
  let account: ProfileAccount;
  beforeEach(async () => {
    stub(console, 'warn');
    account = new ProfileAccount();
    await account.warm();
  });
  afterEach(() => restore());

  it('answers a requester after one template request and no $db operation', async () => {
    const { answer, request, operations } = await account.view(NOBODY, ANA);
    assert.deepEqual(request.names(), ['findAgentByEmail']);
    assert.deepEqual(agentIdsAsked(request), [NOBODY]);
    assert.deepEqual(operations, []);
    assert.deepEqual(answer, {
      viewed: { kind: 'requester', agent: null, accountAdminRole: null, permissionsPath: null },
      viewer: null,
      accountAdmins: null,
      apiKey: null,
      apiKeyError: null,
      pendingRequests: null,
      pendingRequestsPartial: false,
      recordedAsViewer: null,
    });
  });

  it('on an agent\'s own page costs one template request and one $db read (the viewer is the viewed agent)', async () => {
    const { answer, request, operations } = await account.view(CHLOE, CHLOE);
    assert.deepEqual(request.names(), ['findAgentByEmail']);
    assert.deepEqual(described(operations), WARM_READS);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
    assert.equal(answer.viewed.kind, 'agent');
    assert.equal(answer.viewed.agent?.name, 'Chloé');
    assert.equal(answer.viewed.permissionsPath, `/agents/${CHLOE}/edit`);
    assert.equal(answer.viewed.accountAdminRole?.id, ROLE_IDS.accountAdmin);
    assert.equal(answer.apiKey?.state, 'none');
    assert.equal(answer.apiKeyError, null);
  });

  it('knows an Account Admin viewer from the recorded list: no read of the viewer', async () => {
    const { answer, request, operations } = await account.view(RAHUL, BJORN);
    assert.deepEqual(agentIdsAsked(request), [RAHUL]);
    assert.deepEqual(request.names(), ['findAgentByEmail']);
    assert.deepEqual(described(operations), WARM_READS);
    assert.deepEqual(answer.viewer, { id: BJORN, isAccountAdmin: true, holdsAdminRole: true });
    assert.deepEqual(answer.accountAdmins?.accountAdmins.map((admin) => admin.id), [ANA, BJORN]);
    assert.equal(answer.accountAdmins?.complete, true);
    assert.equal(typeof answer.accountAdmins?.recordedAt, 'string');
  });

  it('reads an Admin viewer once to tell them from an Account Admin: no extra $db operation', async () => {
    const { answer, request, operations } = await account.view(RAHUL, CHLOE);
    assert.deepEqual(agentIdsAsked(request), [RAHUL, CHLOE]);
    assert.deepEqual(request.names(), ['findAgentByEmail', 'findAgentByEmail']);
    assert.deepEqual(described(operations), WARM_READS);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
  });

  it('reads a plain agent viewer once too', async () => {
    const { answer, request, operations } = await account.view(CHLOE, RAHUL);
    assert.deepEqual(agentIdsAsked(request), [CHLOE, RAHUL]);
    assert.deepEqual(described(operations), WARM_READS);
    assert.deepEqual(answer.viewer, { id: RAHUL, isAccountAdmin: false, holdsAdminRole: false });
  });

  it('gives a viewer id that is no agent\'s the plain agent\'s guidance', async () => {
    const { answer, request, operations } = await account.view(CHLOE, NOBODY);
    assert.deepEqual(agentIdsAsked(request), [CHLOE, NOBODY]);
    assert.deepEqual(described(operations), WARM_READS);
    assert.deepEqual(answer.viewer, { id: NOBODY, isAccountAdmin: false, holdsAdminRole: false });
    assert.equal(answer.viewed.agent?.id, CHLOE);
  });

  it('with the head\'s roles older than an hour (the background refresh stopped) reads them from Freshservice and updates only them', async () => {
    account.later(3601);
    const cold = await account.view(RAHUL, ANA);
    assert.deepEqual(cold.request.names(), ['findAgentByEmail', 'listRoles']);
    assert.deepEqual(described(cold.operations), [...WARM_READS, PEOPLE_MARK, `update ${HEAD}`].sort());
    assert.ok((await headOf(account.store)).accountAdmins, 'the roles write left the Account Admins');
    assert.equal(cold.answer.viewer?.isAccountAdmin, true);

    const warm = await account.view(RAHUL, ANA);
    assert.deepEqual(warm.request.names(), ['findAgentByEmail']);
    assert.deepEqual(described(warm.operations), WARM_READS);
  });

  it('never scans in a view: with nothing recorded it answers an empty, incomplete list and reads no list of agents', async () => {
    const fresh = new ProfileAccount();
    const first = await fresh.view(RAHUL, CHLOE);
    assert.deepEqual(first.request.names(), ['findAgentByEmail', 'listRoles', 'findAgentByEmail']);
    assert.deepEqual(first.answer.accountAdmins?.accountAdmins, []);
    assert.equal(first.answer.accountAdmins?.complete, false);
    assert.equal(first.answer.accountAdmins?.scanning, false);
    // The head does not exist yet: the people mark's update answers 404 and creates it; then the roles' update.
    assert.deepEqual(described(first.operations), [...WARM_READS, PEOPLE_MARK, `set ${HEAD}`, `update ${HEAD}`].sort());
    const second = await fresh.view(RAHUL, CHLOE);
    assert.deepEqual(second.request.names(), ['findAgentByEmail', 'findAgentByEmail'], 'at most the viewed agent and the viewer');
    assert.deepEqual(described(second.operations), WARM_READS);
  });

  it('while the background scan runs, says so and names the Account Admins found so far', async () => {
    const fresh = new ProfileAccount();
    await startScan({ request: freshservice(), storage: testStorage(fresh.store), now: () => fresh.time });
    const { answer } = await fresh.view(RAHUL, CHLOE);
    assert.equal(answer.accountAdmins?.scanning, true);
    assert.equal(answer.accountAdmins?.complete, false);
  });

  it('answers the ledger\'s record of the agent with one more read, and an Account Admin the number of waiting requests', async () => {
    await new ApiKeyLedger(testStorage(account.store)).apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, note: 'asset import' });
    const { answer, operations } = await account.view(RAHUL, ANA);
    assert.equal(answer.apiKey?.state, 'requested');
    assert.equal(answer.apiKey?.reason, 'asset import');
    assert.equal(answer.pendingRequests, 1);
    assert.deepEqual(described(operations), [`get ${HEAD}`, `get ${keyOf(eventName(RAHUL, 1))}`].sort());
    assert.equal((await account.view(CHLOE, CHLOE)).answer.pendingRequests, null, 'only an Account Admin is told');
  });

  it('still answers the Freshservice facts when the ledger cannot be read', async () => {
    await new ApiKeyLedger(testStorage(account.store)).apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, note: 'asset import' });
    const { answer, request, operations } = await account.view(RAHUL, CHLOE, { store: ledgerFailing(account.store) });
    assert.equal(answer.apiKey, null);
    assert.equal(answer.apiKeyError?.code, 'STORE_UNAVAILABLE');
    assert.equal(answer.apiKeyError?.status, 507);
    assert.match(answer.apiKeyError?.message ?? '', /own storage is busy/);
    assert.equal(answer.viewed.agent?.id, RAHUL);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
    assert.deepEqual(answer.accountAdmins?.accountAdmins.map((admin) => admin.id), [ANA, BJORN]);
    assert.deepEqual(request.names(), ['findAgentByEmail', 'findAgentByEmail']);
    assert.deepEqual(described(operations), [`get ${HEAD}`]);
  });

  it('still answers the Freshservice facts when the store refuses even the head: roles from Freshservice, no write tried', async () => {
    const refusing = { get: () => Promise.reject({ status: 429, message: 'Rate limit exceeded' }), set: () => Promise.reject({ status: 429 }), update: () => Promise.reject({ status: 429 }), delete: () => Promise.reject({ status: 429 }) };
    const { answer, request } = await account.view(RAHUL, CHLOE, { store: refusing });
    assert.equal(answer.apiKeyError?.status, 507);
    assert.equal(answer.apiKeyError?.retryAfterSeconds, 60);
    assert.equal(answer.viewed.agent?.id, RAHUL);
    assert.ok(request.names().includes('listRoles'));
  });

  it('answers an empty, complete list (not an error) when the account has no "Account Admin" role, without a scan', async () => {
    const request = freshservice([role(ROLE_IDS.admin, 'Admin', true)]);
    account.later(3601);
    const { answer, operations } = await account.view(RAHUL, CHLOE, { request });
    assert.deepEqual(answer.accountAdmins, { accountAdminRole: null, accountAdmins: [], complete: true, recordedAt: null });
    assert.equal(answer.viewed.accountAdminRole, null);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
    assert.deepEqual(request.callsTo('listAgents'), []);
    assert.deepEqual(described(operations), [...WARM_READS, PEOPLE_MARK, `update ${HEAD}`].sort());
  });

  it('marks that people use the app, at most once a minute (one $db write), so the background scan gives way; a requester\'s page marks nothing', async () => {
    account.later(61);
    const first = await account.view(RAHUL, ANA);
    assert.deepEqual(described(first.operations), [...WARM_READS, PEOPLE_MARK].sort());
    assert.equal((await headOf(account.store)).marks.people, account.time);
    account.later(59);
    const second = await account.view(CHLOE, ANA);
    assert.deepEqual(described(second.operations), WARM_READS, 'not again within the minute');
    account.later(120);
    assert.deepEqual((await account.view(NOBODY, ANA)).operations, []);
  });

  it('fails as a whole, before any $db operation, when the viewed agent cannot be read', async () => {
    const request = new FakeRequest().script('findAgentByEmail', fail(401));
    await assert.rejects(account.view(RAHUL, ANA, { request }), (error: unknown) => error instanceof AppError && error.code === 'KEY_INVALID');
    assert.deepEqual(request.names(), ['findAgentByEmail']);
  });

  it('never follows an email that belongs to another agent: the viewed page reads as a requester\'s, the viewer gets the plain guidance', async () => {
    const viewed = await account.view(RAHUL, CHLOE, { viewedEmail: emailOf(ANA) });
    assert.equal(viewed.answer.viewed.kind, 'requester');
    assert.deepEqual(viewed.operations, []);
    const viewer = await account.view(RAHUL, RAHUL + 1, { viewerEmail: emailOf(ANA) });
    assert.deepEqual(viewer.answer.viewer, { id: RAHUL + 1, isAccountAdmin: false, holdsAdminRole: false }, 'Ana\'s email does not make anyone else an Account Admin');
  });

  it('for the queue, which sends no email, looks the agent up by the email kept with their record (one more read)', async () => {
    const ledger = new ApiKeyLedger(testStorage(account.store));
    await ledger.apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, targetEmail: emailOf(RAHUL), note: 'asset import' });
    const { answer, request, operations } = await account.view(RAHUL, ANA, { viewedEmail: null });
    assert.deepEqual(agentIdsAsked(request), [RAHUL]);
    assert.equal(answer.viewed.agent?.id, RAHUL);
    assert.equal(answer.apiKey?.state, 'requested');
    assert.deepEqual(described(operations), [`get ${HEAD}`, `get ${keyOf(eventName(RAHUL, 1))}`].sort(), 'the event is read once, for the email and the record');
    await assert.rejects(account.view(CHLOE, ANA, { viewedEmail: null }), (error: unknown) => error instanceof AppError && error.code === 'NOT_FOUND' && /open the agent's profile page/.test(error.message));
  });

  it('shows an Account Admin, on their own page only, what was recorded in this app under their name', async () => {
    const ledger = new ApiKeyLedger(testStorage(account.store));
    await ledger.apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, note: 'asset import' });
    await new ApiKeyLedger(testStorage(account.store)).apply({ action: 'declined', actor: { id: ANA, name: 'Ana' }, target: { id: RAHUL, name: 'Rahul' }, note: 'Security review' });
    const own = await account.view(ANA, ANA);
    assert.deepEqual(own.answer.recordedAsViewer?.map((entry) => [entry.action, entry.target.id, entry.version]), [['declined', RAHUL, 2]]);
    assert.equal(own.operations.length, 2, 'the head and Ana\'s own key');
    assert.equal((await account.view(RAHUL, ANA)).answer.recordedAsViewer, null, 'not on someone else\'s page');
    assert.equal((await account.view(RAHUL, RAHUL)).answer.recordedAsViewer, null, 'not for someone who is no Account Admin');
  });

  it('fails as a whole when the viewer cannot be read (the guidance would be a guess)', async () => {
    const request = freshservice();
    request.script('findAgentByEmail', ok({ agents: [{ id: RAHUL, email: emailOf(RAHUL), active: true, roles: [] }] }), fail(429, {}, { 'Retry-After': '20' }));
    await assert.rejects(account.view(RAHUL, CHLOE, { request }), (error: unknown) => error instanceof AppError && error.code === 'RATE_LIMITED');
  });
});
