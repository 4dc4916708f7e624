import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { AgentAccess } from '#common/audit';
import { MemoryKeyValueStore, everyKvReading } from '../../../dev/runtime/kv-store';
import { scanStep, startScan } from '#server/admins/scan';
import { RECORD_MAX_AGE_MS, accountAdminsIn } from '#server/audit/accountAdmins';
import { ROLES_FRESH_MS, cacheRoles, currentCatalog, currentRoles, freshRoles } from '#server/freshservice/roleCache';
import type { KnownRole } from '#server/freshservice/roles';
import type { KeyValueStore } from '#server/platform';
import { ADMINS_MAX_BYTES, ROLES_MAX_BYTES, readHead, type Head } from '#server/store/head';
import { SealedStore } from '#server/store/sealed-store';
import { FakeRequest, ok } from '../fakes/request';
import { TEST_SECRET, headOf, keyOf, recordAdmins, seedHead, testStorage } from '../fakes/storage';
import { ROLE_IDS, agent, assignment, standardRoles } from '../freshservice/fixtures';

const START = Date.UTC(2026, 10, 26, 6, 0, 0);
const ROLES: KnownRole[] = [
  { id: ROLE_IDS.accountAdmin, name: 'Account Admin', isDefault: true, adminLevel: true },
  { id: ROLE_IDS.admin, name: 'Admin', isDefault: true, adminLevel: true },
];

function adminAccess(id: number, nameLength = 12): AgentAccess {
  const name = 'N'.repeat(nameLength);
  return {
    id,
    firstName: name,
    lastName: name,
    name: `${name} ${name}`,
    email: `${name.toLowerCase()}.${id}@a-rather-long-company-domain.example`,
    active: true,
    occasional: false,
    lastLoginAt: '2026-11-01T09:00:00Z',
    roles: [{ roleId: ROLE_IDS.accountAdmin, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: null }],
    isAccountAdmin: true,
    holdsAdminRole: true,
  };
}

/** Who can enable keys, as a view answers it (the roles, cached or read, and the head's list). */
async function listAccountAdmins(deps: { request: FakeRequest; storage: ReturnType<typeof testStorage>; now: () => number }) {
  return accountAdminsIn(await currentCatalog(deps), await deps.storage.head(), deps.now());
}

/** Freshservice with the standard roles and one Account Admin (id 5), answering every call. */
function freshservice(): FakeRequest {
  return new FakeRequest()
    .respond('listRoles', () => ok({ roles: standardRoles() }))
    .respond('listAgents', () => ok({ agents: [agent(5, { roles: [assignment(ROLE_IDS.accountAdmin)] })] }));
}

describe('the head: roles and Account Admins, each timed on its own', () => {
  let time: number;
  let store: MemoryKeyValueStore;
  beforeEach(() => {
    stub(console, 'warn');
    time = START;
    store = new MemoryKeyValueStore({ now: () => time, operationsPerMinute: 0 });
  });
  afterEach(() => restore());

  async function scanned(): Promise<void> {
    const deps = { request: freshservice(), storage: testStorage(store), now: () => time };
    await scanStep(deps, await startScan(deps));
  }

  it('lets the roles expire after an hour while the Account Admins record still answers', async () => {
    await scanned();
    time += ROLES_FRESH_MS;
    const request = freshservice();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: () => time });
    assert.deepEqual(request.names(), ['listRoles'], 'roles read again; admins from the head');
    assert.deepEqual(result.accountAdmins.map((admin) => admin.id), [5]);
    assert.equal(result.complete, true);
  });

  it('stops calling the Account Admins record complete after 24 h while roles written since are still used', async () => {
    await scanned();
    time += RECORD_MAX_AGE_MS + 1;
    await currentRoles({ request: freshservice(), storage: testStorage(store), now: () => time });
    const request = freshservice();
    const result = await listAccountAdmins({ request, storage: testStorage(store), now: () => time });
    assert.deepEqual(request.names(), [], 'fresh roles from the head, no scan in a view');
    assert.equal(result.complete, false);
  });

  it('treats roles dated more than a minute ahead as absent', async () => {
    await seedHead(store, { roles: { roles: [], fetchedAt: START + 120_000 } });
    assert.equal(freshRoles(await headOf(store), START), null);
  });

  it('ignores a part that fails verification or its schema, without losing the others', async () => {
    await cacheRoles(testStorage(store), ROLES, START);
    await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, [adminAccess(5)], START);
    const key = keyOf('head');
    const stored = (await store.get(key)) as Record<string, string>;
    await store.update(key, 'set', { admins: `${stored['roles']?.slice(0, 22)}{"roleId":1}` });
    const head = await headOf(store);
    assert.equal(head.roles?.roles.length, 2);
    assert.equal(head.accountAdmins, null, 'the admins meta failed its seal');
    assert.deepEqual(head.tampered, ['admins']);
  });

  it('reads a missing head as empty, and a failing store as empty with the failure', async () => {
    assert.equal((await headOf(store)).roles, null);
    const failing: KeyValueStore = { get: () => Promise.reject({ status: 429, message: 'Rate limit exceeded' }), set: () => Promise.reject({}), update: () => Promise.reject({}), delete: () => Promise.reject({}) };
    const head = await readHead(new SealedStore(failing, TEST_SECRET));
    assert.equal(head.roles, null);
    assert.equal(head.failure?.code, 'STORE_UNAVAILABLE');
    assert.equal(head.failure?.status, 507);
    assert.equal(head.failure?.retryAfterSeconds, 60);
  });
});

describe('the head: concurrent writers of different parts, under every reading of the store', () => {
  afterEach(() => restore());
  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

  for (const readings of everyKvReading()) {
    const name = JSON.stringify(readings);

    it(`a role refresh and an Account Admins record both survive when interleaved, from no head at all (${name})`, async () => {
      stub(console, 'warn');
      const creates: number[] = [];
      for (const seed of SEEDS) {
        const store = new MemoryKeyValueStore({ interleave: { seed }, readings, operationsPerMinute: 0 });
        await Promise.all([recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, [adminAccess(5)], START), cacheRoles(testStorage(store), ROLES, START)]);
        const head = await headOf(store);
        assert.equal(head.roles?.roles.length, 2, `seed ${seed}`);
        assert.deepEqual(head.accountAdmins?.admins.map((admin) => admin.id), [5], `seed ${seed}`);
        creates.push(store.operations.filter((operation) => operation.operation === 'set').length);
      }
      if (readings.updateSetOnMissingKey === 'reject') {
        assert.ok(creates.includes(2), `some seed made both writers try to create the head (sets per seed: ${creates.join(', ')})`);
      }
    });

    it(`a later role refresh leaves the Account Admins as they were, and a new list removes those no longer in it (${name})`, async () => {
      const store = new MemoryKeyValueStore({ readings, operationsPerMinute: 0 });
      await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, [adminAccess(5), adminAccess(6)], START);
      await cacheRoles(testStorage(store), ROLES, START + 1);
      await cacheRoles(testStorage(store), ROLES.slice(0, 1), START + 2);
      let head = await headOf(store);
      assert.deepEqual(head.accountAdmins?.admins.map((admin) => admin.id), [5, 6]);
      assert.equal(head.roles?.roles.length, 1);
      await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, [adminAccess(6), adminAccess(7)], START + 3);
      head = await headOf(store);
      assert.deepEqual(head.accountAdmins?.admins.map((admin) => admin.id), [6, 7]);
      assert.equal(head.roles?.fetchedAt, START + 2);
    });
  }

  it('losing the create race and then failing the retried update only warns (one retry, no throw)', async () => {
    const warn = stub(console, 'warn');
    const calls: string[] = [];
    const store: KeyValueStore = {
      get: () => Promise.reject({ status: 404, message: 'Record not found' }),
      set: () => {
        calls.push('set');
        return Promise.reject({ status: 400, message: 'The setIf conditional request failed' });
      },
      update: () => {
        calls.push('update');
        return Promise.reject({ status: 404, message: 'Record not found' });
      },
      delete: () => Promise.resolve({}),
    };
    await cacheRoles(testStorage(store), ROLES, START);
    assert.deepEqual(calls, ['update', 'set', 'update']);
    assert.deepEqual(warn.getCalls().map((call) => call.args), [['storage: writing the roles failed (507); they will be read from Freshservice next time']]);
  });

  it('does not try to create the head when the update failed for another reason', async () => {
    stub(console, 'warn');
    const calls: string[] = [];
    const store: KeyValueStore = {
      get: () => Promise.reject({ status: 404, message: 'Record not found' }),
      set: () => {
        calls.push('set');
        return Promise.resolve({});
      },
      update: () => {
        calls.push('update');
        return Promise.reject({ status: 429, message: 'Rate limit exceeded' });
      },
      delete: () => Promise.resolve({}),
    };
    await cacheRoles(testStorage(store), ROLES, START);
    assert.deepEqual(calls, ['update']);
  });
});

describe('the head: size', () => {
  function headBytes(store: MemoryKeyValueStore): number {
    const key = keyOf('head');
    return key.length + Buffer.byteLength(JSON.stringify(store.snapshot()[key]));
  }

  it('100 roles with long names and 30 Account Admins with long names and emails fit their shares', async () => {
    const roles: KnownRole[] = Array.from({ length: 100 }, (_unused, i) => ({ id: 21000150000 + i, name: `Custom role ${i}`, isDefault: false, adminLevel: i % 2 === 0 }));
    const admins = Array.from({ length: 30 }, (_unused, i) => adminAccess(21000049000 + i, 20));
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    await cacheRoles(testStorage(store), roles, START);
    await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, admins, START);
    const head: Head = await headOf(store);
    assert.equal(head.roles?.roles.length, 100);
    assert.equal(head.accountAdmins?.admins.length, 30);
    assert.equal(head.accountAdmins?.complete, true);
    const bytes = headBytes(store);
    console.log(`      (measured: ${bytes} bytes of 40,960 without any index entry)`);
    assert.ok(bytes <= ROLES_MAX_BYTES + ADMINS_MAX_BYTES, `${bytes} bytes`);
  });

  it("drops Account Admins beyond their share and says the record is incomplete; the roles survive", async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    await cacheRoles(testStorage(store), ROLES, START);
    await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, Array.from({ length: 200 }, (_unused, i) => adminAccess(21000049000 + i, 20)), START);
    const head = await headOf(store);
    assert.equal(head.accountAdmins?.complete, false);
    assert.ok((head.accountAdmins?.admins.length ?? 0) > 10);
    assert.ok(head.roles !== null);
    assert.ok(headBytes(store) < ROLES_MAX_BYTES + ADMINS_MAX_BYTES);
  });

  it('does not store roles beyond their share (the next reader asks Freshservice)', async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    await cacheRoles(testStorage(store), Array.from({ length: 100 }, (_unused, i) => ({ id: i, name: 'R'.repeat(200), isDefault: false, adminLevel: false })), START);
    assert.deepEqual(store.operations, []);
  });
});
