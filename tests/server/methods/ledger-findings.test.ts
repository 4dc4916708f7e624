/**
 * The findings of the ledger review (issue 10), each replayed through the shipped server.js on
 * the FDK-like store, under every reading of what Freshworks leaves undocumented about `$db`.
 * The attacker is any agent who can open the app: their browser's `client.db` reaches the very
 * store the server uses (here: `installation.store`).
 */
import { strict as assert } from 'node:assert';
import { restore, stub } from 'sinon';
import type { ProfileAccess } from '#common/profile';
import type { ApiKeyIndexPage, ApiKeyRecord } from '#common/ledger';
import { everyKvReading } from '../../../dev/runtime/kv-store';
import { MAX_SHARDS } from '#server/ledger/ledger-index';
import { keyOf } from '../fakes/storage';
import { actor, readingName, target, viewing } from '../ledger/fixtures';
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from './installation';

const MANY = Array.from({ length: 260 }, (_, i) => 21000060000 + i);

/** The console reads at most this many pages of the index (app/src/kit.ts MAX_INDEX_PAGES): the head and every shard there can be. */
const CONSOLE_INDEX_PAGES = 1 + MAX_SHARDS;

/** The index as the console reads it: page after page, stopping after CONSOLE_INDEX_PAGES. */
async function everyIndexEntry(installation: Installation): Promise<ApiKeyIndexPage['entries']> {
  const entries: ApiKeyIndexPage['entries'] = [];
  let cursor: string | null = null;
  for (let page = 0; page < CONSOLE_INDEX_PAGES; page += 1) {
    const answer: ApiKeyIndexPage = await installation.ok('listApiKeyIndex', { cursor });
    entries.push(...answer.entries);
    cursor = answer.cursor;
    if (cursor === null) {
      return entries;
    }
  }
  throw new Error(`the index did not end within the ${CONSOLE_INDEX_PAGES} pages the console reads`);
}

describe('ledger review findings, through the shipped server.js', () => {
  beforeEach(() => {
    stub(console, 'warn');
    stub(console, 'error');
  });
  afterEach(() => restore());

  for (const readings of everyKvReading()) {
    describe(readingName(readings), () => {
      it('1. an Account Admin\'s action as the very first write of an installation leaves every later call working', async () => {
        const installation = new Installation({ readings });
        const opened = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(ANA), ...target(RAHUL), action: 'opened' });
        assert.equal(opened.state, 'none');
        const enabled = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(BJORN), ...target(CHLOE), action: 'enabled' });
        assert.equal(enabled.state, 'enabled');
        assert.equal((await installation.ok<ApiKeyRecord>('requestApiKey', { ...actor(RAHUL), reason: 'CI deploys' })).state, 'requested');
        assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: CHLOE })).state, 'enabled');
        assert.equal((await everyIndexEntry(installation)).length, 2);
      });

      it('2. a browser with client.db cannot find, read meaningfully, forge or erase what matters', async () => {
        const installation = new Installation({ readings });
        await installation.install();
        await installation.ok('requestApiKey', { ...actor(RAHUL), reason: 'CI deploys' });
        await installation.ok('getProfileAccess', viewing(RAHUL, ANA));
        const db = installation.store;
        const keys = Object.keys(db.snapshot());
        // Nothing at a name a browser could guess: no readable word, no agent id, the same shape for every key.
        for (const key of keys) {
          assert.match(key, /^k[A-Za-z0-9_-]{24}$/);
        }
        for (const guess of ['akey:summary', 'audit:account:v2', 'head', `e:${RAHUL}:1`, 'ledger', 'roles']) {
          await assert.rejects(db.get(guess), { status: 404 });
        }
        // Junk where the old design kept its summary changes nothing.
        await db.set('akey:summary', { pending: 'junk' });
        // Suppose a key name leaked anyway: the attacker renames their own role "Account Admin", lists
        // themselves as an Account Admin and rewrites the record, all without the server's secret.
        for (const key of keys) {
          const value = (await db.get(key)) as Record<string, unknown>;
          const forged = Object.fromEntries(Object.keys(value).map((attribute) => [attribute, `${'A'.repeat(22)}{"forged":true}`]));
          await db.set(key, { ...forged, roles: `${'A'.repeat(22)}{"roles":[[21000150294,"Account Admin",true,true]],"fetchedAt":${Date.now()}}`, [`A${RAHUL.toString(36)}`]: `${'A'.repeat(22)}{"name":"Rahul","email":"r@x","otherAdminRole":false}` });
        }
        const refused = await installation.call('recordApiKeyAction', { ...actor(RAHUL), ...target(CHLOE), action: 'enabled' });
        assert.equal(refused.error?.code, 'NOT_ACCOUNT_ADMIN', 'who holds Account Admin comes from Freshservice, not from the forged cache');
        // The overwritten record is reported as tampered, never shown as if it were true...
        const state = await installation.call('getApiKeyState', { agentId: RAHUL });
        assert.equal(state.error?.code, 'RECORD_TAMPERED');
        // ...and it breaks nothing: the real Account Admin is still accepted, and the record starts afresh after it.
        const accepted = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(ANA), ...target(RAHUL), action: 'enabled' });
        assert.equal(accepted.state, 'enabled');
        assert.equal(accepted.version, 2);
        const view = await installation.ok<ProfileAccess>('getProfileAccess', viewing(CHLOE, CHLOE));
        assert.ok(!view.accountAdmins?.accountAdmins.some((admin) => admin.id === RAHUL), 'other agents\' sidebars never name the forger');
        // The background refresh rebuilds the list the forgery wiped.
        assert.ok((await installation.fireDue(Date.now() + 11 * 60_000)) > 0);
        const rebuilt = await installation.ok<ProfileAccess>('getProfileAccess', viewing(CHLOE, CHLOE));
        assert.deepEqual(rebuilt.accountAdmins?.accountAdmins.map((admin) => admin.id).sort(), [ANA, BJORN]);
        assert.equal(rebuilt.accountAdmins?.complete, true);
        // Deleting the head, the one key that changes in place, loses no history: the next change finds the agent's events again.
        await db.delete(keyOf('head'));
        const again = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(BJORN), ...target(RAHUL), action: 'opened' });
        assert.ok(again.version >= 2, 'the agent\'s history was found again');
      });

      it('3. no page can fill up and lock changes: long notes, cut-off calls and refused characters', async () => {
        const installation = new Installation({ readings, agents: accountAgents(MANY.slice(0, 40)) });
        const control = await installation.call('requestApiKey', { ...actor(RAHUL), reason: 'needs\u0007 it' });
        assert.equal(control.error?.code, 'INVALID_PAYLOAD');
        assert.match(control.error?.message ?? '', /control character/);
        const surrogate = await installation.call('requestApiKey', { ...actor(RAHUL), reason: 'broken \uD83D half' });
        assert.match(surrogate.error?.message ?? '', /broken character/);
        // The longest text allowed in 3-byte characters, in every request and note.
        const note = '語'.repeat(332);
        for (const id of MANY.slice(0, 40)) {
          await installation.ok('requestApiKey', { ...actor(id), reason: note });
          await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(id), action: 'declined', note });
          await installation.ok('recordApiKeyAction', { ...actor(BJORN), ...target(id), action: 'undo' });
          await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(id), action: 'enabled', note });
        }
        assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: MANY[39] })).decisionNote, note);
        // 30 changes cut off right after they were made (before the index write), then more changes: none is refused for lack of room.
        const db = installation.store;
        const update = db.update.bind(db);
        db.update = () => Promise.reject({ status: 500, message: 'stopped' });
        for (const id of MANY.slice(0, 30)) {
          await installation.call('recordApiKeyAction', { ...actor(BJORN), ...target(id), action: 'opened', note });
        }
        db.update = update;
        for (const id of MANY.slice(0, 10)) {
          assert.equal((await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(ANA), ...target(id), action: 'opened', note })).version, 6);
        }
      });

      it('3. 16 concurrent requests with the longest reasons, on a store that interleaves operations, all land', async () => {
        const installation = new Installation({ readings, agents: accountAgents(MANY.slice(0, 16)), interleave: 7 });
        const reason = '語'.repeat(332);
        const answers = await Promise.all(MANY.slice(0, 16).map((id) => installation.call('requestApiKey', { ...actor(id), reason })));
        assert.deepEqual(answers.map((answer) => answer.error), new Array(16).fill(null));
        assert.equal((await everyIndexEntry(installation)).filter((entry) => entry.state === 'requested').length, 16);
      });

      it('4. a run of calls cut off after creating their change never bricks the agent, and reading stays at 2 operations', async () => {
        const installation = new Installation({ readings });
        await installation.ok('requestApiKey', { ...actor(RAHUL), reason: 'why' });
        const db = installation.store;
        const update = db.update.bind(db);
        // 64 calls, each stopped right after it created its change (before indexing it).
        db.update = () => Promise.reject({ status: 500, message: 'stopped' });
        for (let round = 0; round < 64; round += 1) {
          await installation.call('recordApiKeyAction', { ...actor(round % 2 === 0 ? ANA : BJORN), ...target(RAHUL), action: 'opened' });
        }
        db.update = update;
        const before = installation.operations;
        assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: RAHUL })).state, 'requested');
        assert.equal(installation.operations - before, 2);
        const enabled = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(BJORN), ...target(RAHUL), action: 'enabled' });
        assert.equal(enabled.version, 66);
      });

      it('5. a request handled end to end costs at most 20 operations (the Account Admin\'s own page reads what was recorded as her, each of her actions is recorded under her name), so two fit in a minute with room for 8 more sidebar views', async () => {
        const installation = new Installation({ readings, operationsPerMinute: 50, agents: accountAgents(MANY.slice(0, 2)) });
        // A new installation's first view stores the roles and the Account Admins.
        await installation.ok('getProfileAccess', viewing(CHLOE, CHLOE));
        const cycles: number[] = [];
        for (const requester of MANY.slice(0, 2)) {
          const before = installation.operations;
          await installation.ok('getProfileAccess', viewing(requester, requester));
          await installation.ok('requestApiKey', { ...actor(requester), reason: 'integration' });
          await installation.ok('getProfileAccess', viewing(ANA, ANA));
          await installation.ok('listApiKeyIndex', {});
          await installation.ok('getProfileAccess', viewing(requester, ANA));
          await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(requester), action: 'opened' });
          await installation.ok('recordApiKeyAction', { ...actor(ANA), ...target(requester), action: 'enabled' });
          cycles.push(installation.operations - before);
        }
        console.log(`      (measured: ${cycles.join(' and ')} $db operations per request handled end to end, ${installation.operations} in all)`);
        assert.ok(cycles.every((operations) => operations <= 20), cycles.join(', '));
        for (let view = 0; view < 8; view += 1) {
          await installation.ok('getProfileAccess', viewing(RAHUL, CHLOE));
        }
      });

      it('6. concurrent requests all land, on a store that interleaves operations, and a request cut off before its index write leaves no drift', async () => {
        for (const seed of [1, 2, 3]) {
          const interleaved = new Installation({ readings, agents: accountAgents(MANY.slice(0, 16)), interleave: seed });
          const answers = await Promise.all(MANY.slice(0, 16).map((id) => interleaved.call('requestApiKey', { ...actor(id), reason: 'please' })));
          assert.deepEqual(answers.map((answer) => answer.error), new Array(16).fill(null), `seed ${seed}`);
          assert.equal((await everyIndexEntry(interleaved)).filter((entry) => entry.state === 'requested').length, 16, `seed ${seed}`);
        }
        const installation = new Installation({ readings });

        const db = installation.store;
        const update = db.update.bind(db);
        db.update = () => Promise.reject({ status: 500, message: 'stopped' });
        await installation.call('requestApiKey', { ...actor(RAHUL), reason: 'cut off' });
        db.update = update;
        const enabled = await installation.ok<ApiKeyRecord>('recordApiKeyAction', { ...actor(ANA), ...target(RAHUL), action: 'enabled' });
        assert.equal(enabled.reason, 'cut off');
        const entry = (await everyIndexEntry(installation)).find((candidate) => candidate.agentId === RAHUL);
        assert.equal(entry?.state, 'enabled', 'not in the queue');
      });

      it('7. the queue pages to the end within what the console reads: 260 pending requests are all listed, and the count agrees', async () => {
        const installation = new Installation({ readings, agents: accountAgents(MANY) });
        for (const id of MANY) {
          await installation.ok('requestApiKey', { ...actor(id), reason: `request of ${id}` });
        }
        const entries = await everyIndexEntry(installation);
        const pending = entries.filter((entry) => entry.state === 'requested');
        assert.equal(pending.length, MANY.length);
        assert.deepEqual(new Set(pending.map((entry) => entry.agentId)), new Set(MANY));
        assert.ok(pending.every((entry) => entry.name === `Agent${entry.agentId}`), 'each with their name');
      });
    });
  }

  it('the ledger survives an API-key rotation in the app settings (the storage secret is its own parameter)', async () => {
    const installation = new Installation();
    await installation.ok('requestApiKey', { ...actor(RAHUL), reason: 'why' });
    installation.iparams = { ...installation.iparams, api_key: 'a-brand-new-api-key-after-rotation' };
    assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: RAHUL })).state, 'requested');
  });

  it('without a storage secret the API key keys the storage: a new key starts an empty ledger, the old one comes back with the old key', async () => {
    const installation = new Installation();
    const { storage_secret: _unused, ...withoutSecret } = installation.iparams;
    installation.iparams = withoutSecret;
    await installation.ok('requestApiKey', { ...actor(RAHUL), reason: 'why' });
    installation.iparams = { ...withoutSecret, api_key: 'a-brand-new-api-key-after-rotation' };
    assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: RAHUL })).state, 'none');
    installation.iparams = withoutSecret;
    assert.equal((await installation.ok<ApiKeyRecord>('getApiKeyState', { agentId: RAHUL })).state, 'requested');
  });
});
