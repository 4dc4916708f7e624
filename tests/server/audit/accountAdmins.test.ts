import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { AccountAdminsResult } from '#common/audit';
import { AppError } from '#server/errors';
import { RECORD_MAX_AGE_MS, accountAdminsIn } from '#server/audit/accountAdmins';
import { currentCatalog } from '#server/freshservice/roleCache';
import { FakeRequest, ok } from '../fakes/request';
import { headOf, seedHead, testStorage } from '../fakes/storage';
import { ROLE_IDS, role, standardRoles } from '../freshservice/fixtures';
import { FakeAccount } from './account';
import { MemoryStore } from './memoryStore';

const RECORDED_AT = Date.UTC(2026, 10, 26, 6, 0, 0);

/** What a view answers about who can enable keys: the roles (cached or read) and the head's list, never a scan. */
async function listed(request: FakeRequest, store: MemoryStore, now: number): Promise<AccountAdminsResult> {
  const deps = { request, storage: testStorage(store), now: () => now };
  return accountAdminsIn(await currentCatalog(deps), await deps.storage.head(), now);
}

/** A head whose list the background recorded (the scan and user events are the only writers), with `admins` in it. */
async function recorded(store: MemoryStore, recordedAt: string, roleId: number = ROLE_IDS.accountAdmin): Promise<void> {
  await seedHead(store, {
    admins: { roleId, complete: true, recordedAt },
    A5: { name: 'Ana', email: 'ana@acme.example', otherAdminRole: false, seen: 1 },
    A6: { name: 'Björn', email: 'bjorn@acme.example', otherAdminRole: true, seen: 1 },
  });
}

describe('the Account Admins a view answers: the recorded list, never a scan', () => {
  afterEach(() => restore());

  it('answers the list the background recorded, with the roles read once, and no agent request', async () => {
    const store = new MemoryStore();
    await recorded(store, new Date(RECORDED_AT).toISOString());
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() }));
    const result = await listed(request, store, RECORDED_AT + 60_000);
    assert.deepEqual(request.names(), ['listRoles']);
    assert.deepEqual(result.accountAdmins.map((admin) => [admin.id, admin.name, admin.holdsAdminRole]), [[5, 'Ana', false], [6, 'Björn', true]]);
    assert.ok(result.accountAdmins.every((admin) => admin.isAccountAdmin && admin.active));
    assert.equal(result.complete, true);
    assert.equal(result.recordedAt, new Date(RECORDED_AT).toISOString());
    assert.equal(result.scanning, false);
  });

  it('with nothing recorded answers an empty, incomplete list without reading the agents', async () => {
    const request = new FakeAccount({ agents: 150 }).request();
    const result = await listed(request, new MemoryStore(), RECORDED_AT);
    assert.deepEqual(request.names(), ['listRoles']);
    assert.deepEqual(result.accountAdmins, []);
    assert.equal(result.complete, false);
    assert.equal(result.recordedAt, null);
  });

  it('ignores a record made for another Account Admin role id', async () => {
    const store = new MemoryStore();
    await recorded(store, new Date(RECORDED_AT).toISOString(), 1);
    const result = await listed(new FakeRequest().script('listRoles', ok({ roles: standardRoles() })), store, RECORDED_AT);
    assert.deepEqual(result.accountAdmins, []);
    assert.equal(result.complete, false);
  });

  it('answers ACCOUNT_ADMIN_ROLE_MISSING when no default role is named exactly "Account Admin"', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: [role(1, 'Admin', true), role(2, 'IT Admin (Custom)', false)] }));
    await assert.rejects(listed(request, new MemoryStore(), RECORDED_AT), (error: unknown) => {
      return error instanceof AppError && error.code === 'ACCOUNT_ADMIN_ROLE_MISSING' && /"Account Admin"/.test(error.message);
    });
  });

  it('keeps working when $db fails (roles from Freshservice, nothing recorded), logging no data', async () => {
    const warn = stub(console, 'warn');
    const store = new MemoryStore();
    store.failing = true;
    const result = await listed(new FakeAccount({ agents: 50 }).request(), store, RECORDED_AT);
    assert.equal(result.complete, false);
    store.failing = false;
    assert.equal((await headOf(store)).roles, null, 'nothing written while the store refused');
    assert.deepEqual(warn.getCalls().map((call) => call.args), [['storage: the head could not be read (507)']]);
  });
});

describe('the recorded Account Admins have an age limit', () => {
  it(`are complete up to ${RECORD_MAX_AGE_MS / 3_600_000} hours old, saying when they were recorded`, async () => {
    const store = new MemoryStore();
    await recorded(store, new Date(RECORDED_AT).toISOString());
    const result = await listed(new FakeRequest().respond('listRoles', () => ok({ roles: standardRoles() })), store, RECORDED_AT + RECORD_MAX_AGE_MS);
    assert.equal(result.complete, true);
    assert.equal(result.recordedAt, new Date(RECORDED_AT).toISOString());
  });

  it('past the limit still name whoever is recorded, but the list is no longer complete', async () => {
    const store = new MemoryStore();
    await recorded(store, new Date(RECORDED_AT).toISOString());
    const request = new FakeRequest().respond('listRoles', () => ok({ roles: standardRoles() }));
    const result = await listed(request, store, RECORDED_AT + RECORD_MAX_AGE_MS + 1);
    assert.deepEqual(request.callsTo('listAgents'), [], 'no scan in a view');
    assert.equal(result.complete, false);
    assert.equal(result.accountAdmins.length, 2);
  });

  it('are not complete when dated in the future or with an unreadable date', async () => {
    for (const recordedAt of ['2026-11-27T06:00:00.000Z', 'yesterday']) {
      const store = new MemoryStore();
      await recorded(store, recordedAt);
      const result = await listed(new FakeRequest().script('listRoles', ok({ roles: standardRoles() })), store, RECORDED_AT);
      assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [5, 6], recordedAt);
      assert.equal(result.complete, false, recordedAt);
    }
  });
});
