import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { ProfileAccess } from '#common/profile';
import { MAX_PAGES_PER_STEP, REFRESH_AFTER_MS } from '#server/admins/scan';
import { CHAINS, REFRESH_MINUTES, REFRESH_SCHEDULE } from '#server/admins/schedules';
import { FakeAccount } from '../audit/account';
import { busiestMinute } from '../audit/run';
import { FakeRequest, fail } from '../fakes/request';
import { TEST_IPARAMS, headOf } from '../fakes/storage';
import { ROLE_IDS, agent, assignment } from '../freshservice/fixtures';
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from './installation';
import { viewing } from '../ledger/fixtures';
import { VirtualInstallation } from './virtual-installation';

describe('background events: the Account Admins list without scans in views', () => {
  // The handlers log failures and skipped payloads by code only; keep the test output readable.
  beforeEach(() => {
    stub(console, 'warn');
    stub(console, 'error');
  });
  afterEach(() => restore());

  it('on install creates the recurring refresh and, for a small account, completes the list in the install call itself', async () => {
    const account = new FakeAccount({ agents: 450 });
    const installation = new VirtualInstallation(account.request());
    await installation.install();
    assert.equal(installation.replies.length, 1, 'renderData once');
    assert.deepEqual(installation.replies[0], [null]);
    const refresh = installation.schedule.created.find((created) => created.name === REFRESH_SCHEDULE);
    assert.deepEqual(refresh?.repeat, { time_unit: 'minutes', frequency: REFRESH_MINUTES });
    assert.equal(installation.schedule.created.length, 1, 'no chained steps needed');
    const head = await headOf(installation.store);
    assert.equal(head.accountAdmins?.complete, true);
    assert.equal(head.accountAdmins?.admins.length, 12);
  });

  it('reads a large account in chained steps, keeping inside 40 template requests a minute, until the list is complete', async () => {
    const account = new FakeAccount({ agents: 10_000, accountAdminEvery: 2_000 });
    const installation = new VirtualInstallation(account.request());
    await installation.install();
    const started = installation.clock.time;
    assert.equal(installation.schedule.created.filter((created) => created.data['task'] === 'scan').length, CHAINS);
    let head = await headOf(installation.store);
    assert.equal(head.scan?.done, false);
    assert.equal(head.accountAdmins?.complete, false, 'incomplete until the scan ends');
    assert.ok((head.accountAdmins?.admins.length ?? 0) > 0, 'but what the first step found is listed already (agent 0 holds Account Admin)');
    for (let minutes = 0; minutes < 120 && !(await headOf(installation.store)).scan?.done; minutes += 1) {
      await installation.runUntil(installation.clock.time + 60_000);
    }
    head = await headOf(installation.store);
    assert.equal(head.scan?.done, true);
    assert.equal(head.accountAdmins?.complete, true);
    assert.equal(head.accountAdmins?.admins.length, 5);
    const minutes = (head.scan.steppedAt - started) / 60_000;
    console.log(`      (measured: 10,000 agents complete ${minutes.toFixed(1)} minutes after install, busiest minute ${busiestMinute(installation.requestTimes)} template requests)`);
    assert.ok(minutes < 30, `${minutes} minutes`);
    assert.ok(busiestMinute(installation.requestTimes) <= 40);
    assert.ok(installation.requestTimes.length <= 100 + 100 / MAX_PAGES_PER_STEP + 10, 'each page read about once');
  });

  it('the refresh steps a scan whose chained steps stopped, and starts a new one when the list is a day old', async () => {
    const account = new FakeAccount({ agents: 2_000, accountAdminEvery: 500 });
    const installation = new VirtualInstallation(account.request());
    await installation.install();
    // The chained steps are lost (say the platform dropped them): only the recurring refresh remains.
    for (const waiting of installation.schedule.waiting.filter((scheduled) => scheduled.name !== REFRESH_SCHEDULE)) {
      await installation.schedule.delete({ name: waiting.name });
    }
    await installation.runUntil(installation.clock.time + 60 * 60_000);
    const done = await headOf(installation.store);
    assert.equal(done.accountAdmins?.complete, true);
    const generation = done.scan?.generation;
    await installation.runUntil(installation.clock.time + REFRESH_AFTER_MS);
    const refreshed = await headOf(installation.store);
    assert.notEqual(refreshed.scan?.generation, generation, 'a new scan after 20 hours');
    assert.equal(refreshed.accountAdmins?.complete, true, 'the list stays complete while it is refreshed');
  });

  it('never fails the platform\'s call: a failing Freshservice still lets the installation complete', async () => {
    const installation = new VirtualInstallation(new FakeRequest().respond('listRoles', () => fail(401)));
    await installation.install();
    assert.deepEqual(installation.replies, [[null]]);
    await installation.handlers.onScheduledEvent({ data: { task: 'unknown' }, iparams: TEST_IPARAMS }, installation.platform());
    assert.deepEqual(installation.replies, [[null], [null]]);
  });

  it('the whole cycle through the shipped server.js: install, first scan, a change in Freshservice, its event, and the sidebar names the new Account Admin (at most 2 template requests a view)', async () => {
    const agents = accountAgents();
    const installation = new Installation({ agents });
    assert.equal((await installation.install()).error, null);
    let view = await installation.ok<ProfileAccess>('getProfileAccess', viewing(RAHUL, CHLOE));
    assert.deepEqual(view.accountAdmins?.accountAdmins.map((admin) => admin.id).sort(), [ANA, BJORN]);
    assert.equal(view.accountAdmins?.complete, true);

    // Chloé is made Account Admin in Freshservice, which sends onUserUpdate.
    agents[CHLOE] = agent(CHLOE, { first_name: 'Chloé', primary_email: 'chloe@acme.example', roles: [assignment(ROLE_IDS.accountAdmin), assignment(ROLE_IDS.admin)] });
    const user = { id: CHLOE, first_name: 'Chloé', primary_email: `agent${CHLOE}@acme.example`, active: true, license_type: 'it_agent', agent_access: { account_wide_access: { account_wide_roles: [{ id: ROLE_IDS.accountAdmin }, { id: ROLE_IDS.admin }] }, workspace_access: null } };
    assert.equal((await installation.call('onUserUpdate', { data: { user, changes: {} } })).error, null);

    const before = installation.request.calls.length;
    view = await installation.ok<ProfileAccess>('getProfileAccess', viewing(RAHUL, BJORN));
    assert.deepEqual(view.accountAdmins?.accountAdmins.map((admin) => admin.id).sort(), [ANA, BJORN, CHLOE]);
    assert.ok(installation.request.calls.length - before <= 2);

    // Ana is deactivated: onUserUpdate again, and she is no longer named.
    assert.equal((await installation.call('onUserUpdate', { data: { user: { id: ANA, active: false } } })).error, null);
    view = await installation.ok<ProfileAccess>('getProfileAccess', viewing(RAHUL, CHLOE));
    assert.deepEqual(view.accountAdmins?.accountAdmins.map((admin) => admin.id).sort(), [BJORN, CHLOE]);
  });
});
