import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { AgentAccess } from '../../../common/audit';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { RECORD_MAX_AGE_MS, listAccountAdmins, recordAccountAdmins } from '../../../server/src/audit/accountAdmins';
import { jsonBytes } from '../../../server/src/audit/size';
import {
  ACCOUNT_SNAPSHOT_KEY,
  ADMINS_PART_MAX_BYTES,
  ROLES_PART_MAX_BYTES,
  readAccountSnapshot,
  accountAdminsPartBytes,
  writeRolesPart,
} from '../../../server/src/freshservice/accountSnapshot';
import { ROLES_FRESH_MS, cacheRoles, currentRoles, freshRoles } from '../../../server/src/freshservice/roleCache';
import type { KnownRole } from '../../../server/src/freshservice/roles';
import type { KeyValueStore } from '../../../server/src/platform';
import { FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, agent, assignment, standardRoles } from './fixtures';

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
    roles: [
      { roleId: ROLE_IDS.accountAdmin, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: null },
      { roleId: ROLE_IDS.admin, name: 'Admin', scope: 'entire_helpdesk', workspaceId: 2 },
    ],
    isAccountAdmin: true,
    holdsAdminRole: true,
  };
}

/** Freshservice with the standard roles and one Account Admin (id 5), answering every call. */
function freshservice(): FakeRequest {
  return new FakeRequest()
    .respond('listRoles', () => ok({ roles: standardRoles() }))
    .respond('listAgents', () => ok({ agents: [agent(5, { roles: [assignment(ROLE_IDS.accountAdmin)] })] }));
}

describe('account snapshot: two independently timed parts in one $db key', () => {
  let time: number;
  let store: MemoryKeyValueStore;
  beforeEach(() => {
    stub(console, 'warn');
    time = START;
    store = new MemoryKeyValueStore({ now: () => time });
  });
  afterEach(() => restore());

  it('lets the roles expire after 300 s while the Account Admins record still answers', async () => {
    await listAccountAdmins({ request: freshservice(), store, now: () => time });
    time += ROLES_FRESH_MS - 1;
    const warm = freshservice();
    await listAccountAdmins({ request: warm, store, now: () => time });
    assert.deepEqual(warm.names(), [], 'both parts fresh');
    time += 1;
    const request = freshservice();
    const result = await listAccountAdmins({ request, store, now: () => time });
    assert.deepEqual(request.names(), ['listRoles'], 'roles re-read, no scan');
    assert.equal(result.recordedAt, new Date(START).toISOString());
  });

  it('lets the Account Admins record expire after 24 h while roles written since are still used', async () => {
    await listAccountAdmins({ request: freshservice(), store, now: () => time });
    time += RECORD_MAX_AGE_MS - 60_000;
    await cacheRoles(store, ROLES, time);
    time += 60_001;
    const request = freshservice();
    const result = await listAccountAdmins({ request, store, now: () => time });
    assert.deepEqual(request.names(), ['listAgents'], 'a scan, but no roles request');
    assert.equal(result.recordedAt, null);
  });

  it('treats roles dated more than a minute ahead as absent', () => {
    const snapshot = { roles: { roles: [], rolesFetchedAt: START + 60_001 }, accountAdmins: null };
    assert.equal(freshRoles(snapshot, START), null);
    assert.deepEqual(freshRoles({ ...snapshot, roles: { roles: [], rolesFetchedAt: START + 60_000 } }, START), []);
  });

  it('ignores a malformed or partial part without losing the other', async () => {
    const admins = { roleId: ROLE_IDS.accountAdmin, admins: [adminAccess(5)], complete: true, recordedAt: new Date(START).toISOString() };
    await recordAccountAdmins(store, admins.roleId, admins.admins, true, START);
    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', { roles: [[1, 'Admin', 'yes', true]], rolesFetchedAt: START });
    assert.deepEqual(await readAccountSnapshot(store), { roles: null, accountAdmins: admins });

    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', { roles: [[1, 'Admin', true, true]] });
    await store.update(ACCOUNT_SNAPSHOT_KEY, 'remove', ['rolesFetchedAt']);
    assert.deepEqual(await readAccountSnapshot(store), { roles: null, accountAdmins: admins }, 'roles without their time');

    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', { rolesFetchedAt: START, 'accountAdmins.complete': 'yes' });
    assert.deepEqual(await readAccountSnapshot(store), { roles: { roles: [[1, 'Admin', true, true]], rolesFetchedAt: START }, accountAdmins: null });

    await recordAccountAdmins(store, admins.roleId, admins.admins, true, START);
    await store.update(ACCOUNT_SNAPSHOT_KEY, 'set', { 'accountAdmins.admins': [[5, 'Ana']] });
    assert.equal((await readAccountSnapshot(store)).accountAdmins, null, 'an Account Admin cut short');
  });

  it('reads a missing key or a failing store as empty', async () => {
    assert.deepEqual(await readAccountSnapshot(store), { roles: null, accountAdmins: null });
    const failing: KeyValueStore = {
      get: () => Promise.reject({ status: 429, message: 'Rate limit exceeded' }),
      set: (key, value, options) => store.set(key, value, options),
      update: (key, action, attributes) => store.update(key, action, attributes),
      delete: (key) => store.delete(key),
    };
    assert.deepEqual(await readAccountSnapshot(failing), { roles: null, accountAdmins: null });
  });

  it('reads nothing from the old keys audit:roles:v1 and audit:accountAdmins:v1', async () => {
    await store.set('audit:roles:v1', { roles: ROLES.map((role) => [role.id, role.name, role.isDefault, role.adminLevel]) });
    const request = freshservice();
    await currentRoles({ request, store, now: () => time });
    assert.deepEqual(request.names(), ['listRoles']);
    assert.ok(!store.operations.some((operation) => operation.operation !== 'set' && operation.key.startsWith('audit:') && operation.key !== ACCOUNT_SNAPSHOT_KEY));
  });
});

describe('account snapshot: concurrent writers of the two parts', () => {
  afterEach(() => restore());

  const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

  it('a role refresh and an Account Admins record both survive when interleaved (key present)', async () => {
    for (const seed of SEEDS) {
      const store = new MemoryKeyValueStore({ interleave: { seed } });
      await store.set(ACCOUNT_SNAPSHOT_KEY, { roles: [], rolesFetchedAt: 1 });
      await Promise.all([cacheRoles(store, ROLES, START), recordAccountAdmins(store, ROLE_IDS.accountAdmin, [adminAccess(5)], true, START)]);
      const snapshot = await readAccountSnapshot(store);
      assert.equal(snapshot.roles?.rolesFetchedAt, START, `seed ${seed}`);
      assert.deepEqual(snapshot.accountAdmins?.admins.map((admin) => admin.id), [5], `seed ${seed}`);
    }
  });

  it('two first writers race to create the key and neither part is lost', async () => {
    const creates: number[] = [];
    for (const seed of SEEDS) {
      const store = new MemoryKeyValueStore({ interleave: { seed } });
      await Promise.all([recordAccountAdmins(store, ROLE_IDS.accountAdmin, [adminAccess(5)], true, START), cacheRoles(store, ROLES, START)]);
      const snapshot = await readAccountSnapshot(store);
      assert.equal(snapshot.roles?.roles.length, 2, `seed ${seed}`);
      assert.equal(snapshot.accountAdmins?.roleId, ROLE_IDS.accountAdmin, `seed ${seed}`);
      creates.push(store.operations.filter((operation) => operation.operation === 'set').length);
    }
    assert.ok(creates.includes(2), `some seed made both writers try to create the key (sets per seed: ${creates.join(', ')})`);
  });

  it('a later role refresh leaves the Account Admins part as it was, and the reverse', async () => {
    const store = new MemoryKeyValueStore();
    await recordAccountAdmins(store, ROLE_IDS.accountAdmin, [adminAccess(5)], true, START);
    await cacheRoles(store, ROLES, START + 1);
    await cacheRoles(store, ROLES.slice(0, 1), START + 2);
    let snapshot = await readAccountSnapshot(store);
    assert.deepEqual(snapshot.accountAdmins?.admins.map((admin) => admin.id), [5]);
    assert.equal(snapshot.roles?.roles.length, 1);
    await recordAccountAdmins(store, ROLE_IDS.accountAdmin, [adminAccess(6)], true, START + 3);
    snapshot = await readAccountSnapshot(store);
    assert.deepEqual(snapshot.accountAdmins?.admins.map((admin) => admin.id), [6]);
    assert.equal(snapshot.roles?.rolesFetchedAt, START + 2);
  });

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
    await writeRolesPart(store, { roles: [], rolesFetchedAt: START });
    assert.deepEqual(calls, ['update', 'set', 'update']);
    assert.deepEqual(warn.getCalls().map((call) => call.args), [['account snapshot: writing the roles failed; they will be read from Freshservice next time']]);
  });

  it('does not try to create the key when the update failed for another reason', async () => {
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
    await writeRolesPart(store, { roles: [], rolesFetchedAt: START });
    assert.deepEqual(calls, ['update']);
  });
});

describe('account snapshot: size', () => {
  it('100 roles with long names and 50 Account Admins stay far below 40 KB, and the budgets always fit', async () => {
    const roles: KnownRole[] = Array.from({ length: 100 }, (_unused, i) => ({ id: 21000150000 + i, name: `${'Long custom role name '.repeat(3)}${i}`, isDefault: false, adminLevel: i % 2 === 0 }));
    const admins = Array.from({ length: 50 }, (_unused, i) => adminAccess(21000049000 + i, 20));
    const store = new MemoryKeyValueStore();
    await cacheRoles(store, roles, START);
    await recordAccountAdmins(store, ROLE_IDS.accountAdmin, admins, true, START);
    const snapshot = await readAccountSnapshot(store);
    assert.equal(snapshot.roles?.roles.length, 100);
    assert.equal(snapshot.accountAdmins?.admins.length, 50);
    assert.equal(snapshot.accountAdmins?.complete, true);
    const bytes = ACCOUNT_SNAPSHOT_KEY.length + jsonBytes(store.snapshot()[ACCOUNT_SNAPSHOT_KEY]);
    console.log(`      (measured: ${bytes} bytes of 40,960)`);
    assert.ok(bytes < 30_000, `${bytes} bytes`);
    // Each part is capped on its own, so even both parts at their caps fit with room to spare.
    assert.ok(ACCOUNT_SNAPSHOT_KEY.length + ROLES_PART_MAX_BYTES + ADMINS_PART_MAX_BYTES + 100 < 40 * 1024);
  });

  it('drops Account Admins beyond the part\'s budget and says the record is incomplete', async () => {
    const store = new MemoryKeyValueStore();
    const admins = Array.from({ length: 200 }, (_unused, i) => adminAccess(21000049000 + i, 20));
    await cacheRoles(store, Array.from({ length: 100 }, (_unused, i) => ({ id: i, name: 'R'.repeat(90), isDefault: false, adminLevel: false })), START);
    await recordAccountAdmins(store, ROLE_IDS.accountAdmin, admins, true, START);
    const snapshot = await readAccountSnapshot(store);
    assert.equal(snapshot.accountAdmins?.complete, false);
    assert.ok((snapshot.accountAdmins?.admins.length ?? 0) > 0);
    assert.ok(snapshot.accountAdmins !== null && accountAdminsPartBytes(snapshot.accountAdmins) <= ADMINS_PART_MAX_BYTES);
    assert.ok(snapshot.roles !== null, 'the roles part survived the Account Admins write');
  });

  it('does not store roles beyond their budget (the next reader asks Freshservice)', async () => {
    const store = new MemoryKeyValueStore();
    await cacheRoles(store, Array.from({ length: 100 }, (_unused, i) => ({ id: i, name: 'R'.repeat(200), isDefault: false, adminLevel: false })), START);
    assert.deepEqual(store.operations, []);
  });
});
