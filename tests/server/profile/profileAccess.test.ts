import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { AppError } from '../../../server/src/errors';
import { ACCOUNT_SNAPSHOT_KEY } from '../../../server/src/freshservice/accountSnapshot';
import { ApiKeyLedger } from '../../../server/src/ledger/api-key-ledger';
import { ledgerKeys } from '../../../server/src/ledger/limits';
import { fail, FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, role } from '../freshservice/fixtures';
import { ANA, BJORN, CHLOE, NOBODY, RAHUL, ProfileAccount, described, freshservice, ledgerFailing } from './account';

/** The $db reads of a view of an agent never recorded in the ledger, with a warm snapshot: 3 gets. */
function warmReads(viewedId: number): string[] {
  return [
    `get ${ACCOUNT_SNAPSHOT_KEY}`,
    `get ${ledgerKeys.head(viewedId)}`,
    `get ${ledgerKeys.version(viewedId, 1)}`,
  ].sort();
}

function agentIdsAsked(request: FakeRequest): number[] {
  return request.callsTo('getAgent').map((call) => Number(call.context['agent_id']));
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
    assert.deepEqual(request.names(), ['getAgent']);
    assert.deepEqual(agentIdsAsked(request), [NOBODY]);
    assert.deepEqual(operations, []);
    assert.deepEqual(answer, {
      viewed: { kind: 'requester', agent: null, accountAdminRole: null, permissionsPath: null },
      viewer: null,
      accountAdmins: null,
      apiKey: null,
      apiKeyError: null,
      pendingRequests: null,
      declineNote: null,
    });
  });

  it('on an agent\'s own page costs one template request and three $db reads (the viewer is the viewed agent)', async () => {
    const { answer, request, operations } = await account.view(CHLOE, CHLOE);
    assert.deepEqual(request.names(), ['getAgent']);
    assert.deepEqual(described(operations), warmReads(CHLOE));
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
    assert.deepEqual(request.names(), ['getAgent']);
    assert.deepEqual(described(operations), [...warmReads(RAHUL), `get ${ledgerKeys.summary}`].sort(), 'plus the pending count, for an Account Admin');
    assert.deepEqual(answer.viewer, { id: BJORN, isAccountAdmin: true, holdsAdminRole: true });
    assert.deepEqual(answer.accountAdmins?.accountAdmins.map((admin) => admin.id), [ANA, BJORN]);
    assert.equal(answer.accountAdmins?.complete, true);
    assert.equal(typeof answer.accountAdmins?.recordedAt, 'string');
  });

  it('reads an Admin viewer once to tell them from an Account Admin: no extra $db operation', async () => {
    const { answer, request, operations } = await account.view(RAHUL, CHLOE);
    assert.deepEqual(agentIdsAsked(request), [RAHUL, CHLOE]);
    assert.deepEqual(request.names(), ['getAgent', 'getAgent']);
    assert.deepEqual(described(operations), warmReads(RAHUL));
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
  });

  it('reads a plain agent viewer once too', async () => {
    const { answer, request, operations } = await account.view(CHLOE, RAHUL);
    assert.deepEqual(agentIdsAsked(request), [CHLOE, RAHUL]);
    assert.deepEqual(described(operations), warmReads(CHLOE));
    assert.deepEqual(answer.viewer, { id: RAHUL, isAccountAdmin: false, holdsAdminRole: false });
  });

  it('gives a viewer id that is no agent\'s the plain agent\'s guidance', async () => {
    const { answer, request, operations } = await account.view(CHLOE, NOBODY);
    assert.deepEqual(agentIdsAsked(request), [CHLOE, NOBODY]);
    assert.deepEqual(described(operations), warmReads(CHLOE));
    assert.deepEqual(answer.viewer, { id: NOBODY, isAccountAdmin: false, holdsAdminRole: false });
    assert.equal(answer.viewed.agent?.id, CHLOE);
  });

  it('with the snapshot\'s roles older than 300 s reads them from Freshservice and updates only that part (one more request, one more $db operation)', async () => {
    account.later(301);
    const cold = await account.view(RAHUL, ANA);
    assert.deepEqual(cold.request.names(), ['getAgent', 'listRoles']);
    assert.deepEqual(described(cold.operations), [...warmReads(RAHUL), `update ${ACCOUNT_SNAPSHOT_KEY}`, `get ${ledgerKeys.summary}`].sort());
    assert.ok(account.store.snapshot()[ACCOUNT_SNAPSHOT_KEY]?.['accountAdmins'], 'the roles write left the Account Admins part');
    assert.equal(cold.answer.viewer?.isAccountAdmin, true);

    const warm = await account.view(RAHUL, ANA);
    assert.deepEqual(warm.request.names(), ['getAgent']);
    assert.deepEqual(described(warm.operations), [...warmReads(RAHUL), `get ${ledgerKeys.summary}`].sort());
  });

  it('without a recorded Account Admins list scans the agents once and records them', async () => {
    const fresh = new ProfileAccount();
    const first = await fresh.view(RAHUL, CHLOE);
    assert.deepEqual(first.request.names(), ['getAgent', 'listRoles', 'listAgents', 'getAgent']);
    assert.equal(first.answer.accountAdmins?.recordedAt, null);
    assert.deepEqual(first.answer.accountAdmins?.accountAdmins.map((admin) => admin.id), [ANA, BJORN]);
    assert.deepEqual(
      described(first.operations),
      // The key does not exist yet: the roles' update answers 404 and creates it; the Account Admins then update it.
      [...warmReads(RAHUL), `update ${ACCOUNT_SNAPSHOT_KEY}`, `set ${ACCOUNT_SNAPSHOT_KEY}`, `update ${ACCOUNT_SNAPSHOT_KEY}`].sort(),
    );
    const second = await fresh.view(RAHUL, CHLOE);
    assert.deepEqual(second.request.names(), ['getAgent', 'getAgent']);
    assert.deepEqual(described(second.operations), warmReads(RAHUL));
  });

  it('answers the ledger\'s record of the agent with its usual two reads', async () => {
    await new ApiKeyLedger(account.store).apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, note: 'asset import' });
    const { answer, operations } = await account.view(RAHUL, ANA);
    assert.equal(answer.apiKey?.state, 'requested');
    assert.equal(answer.apiKey?.reason, 'asset import');
    assert.deepEqual(
      described(operations),
      [`get ${ACCOUNT_SNAPSHOT_KEY}`, `get ${ledgerKeys.head(RAHUL)}`, `get ${ledgerKeys.version(RAHUL, 2)}`, `get ${ledgerKeys.summary}`].sort(),
    );
  });

  it('tells a declined agent, on their own page only, the reason the Account Admin gave', async () => {
    const ledger = new ApiKeyLedger(account.store);
    await ledger.apply({ action: 'requested', actor: { id: RAHUL, name: 'Rahul' }, target: { id: RAHUL, name: 'Rahul' }, note: 'reports' });
    await ledger.apply({ action: 'declined', actor: { id: ANA, name: 'Ana' }, target: { id: RAHUL, name: 'Rahul' }, note: 'Use the reporting service account' });
    const own = await account.view(RAHUL, RAHUL);
    assert.equal(own.answer.apiKey?.state, 'declined');
    assert.equal(own.answer.declineNote, 'Use the reporting service account');
    const someoneElse = await account.view(RAHUL, CHLOE);
    assert.equal(someoneElse.answer.declineNote, null);
    assert.ok(!described(someoneElse.operations).some((operation) => operation.includes('akey:t:')), 'no trail read for anyone else');

    account.later(61); // the store's 50 operations a minute
    await ledger.apply({ action: 'requested', actor: { id: CHLOE, name: 'Chloé' }, target: { id: CHLOE, name: 'Chloé' }, note: 'import' });
    await ledger.apply({ action: 'declined', actor: { id: ANA, name: 'Ana' }, target: { id: CHLOE, name: 'Chloé' }, note: null });
    assert.equal((await account.view(CHLOE, CHLOE)).answer.declineNote, null, 'declined without a reason');
  });

  it('tells an Account Admin viewer how many requests are waiting, and nobody else (no extra read)', async () => {
    const ledger = new ApiKeyLedger(account.store);
    for (const [id, name] of [[RAHUL, 'Rahul'], [CHLOE, 'Chloé']] as const) {
      await ledger.apply({ action: 'requested', actor: { id, name }, target: { id, name }, note: 'reports' });
    }
    await ledger.apply({ action: 'declined', actor: { id: ANA, name: 'Ana' }, target: { id: CHLOE, name: 'Chloé' }, note: null });
    const forAccountAdmin = await account.view(CHLOE, ANA);
    assert.equal(forAccountAdmin.answer.pendingRequests, 1, 'Rahul waits; Chloé was declined');
    assert.ok(described(forAccountAdmin.operations).includes(`get ${ledgerKeys.summary}`));

    for (const viewer of [CHLOE, RAHUL]) {
      const forAgent = await account.view(RAHUL, viewer);
      assert.equal(forAgent.answer.pendingRequests, null);
      assert.ok(!described(forAgent.operations).includes(`get ${ledgerKeys.summary}`), 'no read for a viewer who cannot act on requests');
    }
    const unreadable = await account.view(RAHUL, ANA, { store: ledgerFailing(account.store) });
    assert.equal(unreadable.answer.pendingRequests, null, 'null, not 0, when the ledger cannot be read');
    assert.equal(unreadable.answer.viewer?.isAccountAdmin, true);
  });

  it('still answers the Freshservice facts when the ledger cannot be read', async () => {
    const { answer, request, operations } = await account.view(RAHUL, CHLOE, { store: ledgerFailing(account.store) });
    assert.equal(answer.apiKey, null);
    assert.equal(answer.apiKeyError?.code, 'STORE_UNAVAILABLE');
    assert.equal(answer.apiKeyError?.status, 507);
    assert.match(answer.apiKeyError?.message ?? '', /storage is busy/);
    assert.equal(answer.viewed.agent?.id, RAHUL);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
    assert.deepEqual(answer.accountAdmins?.accountAdmins.map((admin) => admin.id), [ANA, BJORN]);
    assert.deepEqual(request.names(), ['getAgent', 'getAgent']);
    assert.deepEqual(described(operations), [`get ${ACCOUNT_SNAPSHOT_KEY}`]);
  });

  it('answers an empty, complete list (not an error) when the account has no "Account Admin" role, without a scan', async () => {
    const request = freshservice([role(ROLE_IDS.admin, 'Admin', true)]);
    account.later(301);
    const { answer, operations } = await account.view(RAHUL, CHLOE, { request });
    assert.deepEqual(answer.accountAdmins, { accountAdminRole: null, accountAdmins: [], complete: true, recordedAt: null });
    assert.equal(answer.viewed.accountAdminRole, null);
    assert.deepEqual(answer.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
    assert.deepEqual(request.callsTo('listAgents'), []);
    assert.deepEqual(described(operations), [...warmReads(RAHUL), `update ${ACCOUNT_SNAPSHOT_KEY}`].sort());
  });

  it('fails as a whole, before any $db operation, when the viewed agent cannot be read', async () => {
    const request = new FakeRequest().script('getAgent', fail(401));
    await assert.rejects(account.view(RAHUL, ANA, { request }), (error: unknown) => error instanceof AppError && error.code === 'KEY_INVALID');
    assert.deepEqual(request.names(), ['getAgent']);
  });

  it('fails as a whole when the viewer cannot be read (the guidance would be a guess)', async () => {
    const request = freshservice();
    request.script('getAgent', ok({ agent: { id: RAHUL, email: 'r@acme.example', active: true, roles: [] } }), fail(429, {}, { 'Retry-After': '20' }));
    await assert.rejects(account.view(RAHUL, CHLOE, { request }), (error: unknown) => error instanceof AppError && error.code === 'RATE_LIMITED');
  });
});
