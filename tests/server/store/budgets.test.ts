/**
 * Every part of the app's storage against both FDK limits that bind it, with the largest entries
 * the rules allow: $db's 40 KB per key and value (the FDK-like store refuses more, as $db does),
 * and FDK's 100 KB per server-method answer. Names are the attacker's lever (an agent may rename
 * themselves): backslashes and quotes take the most bytes once stored (escaped twice), CJK three
 * bytes a character, emoji four.
 */
import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { AgentAccess } from '#common/audit';
import { MemoryKeyValueStore, everyKvReading } from '../../../dev/runtime/kv-store';
import { RECORDS_AFTER_PRUNE, RECORD_MAX_BYTES, AgentKeys } from '#server/ledger/agent-key';
import { ApiKeyLedger } from '#server/ledger/api-key-ledger';
import { MAX_SHARDS, SHARD_ENTRIES } from '#server/ledger/ledger-index';
import { cacheRoles } from '#server/freshservice/roleCache';
import type { KnownRole } from '#server/freshservice/roles';
import { BACKGROUND_MAX_BYTES, CHAINS_ATTRIBUTE, CONCURRENT_ENTRIES, HEAD_INDEX_ENTRIES, HEAD_MAX_BYTES, PEOPLE_ATTRIBUTE, REFRESH_ATTRIBUTE, ROLES_MAX_BYTES, SCAN_ATTRIBUTE, writeHeadAttributes } from '#server/store/head';
import { ENTRY_MAX_BYTES, entryAttribute, packEntry, type IndexEntry } from '#server/store/index-entry';
import { SealedStore, attributeBytes, sealedAttributeBytes } from '#server/store/sealed-store';
import { TEST_SECRET, headOf, keyOf, recordAdmins, testStorage } from '../fakes/storage';
import { ROLE_IDS } from '../freshservice/fixtures';
import { readingName } from '../ledger/fixtures';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
/** FDK's limit on a server method's answer. */
const ANSWER_MAX_BYTES = 100 * 1024;
/** Names that take the most stored bytes per character, and ones that tempt a careless cut. */
const HEAVY_NAMES = ['\\'.repeat(300), '"'.repeat(300), '語'.repeat(300), '😀'.repeat(300), `${'a'.repeat(40)}👩‍👩‍👧‍👦${'b'.repeat(300)}`];
const LARGEST_ID = Number.MAX_SAFE_INTEGER;

function largestEntry(name: string): IndexEntry {
  return { version: 36 ** 8 - 1, state: 'requested', updatedAt: 36 ** 9, since: 36 ** 9, lastAction: 'requested', lastActorId: LARGEST_ID, name };
}

function admin(id: number, name: string): AgentAccess {
  return { id, firstName: name, lastName: null, name, email: `${'e'.repeat(40)}.${id}@example.com`, active: true, occasional: false, lastLoginAt: null, roles: [], isAccountAdmin: true, holdsAdminRole: true };
}

/** As many roles with long names as the roles' share holds. */
function largestRoles(): KnownRole[] {
  const roles: KnownRole[] = [];
  for (let id = 1; ; id += 1) {
    const next = [...roles, { id: 21000150000 + id, name: '\\'.repeat(60), isDefault: false, adminLevel: true }];
    if (sealedAttributeBytes('roles', { roles: next.map((role) => [role.id, role.name, role.isDefault, role.adminLevel]), fetchedAt: NOW }) > ROLES_MAX_BYTES) {
      return roles;
    }
    roles.push(next[next.length - 1] as KnownRole);
  }
}

function storedBytes(store: MemoryKeyValueStore, logical: string): number {
  const key = keyOf(logical);
  return Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(store.snapshot()[key]));
}

describe('storage budgets: every part at its largest', () => {
  beforeEach(() => stub(console, 'warn'));
  afterEach(() => restore());

  it(`an index entry never takes more than ${ENTRY_MAX_BYTES} bytes, whatever the name`, () => {
    for (const name of HEAVY_NAMES) {
      const attribute = entryAttribute(LARGEST_ID);
      const bytes = sealedAttributeBytes(attribute, packEntry(LARGEST_ID, largestEntry(name)));
      assert.ok(bytes <= ENTRY_MAX_BYTES, `${name.slice(0, 8)}…: ${bytes} bytes`);
    }
  });

  for (const readings of everyKvReading()) {
    it(`the head with every part at its largest fits 40 KB, and still takes every legitimate write (${readingName(readings)})`, async () => {
      const store = new MemoryKeyValueStore({ readings, operationsPerMinute: 0 });
      const storage = testStorage(store);
      const sealed = new SealedStore(store, TEST_SECRET);
      const roles = largestRoles();
      await cacheRoles(storage, roles, NOW);
      await recordAdmins(testStorage(store), ROLE_IDS.accountAdmin, Array.from({ length: 100 }, (_unused, i) => admin(21000049000 + i, '\\'.repeat(100))), NOW);
      // The scan and the background's marks at their largest: 64 request times, every chain's due time.
      const requests = Array.from({ length: 64 }, (_unused, i): [number, number] => [LARGEST_ID - i, LARGEST_ID]);
      const scan = { generation: LARGEST_ID, roleId: LARGEST_ID, nextPage: LARGEST_ID, pagesRead: LARGEST_ID, agentsRead: LARGEST_ID, startedAt: LARGEST_ID, steppedAt: LARGEST_ID, overflowed: true, done: false, requests, busyUntil: LARGEST_ID, notBefore: LARGEST_ID };
      const background = {
        [SCAN_ATTRIBUTE]: scan,
        [PEOPLE_ATTRIBUTE]: { at: LARGEST_ID },
        [REFRESH_ATTRIBUTE]: { at: LARGEST_ID },
        [CHAINS_ATTRIBUTE]: { due: Array.from({ length: 64 }, () => LARGEST_ID) },
      };
      const backgroundBytes = Object.entries(background).reduce((sum, [name, value]) => sum + sealedAttributeBytes(name, value), 0);
      assert.ok(backgroundBytes <= BACKGROUND_MAX_BYTES, `the scan and the marks take ${backgroundBytes} bytes, more than the background's share`);
      await writeHeadAttributes(sealed, { key: keyOf('head') }, background);
      const afterBackground = await headOf(store);
      assert.equal(afterBackground.scan?.requests.length, 64, 'the largest scan state is read back');
      assert.equal(afterBackground.marks.chainsDue.length, 64);
      // The index's share, with every entry concurrent first changes may add, each at its largest.
      const entries: Record<string, string> = {};
      for (let index = 0; index < HEAD_INDEX_ENTRIES + CONCURRENT_ENTRIES; index += 1) {
        const id = LARGEST_ID - index;
        entries[entryAttribute(id)] = packEntry(id, largestEntry(HEAVY_NAMES[index % HEAVY_NAMES.length] as string));
      }
      await writeHeadAttributes(sealed, { key: keyOf('head') }, { ...entries, overflow: { lastShard: MAX_SHARDS - 1 } });
      const head = await headOf(store);
      assert.equal(head.roles?.roles.length, roles.length);
      assert.equal(head.entries.size, HEAD_INDEX_ENTRIES + CONCURRENT_ENTRIES);
      const admins = head.accountAdmins?.admins.length ?? 0;
      assert.ok(admins >= 10 && head.accountAdmins?.complete === false, `${admins} Account Admins kept, the list says it is incomplete`);
      const bytes = storedBytes(store, 'head');
      console.log(`      (measured: the largest head takes ${bytes} of ${HEAD_MAX_BYTES} bytes)`);
      assert.ok(bytes <= HEAD_MAX_BYTES);
      // Writes that must never be refused: a roles refresh, the list kept current, an entry changing.
      await cacheRoles(testStorage(store), roles, NOW + 1);
      assert.equal((await headOf(store)).roles?.fetchedAt, NOW + 1);
      await writeHeadAttributes(sealed, { key: keyOf('head') }, { [entryAttribute(LARGEST_ID)]: packEntry(LARGEST_ID, largestEntry('\\'.repeat(500))) });
    });
  }

  it(`a shard of ${SHARD_ENTRIES} agents (and concurrent extras) at their largest fits 40 KB, and its listing page fits FDK's 100 KB answer`, async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    const sealed = new SealedStore(store, TEST_SECRET);
    const entries: Record<string, string> = {};
    for (let index = 0; index < SHARD_ENTRIES + CONCURRENT_ENTRIES; index += 1) {
      const id = LARGEST_ID - index;
      entries[entryAttribute(id)] = packEntry(id, largestEntry(HEAVY_NAMES[index % HEAVY_NAMES.length] as string));
    }
    await sealed.setAttributes(keyOf('x:0'), { ...entries, next: {} });
    const bytes = storedBytes(store, 'x:0');
    assert.ok(bytes <= HEAD_MAX_BYTES, `${bytes} bytes`);
    const page = await new ApiKeyLedger(testStorage(store)).listIndex(0);
    assert.equal(page.entries.length, SHARD_ENTRIES + CONCURRENT_ENTRIES);
    assert.equal(page.cursor, 'x1');
    const answer = Buffer.byteLength(JSON.stringify(page));
    console.log(`      (measured: a full shard takes ${bytes} bytes; its page answers ${answer} bytes)`);
    assert.ok(answer <= ANSWER_MAX_BYTES * 0.8, `${answer} bytes`);
  });

  it(`an agent's own key keeps taking writes when someone fills it: the oldest recorded entries make room, ${RECORDS_AFTER_PRUNE} remain`, async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    const keys = new AgentKeys(new SealedStore(store, TEST_SECRET));
    let written = 0;
    for (; written === 0 || storedBytes(store, 'a:7') + RECORD_MAX_BYTES <= HEAD_MAX_BYTES; written += 1) {
      await keys.record(7, { at: NOW + written, action: 'declined', targetId: 1000 + written, targetName: '\\'.repeat(200), version: written + 1 });
    }
    const full = storedBytes(store, 'a:7');
    await keys.setHome(7, 3);
    await keys.record(7, { at: NOW + written + 1, action: 'enabled', targetId: 99, targetName: 'Last', version: 1 });
    const after = await keys.read(7);
    assert.equal(after.home, 3);
    assert.equal(after.recorded[0]?.targetName, 'Last', 'the newest entry is kept');
    assert.ok(after.recorded.length <= RECORDS_AFTER_PRUNE + 1, `${after.recorded.length} entries`);
    console.log(`      (measured: ${written} entries filled an agent's key to ${full} bytes; then ${after.recorded.length} remained)`);
    assert.ok(attributeBytes('home', 'x') < RECORD_MAX_BYTES);
  });

  it('the listing answers of the head and the agent key stay far inside 100 KB', async () => {
    const store = new MemoryKeyValueStore({ operationsPerMinute: 0 });
    const sealed = new SealedStore(store, TEST_SECRET);
    const entries: Record<string, string> = {};
    for (let index = 0; index < HEAD_INDEX_ENTRIES + CONCURRENT_ENTRIES; index += 1) {
      entries[entryAttribute(LARGEST_ID - index)] = packEntry(LARGEST_ID - index, largestEntry('"'.repeat(300)));
    }
    await sealed.setAttributes(keyOf('head'), entries);
    const answer = Buffer.byteLength(JSON.stringify(await new ApiKeyLedger(testStorage(store)).listIndex(null)));
    assert.ok(answer <= ANSWER_MAX_BYTES * 0.5, `${answer} bytes`);
  });
});
