import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { everyScheduleReading, type ScheduleReadings } from '../../../dev/runtime/schedule-book';
import type { ProfileAccess } from '#common/profile';
import { MAX_PAGES_PER_STEP } from '#server/admins/pacing';
import { REFRESH_STALE_MS } from '#server/admins/presence';
import { REFRESH_AFTER_MS } from '#server/admins/scan';
import { CHAINS, REFRESH_MINUTES, REFRESH_SCHEDULE, chainName } from '#server/admins/schedules';
import { SCAN_REQUESTS_PER_MINUTE } from '#server/audit/pacing';
import { profileAccess } from '#server/profile/profileAccess';
import { FakeAccount } from '../audit/account';
import { busiestMinute } from '../audit/run';
import { FakeRequest, fail, platformFailure } from '../fakes/request';
import { TEST_IPARAMS, seedHead, testStorage } from '../fakes/storage';
import { ROLE_IDS, agent, assignment } from '../freshservice/fixtures';
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from './installation';
import { viewing } from '../ledger/fixtures';
import { VirtualInstallation, VirtualTime, type VirtualInstallationOptions } from './virtual-installation';

const MINUTE = 60_000;

function readingName(readings: ScheduleReadings): string {
  return `fired one-time schedules ${readings.firedOneTime}, deleting a missing one ${readings.deleteMissing === 'reject' ? 'refused' : 'answered as done'}`;
}

/** An installation of an account of `agents` (a handful of Account Admins), on a clock the account reads too. */
function installationOf(agents: number, options: VirtualInstallationOptions = {}): VirtualInstallation {
  const time = new VirtualTime();
  const account = new FakeAccount({ agents, accountAdminEvery: Math.max(1, Math.floor(agents / 5)), now: time.now });
  return new VirtualInstallation(account.request(), { time, ...options });
}

/** Runs minute by minute until the list is complete (at most `limit` minutes); answers the minutes it took. */
async function untilComplete(installation: VirtualInstallation, limit = 120): Promise<number> {
  const started = installation.time.now();
  for (let minute = 0; minute < limit; minute += 1) {
    const head = await installation.head();
    if (head.accountAdmins?.complete === true && head.scan?.done === true) {
      return (installation.time.now() - started) / MINUTE;
    }
    await installation.runUntil(installation.time.now() + MINUTE);
  }
  throw new Error(`the list was not complete after ${limit} minutes`);
}

function refusedCreates(installation: VirtualInstallation): string[] {
  return installation.scheduleLog.filter((line) => line.startsWith('schedule create') && / 4\d\d /.test(line));
}

function backgroundTimes(installation: VirtualInstallation): number[] {
  return installation.requests.filter((request) => request.actor === 'background').map((request) => request.at);
}

describe('background events: the Account Admins list without scans in views', () => {
  // The handlers log failures and skipped payloads by code only; keep the test output readable.
  beforeEach(() => {
    stub(console, 'warn');
    stub(console, 'error');
  });
  afterEach(() => restore());

  it('on install creates the recurring refresh and, for an account of one page, completes the list in the install call itself, arming no chain', async () => {
    const installation = installationOf(90);
    await installation.install();
    assert.deepEqual(installation.replies, [[null]], 'renderData once');
    const pending = installation.scheduler.waiting();
    assert.deepEqual(pending.map((schedule) => [schedule.name, schedule.recurring]), [[REFRESH_SCHEDULE, true]]);
    const head = await installation.head();
    assert.equal(head.accountAdmins?.complete, true);
    assert.equal(head.accountAdmins?.admins.length, 5);
    assert.notEqual(head.marks.refresh, null, 'the refresh marked as made');
  });

  it('keeps the install small: the refresh, then the roles and the first page at once, then the chains at once (2 requests in sequence, never more)', async () => {
    const installation = installationOf(5_000, { latencyMs: 2_000, scheduleLatencyMs: 50 });
    const took = await installation.install();
    assert.deepEqual(installation.requests.map((request) => request.at - installation.requests[0]!.at), [0, 0], 'the roles and the first page together');
    // refresh (delete + create), one round of requests, chains (delete + create, all at once)
    assert.equal(took, 2 * 50 + 2_000 + 2 * 50);
    assert.equal(installation.scheduler.waiting().filter((schedule) => !schedule.recurring).length, CHAINS);
  });

  for (const readings of everyScheduleReading()) {
    describe(readingName(readings), () => {
      it(`reads a large account in steps of at most ${MAX_PAGES_PER_STEP} pages, keeping to ${SCAN_REQUESTS_PER_MINUTE} template requests a minute and ${CHAINS} one-time schedules, until the list is complete`, async () => {
        const installation = installationOf(10_000, { latencyMs: 1_000, readings });
        await installation.install();
        const head = await installation.head();
        assert.equal(head.scan?.done, false);
        assert.equal(head.accountAdmins?.complete, false, 'incomplete until the scan ends');
        assert.ok((head.accountAdmins?.admins.length ?? 0) > 0, 'but what the first page held is listed already (agent 0 holds Account Admin)');
        let most = 0;
        for (let minute = 0; minute < 40 && !(await installation.head()).scan?.done; minute += 1) {
          await installation.runUntil(installation.time.now() + MINUTE);
          most = Math.max(most, installation.oneTimeSchedulesHeld());
        }
        const done = await installation.head();
        assert.equal(done.accountAdmins?.complete, true);
        assert.equal(done.accountAdmins?.admins.length, 5);
        assert.ok(busiestMinute(backgroundTimes(installation)) <= SCAN_REQUESTS_PER_MINUTE);
        assert.ok(most <= CHAINS, `${most} one-time schedules`);
        assert.deepEqual(refusedCreates(installation), [], 'every schedule arrived at least 5 minutes ahead, and never under a name in use');
        assert.ok(backgroundTimes(installation).length <= 101 + 1 + 2 * (CHAINS - 1), 'each page read about once');
      });

      it('holds at most a few one-time schedules however many scans and days go by', async () => {
        const installation = installationOf(2_000, { readings });
        await installation.install();
        let most = 0;
        for (let hour = 0; hour < 3 * 24; hour += 1) {
          await installation.runUntil(installation.time.now() + 60 * MINUTE);
          most = Math.max(most, installation.oneTimeSchedulesHeld());
        }
        assert.ok(most <= CHAINS, `${most}`);
        assert.ok(installation.eventDurations.filter((event) => event.name === 'onScheduledEvent').length > 3 * 24 * 6, 'the refresh ran all along');
        assert.deepEqual(refusedCreates(installation), []);
        const head = await installation.head();
        assert.ok(installation.time.now() - (head.scan?.generation ?? 0) < REFRESH_AFTER_MS + 11 * MINUTE, 'a new scan every 20 hours');
      });
    });
  }

  it('the refresh re-arms chains that were lost, and the scan goes on to the end', async () => {
    const installation = installationOf(20_000);
    await installation.install();
    for (let chain = 0; chain < CHAINS; chain += 2) {
      await installation.scheduler.delete({ name: chainName(chain) });
    }
    assert.equal(installation.scheduler.waiting().filter((schedule) => !schedule.recurring).length, CHAINS - 6);
    await installation.runUntil(installation.time.now() + (2 * REFRESH_MINUTES + 1) * MINUTE);
    assert.equal(installation.scheduler.waiting().filter((schedule) => !schedule.recurring).length, CHAINS, 'every chain armed again by the refresh');
    await untilComplete(installation);
  });

  it('an install whose first page Freshservice refuses (429) still ends with a complete list: the steps wait as told, then go on', async () => {
    const time = new VirtualTime();
    const account = new FakeAccount({ agents: 1_500, accountAdminEvery: 300, now: time.now });
    const request = account.request().script('listAgents', fail(429, { message: 'The API rate limit allotted for your Freshservice domain has been exhausted' }, { 'Retry-After': '30' }));
    const installation = new VirtualInstallation(request, { time });
    await installation.install();
    const head = await installation.head();
    assert.equal(head.scan?.pagesRead, 0);
    assert.equal(head.scan?.notBefore, (head.scan?.steppedAt ?? 0) + 30_000, 'Retry-After');
    assert.ok((await untilComplete(installation)) < 10);
  });

  it("an install whose first page the platform refuses (FDK's own 50 a minute) goes on the same way, waiting a minute", async () => {
    const time = new VirtualTime();
    const account = new FakeAccount({ agents: 700, accountAdminEvery: 100, now: time.now });
    const installation = new VirtualInstallation(account.request().script('listAgents', platformFailure(429, 'Rate limit exceeded')), { time });
    await installation.install();
    const head = await installation.head();
    assert.equal(head.scan?.notBefore, (head.scan?.steppedAt ?? 0) + MINUTE);
    assert.ok((await untilComplete(installation)) < 10);
  });

  it("slows down as Freshservice's X-RateLimit-Remaining runs low (a Starter account shared with other integrations), and still completes", async () => {
    const time = new VirtualTime();
    const account = new FakeAccount({ agents: 3_000, accountAdminEvery: 600, rateLimitPerMinute: 20, now: time.now });
    const installation = new VirtualInstallation(account.request(), { time });
    await installation.install();
    await installation.runUntil(installation.time.now() + 7 * MINUTE);
    const head = await installation.head();
    assert.ok((head.scan?.notBefore ?? 0) > (head.scan?.steppedAt ?? 0), 'a step that saw fewer than 10 remaining holds the scan');
    assert.ok(busiestMinute(backgroundTimes(installation)) <= 20, 'never more in a minute than Freshservice allows');
    assert.ok((await untilComplete(installation)) < 30);
  });

  it('gives way to people: after a view, the background keeps to 2 requests a minute until people have been gone 3 minutes', async () => {
    const installation = installationOf(20_000);
    await installation.install();
    await installation.runUntil(installation.time.now() + 8 * MINUTE);
    const viewsStart = installation.time.now();
    await installation.time.finish(installation.viewSidebars(2, 10, 21000000002, 21000000003));
    const during = installation.requests.filter((request) => request.actor === 'background' && request.at > viewsStart + MINUTE && request.at < viewsStart + 10 * MINUTE);
    assert.ok(busiestMinute(during.map((request) => request.at)) <= 2, `${busiestMinute(during.map((request) => request.at))}`);
    const before = backgroundTimes(installation).length;
    await installation.runUntil(installation.time.now() + 5 * MINUTE);
    assert.ok(backgroundTimes(installation).length - before > 20, 'full speed again once people left');
  });

  it('a console loading the account with ten sidebar views a minute beside the scan: never more than 50 template requests in a minute, nothing refused', async () => {
    const installation = installationOf(10_000, { latencyMs: 400 });
    await installation.install();
    await installation.runUntil(installation.time.now() + 7 * MINUTE);
    const people = Promise.all([installation.loadConsole(), installation.viewSidebars(10, 5, 21000000002, 21000000003)]);
    const [slices, failedViews] = await installation.time.finish(people);
    assert.equal(slices.at(-1)?.cursor, null, 'the console loaded the whole account');
    assert.equal(failedViews, 0);
    assert.ok(busiestMinute(installation.requests.map((request) => request.at)) <= 50);
    assert.deepEqual(installation.requests.filter((request) => request.refused), []);
  });

  it('a view re-creates a refresh that stopped (and marks it, so the next views do not), as for an installation an older version made', async () => {
    const installation = installationOf(90);
    await installation.install();
    await installation.scheduler.delete({ name: REFRESH_SCHEDULE });
    const view = async (): Promise<void> => {
      const deps = { request: installation.client('views'), storage: testStorage(installation.store), now: installation.time.now, schedule: installation.schedule };
      await installation.time.finish(profileAccess(viewing(21000000002, 21000000003), deps));
    };
    await view();
    assert.equal(installation.scheduler.waiting().length, 0, 'not yet: the refresh ran (was made) less than half an hour ago');
    await installation.runUntil(installation.time.now() + REFRESH_STALE_MS);
    await view();
    assert.deepEqual(installation.scheduler.waiting().map((schedule) => schedule.name), [REFRESH_SCHEDULE]);
    const creates = installation.scheduleLog.filter((line) => line.startsWith(`schedule create ${REFRESH_SCHEDULE}`)).length;
    await view();
    assert.equal(installation.scheduleLog.filter((line) => line.startsWith(`schedule create ${REFRESH_SCHEDULE}`)).length, creates, 'once is enough');
    await installation.runUntil(installation.time.now() + 7 * MINUTE);
    assert.ok(((await installation.head()).marks.refresh ?? 0) > installation.time.now() - 2 * MINUTE, 'and the refresh runs and marks itself');
  });

  it('takes over a scan an older version left (no budget fields, chains named per generation): its old chain data still steps it', async () => {
    const installation = installationOf(2_500);
    const now = installation.time.now();
    await seedHead(installation.inner, {
      roles: { roles: [[ROLE_IDS.accountAdmin, 'Account Admin', true, true]], fetchedAt: now },
      scan: { generation: now - MINUTE, roleId: ROLE_IDS.accountAdmin, nextPage: 3, pagesRead: 2, agentsRead: 200, startedAt: now - MINUTE, steppedAt: now - MINUTE, overflowed: false, done: false },
    });
    await installation.time.finish(installation.event('onScheduledEvent', { data: { task: 'scan', generation: now - MINUTE, chain: 4 } }));
    const head = await installation.head();
    assert.ok((head.scan?.pagesRead ?? 0) > 2, 'the old chain stepped the scan');
    assert.deepEqual(installation.scheduler.waiting().map((schedule) => schedule.name), [chainName(4)], 'and goes on under its new name');
    await installation.time.finish(installation.event('onScheduledEvent', { data: { task: 'refresh' } }));
    assert.equal(installation.scheduler.waiting().filter((schedule) => !schedule.recurring).length, CHAINS, 'the refresh arms the other chains');
  });

  it("never fails the platform's call: a failing Freshservice still lets the installation complete", async () => {
    const installation = new VirtualInstallation(new FakeRequest().respond('listRoles', () => fail(401)).respond('listAgents', () => fail(401)));
    await installation.install();
    assert.deepEqual(installation.replies, [[null]]);
    await installation.time.finish(installation.handlers.onScheduledEvent({ data: { task: 'unknown' }, iparams: TEST_IPARAMS }, installation.platform()));
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
