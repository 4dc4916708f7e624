import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import { AppError } from '#server/errors';
import { RECORD_MAX_AGE_MS, listAccountAdmins } from '#server/audit/accountAdmins';
import { FakeRequest, ok } from '../fakes/request';
import { headOf, seedHead, testStorage } from '../fakes/storage';
import { ROLE_IDS, role, standardRoles } from '../freshservice/fixtures';
import { FakeAccount } from './account';
import { MemoryStore } from './memoryStore';
import { VirtualClock, runOverview } from './run';

describe('listAccountAdmins: the recorded list, never a scan', () => {
  afterEach(() => restore());

  it('answers from the record of the last complete overview: no agent requests at all', async () => {
    const account = new FakeAccount({ agents: 450 });
    const store = new MemoryStore();
    const clock = new VirtualClock();
    await runOverview(account.request(), store, clock);
    const request = account.request();

    const result = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });

    assert.deepEqual(request.names(), [], 'roles come from the head, admins from the record');
    assert.equal(result.complete, true);
    assert.equal(result.accountAdmins.length, 12);
    assert.ok(result.accountAdmins.every((admin) => admin.isAccountAdmin && admin.active));
    assert.equal(result.recordedAt, new Date(clock.time).toISOString());
    assert.equal(result.scanning, false);
  });

  it('with nothing recorded answers an empty, incomplete list without reading the agents', async () => {
    const request = new FakeAccount({ agents: 150 }).request();
    const result = await listAccountAdmins({ request, storage: testStorage(new MemoryStore()), now: new VirtualClock().now });
    assert.deepEqual(request.names(), ['listRoles']);
    assert.deepEqual(result.accountAdmins, []);
    assert.equal(result.complete, false);
    assert.equal(result.recordedAt, null);
  });

  it('ignores a record made for another Account Admin role id', async () => {
    const store = new MemoryStore();
    await seedHead(store, { admins: { roleId: 1, complete: true, recordedAt: '2026-01-01T00:00:00.000Z' }, A5: { name: 'Old', email: 'old@acme.example', otherAdminRole: false, seen: 1 } });
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: Date.now });
    assert.deepEqual(result.accountAdmins, []);
    assert.equal(result.complete, false);
    assert.deepEqual(request.names(), ['listRoles']);
  });

  it('answers ACCOUNT_ADMIN_ROLE_MISSING when no default role is named exactly "Account Admin"', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: [role(1, 'Admin', true), role(2, 'IT Admin (Custom)', false)] }));
    await assert.rejects(listAccountAdmins({ request, storage: testStorage(new MemoryStore()), now: Date.now }), (error: unknown) => {
      return error instanceof AppError && error.code === 'ACCOUNT_ADMIN_ROLE_MISSING' && /"Account Admin"/.test(error.message);
    });
  });

  it('keeps working when $db fails (roles from Freshservice, nothing recorded), logging no data', async () => {
    const warn = stub(console, 'warn');
    const store = new MemoryStore();
    store.failing = true;
    const result = await listAccountAdmins({ request: new FakeAccount({ agents: 50 }).request(), storage: testStorage(store), now: Date.now });
    assert.equal(result.complete, false);
    store.failing = false;
    assert.equal((await headOf(store)).roles, null, 'nothing written while the store refused');
    assert.deepEqual(warn.getCalls().map((call) => call.args), [['storage: the head could not be read (507)']]);
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

  it(`is complete up to ${RECORD_MAX_AGE_MS / 3_600_000} hours old, saying when it was recorded`, async () => {
    const { account, store, clock, recordedAt } = await recordedOverview(450);
    clock.advance(RECORD_MAX_AGE_MS);
    const result = await listAccountAdmins({ request: account.request(), storage: testStorage(store), now: clock.now });
    assert.equal(result.complete, true);
    assert.equal(result.recordedAt, new Date(recordedAt).toISOString());
  });

  it('past the limit still names whoever is recorded, but no longer calls the list complete', async () => {
    const { account, store, clock } = await recordedOverview(450);
    clock.advance(RECORD_MAX_AGE_MS + 1);
    const request = account.request();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: clock.now });
    assert.deepEqual(request.callsTo('listAgents'), [], 'no scan in a view');
    assert.equal(result.complete, false);
    assert.equal(result.accountAdmins.length, 12);
  });

  it('is not complete when dated in the future or with an unreadable date', async () => {
    for (const recordedAt of ['2026-11-27T06:00:00.000Z', 'yesterday']) {
      const store = new MemoryStore();
      await seedHead(store, { admins: { roleId: ROLE_IDS.accountAdmin, complete: true, recordedAt }, A5: { name: 'Ana', email: 'ana@acme.example', otherAdminRole: false, seen: 1 } });
      const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
      const result = await listAccountAdmins({ request, storage: testStorage(store), now: new VirtualClock().now });
      assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [5], recordedAt);
      assert.equal(result.complete, false, recordedAt);
    }
  });
});
