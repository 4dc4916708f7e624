import { strict as assert } from 'node:assert';
import { stub } from 'sinon';
import { AppError } from '../../../server/src/errors';
import { RECORD_MAX_AGE_MS, listAccountAdmins } from '../../../server/src/audit/accountAdmins';
import { FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, role, standardRoles } from '../freshservice/fixtures';
import { FakeAccount } from './account';
import { MemoryStore } from './memoryStore';
import { VirtualClock, runOverview, timedClient } from './run';
import { headOf, seedHead, testStorage } from '../fakes/storage';

describe('listAccountAdmins', () => {
  it('answers from the record of the last complete overview: no agent requests at all', async () => {
    const account = new FakeAccount({ agents: 450 });
    const store = new MemoryStore();
    const clock = new VirtualClock();
    await runOverview(account.request(), store, clock);
    const request = account.request();

    const result = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });

    assert.deepEqual(request.names(), [], 'roles come from the cache, admins from the record');
    assert.equal(result.complete, true);
    assert.equal(result.accountAdmins.length, 12);
    assert.ok(result.accountAdmins.every((admin) => admin.isAccountAdmin && admin.active));
    assert.equal(result.recordedAt, new Date(clock.time).toISOString());
  });

  it('scans a small account completely (two pages at most) and records the answer', async () => {
    const account = new FakeAccount({ agents: 150 });
    const store = new MemoryStore();
    const request = account.request();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: new VirtualClock().now });
    assert.deepEqual(request.names(), ['listRoles', 'listAgents', 'listAgents']);
    assert.equal(result.complete, true);
    assert.equal(result.recordedAt, null);
    assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [21000000001, 21000000041, 21000000081, 21000000121]);
    assert.equal((await headOf(store)).accountAdmins?.admins.length, 4);
  });

  it('says complete: false when a bounded scan cannot see the whole account, and records nothing', async () => {
    const store = new MemoryStore();
    const request = new FakeAccount({ agents: 1_000 }).request();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: new VirtualClock().now });
    assert.equal(result.complete, false);
    assert.equal(request.callsTo('listAgents').length, 2);
    assert.equal((await headOf(store)).accountAdmins, null);
  });

  it('starts no new request after the scan deadline, so slow answers still end inside 20 s', async () => {
    const clock = new VirtualClock();
    const inner = new FakeAccount({ agents: 1_000 }).request();
    const request = timedClient(inner, clock, [], 4_500);
    const result = await listAccountAdmins({ request, storage: testStorage(new MemoryStore()), now: clock.now });
    assert.equal(result.complete, false);
    assert.deepEqual(inner.names(), ['listRoles']);
  });

  it('ignores a record made for another Account Admin role id', async () => {
    const store = new MemoryStore();
    await seedHead(store, { admins: { roleId: 1, complete: true, recordedAt: '2026-01-01T00:00:00.000Z' } });
    const request = new FakeRequest()
      .script('listRoles', ok({ roles: standardRoles() }))
      .script('listAgents', ok({ agents: [agent(5, { roles: [assignment(ROLE_IDS.accountAdmin)] }), agent(6, { active: false, roles: [assignment(ROLE_IDS.accountAdmin)] })] }));
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: Date.now });
    assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [5]);
    assert.deepEqual(request.callsTo('listAgents')[0]?.context, { page: 1, active: true });
  });

  it('answers ACCOUNT_ADMIN_ROLE_MISSING when no default role is named exactly "Account Admin"', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: [role(1, 'Admin', true), role(2, 'IT Admin (Custom)', false)] }));
    await assert.rejects(listAccountAdmins({ request, storage: testStorage(new MemoryStore()), now: Date.now }), (error: unknown) => {
      return error instanceof AppError && error.code === 'ACCOUNT_ADMIN_ROLE_MISSING' && /"Account Admin"/.test(error.message);
    });
  });

  it('keeps working when $db fails, and says so in the log without data', async () => {
    const warn = stub(console, 'warn');
    try {
      const store = new MemoryStore();
      store.failing = true;
      const result = await listAccountAdmins({ request: new FakeAccount({ agents: 50 }).request(), storage: testStorage(store), now: Date.now });
      assert.equal(result.complete, true);
      assert.equal(result.accountAdmins.length, 2);
      store.failing = false;
      assert.equal((await headOf(store)).accountAdmins, null, 'nothing written while the store refused');
      assert.deepEqual(warn.getCalls().map((call) => call.args), [['storage: the head could not be read (507)']]);
    } finally {
      warn.restore();
    }
  });
});

describe('listAccountAdmins: the record has an age limit', () => {
  async function recordedOverview(agents: number) {
    const account = new FakeAccount({ agents });
    const store = new MemoryStore();
    const clock = new VirtualClock();
    await runOverview(account.request(), store, clock);
    return { account, store, clock, recordedAt: clock.time };
  }

  it(`answers from a record up to ${RECORD_MAX_AGE_MS / 3_600_000} hours old, saying when it was recorded`, async () => {
    const { account, store, clock, recordedAt } = await recordedOverview(450);
    clock.advance(RECORD_MAX_AGE_MS);
    const request = account.request();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });
    assert.deepEqual(request.callsTo('listAgents'), []);
    assert.equal(result.recordedAt, new Date(recordedAt).toISOString());
  });

  it('ignores a record past the limit: answers as without one (bounded scan, complete: false on a large account)', async () => {
    const { account, store, clock } = await recordedOverview(450);
    clock.advance(RECORD_MAX_AGE_MS + 1);
    const request = account.request();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });
    assert.deepEqual(request.callsTo('listAgents').length, 2, 'the bounded scan');
    assert.equal(result.complete, false);
    assert.equal(result.recordedAt, null);
  });

  it('a complete scan after the limit replaces the stale record with a fresh one', async () => {
    const { account, store, clock } = await recordedOverview(150);
    clock.advance(RECORD_MAX_AGE_MS + 1);
    const scanned = await listAccountAdmins({ request: account.request(), storage: testStorage(store), now: clock.now });
    assert.equal(scanned.complete, true);
    assert.equal(((await headOf(store)).accountAdmins as { recordedAt?: string } | undefined)?.recordedAt, new Date(clock.time).toISOString());
    const request = account.request();
    const again = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });
    assert.equal(again.recordedAt, new Date(clock.time).toISOString());
    assert.deepEqual(request.callsTo('listAgents'), [], 'admins from the fresh record');
  });

  it('ignores a record dated in the future or with an unreadable date', async () => {
    for (const recordedAt of ['2026-11-27T06:00:00.000Z', 'yesterday']) {
      const store = new MemoryStore();
      await seedHead(store, { admins: { roleId: ROLE_IDS.accountAdmin, complete: true, recordedAt } });
      const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: [agent(5, { roles: [assignment(ROLE_IDS.accountAdmin)] })] }));
      const result = await listAccountAdmins({ request, storage: testStorage(store), now: new VirtualClock().now });
      assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [5], recordedAt);
      assert.equal(result.recordedAt, null);
    }
  });
});
