import { strict as assert } from 'node:assert';
import type { ApiKeyHistoryPage, ApiKeyIndexPage, ApiKeyRecord } from '#common/ledger';
import { createLedgerMethods, type LedgerMethods } from '#server/methods/ledger';
import { getApiKeyHistory, getApiKeyState, listApiKeyIndex, recordApiKeyAction, requestApiKey } from '#server/methods/ledger';
import { restore, stub } from 'sinon';
import { FakeDirectory, actor, agent, ledgerMethodsOver, target, memoryStore, platformWith, tickingClock, type Answer, type LedgerMethodsUnderTest } from '../ledger/fixtures';

const ACCOUNT_ADMIN = 100;
const OTHER_ACCOUNT_ADMIN = 101;
const PLAIN_ADMIN = 102;
const REQUESTER = 7;
const DEACTIVATED = 8;
const FORMER_ACCOUNT_ADMIN = 103;

function directory(role = true): FakeDirectory {
  return new FakeDirectory(
    [
      agent(ACCOUNT_ADMIN, { accountAdmin: true, admin: true, name: 'Ada Admin' }),
      agent(OTHER_ACCOUNT_ADMIN, { accountAdmin: true, name: 'Otto Admin' }),
      agent(PLAIN_ADMIN, { admin: true, name: 'Pat Plain' }),
      agent(REQUESTER, { name: 'Rita Requester' }),
      agent(DEACTIVATED, { active: false, name: 'Dee Deactivated' }),
      agent(FORMER_ACCOUNT_ADMIN, { accountAdmin: true, active: false, name: 'Fay Former' }),
    ],
    role ? undefined : null,
  );
}

function setUp(fake = directory()): LedgerMethodsUnderTest {
  return ledgerMethodsOver(fake);
}

function record(answer: Answer): ApiKeyRecord {
  assert.equal(answer.error, null, answer.error?.message);
  return answer.data as ApiKeyRecord;
}

function errorOf(answer: Answer): { status: number; code: string; message: string } {
  assert.ok(answer.error !== null, 'expected an error answer');
  return answer.error;
}

describe('ledger server methods', () => {
  // respond() logs each failure's code; keep the test output readable.
  beforeEach(() => stub(console, 'error'));
  afterEach(() => restore());

  describe('requestApiKey', () => {
    it('records a request for oneself, with the name re-read from Freshservice', async () => {
      const { methods, call, fake } = setUp();
      const answer = record(await call(methods.requestApiKey, { ...actor(REQUESTER), reason: '  nightly export  ' }));
      assert.equal(answer.state, 'requested');
      assert.deepEqual(answer.requestedBy, { id: REQUESTER, name: 'Rita Requester' });
      assert.equal(answer.reason, 'nightly export');
      assert.deepEqual(fake.lookups, [REQUESTER]);
    });

    it('refuses a deactivated requester (TARGET_INACTIVE) and an unknown one (NOT_FOUND)', async () => {
      const { methods, call } = setUp();
      assert.deepEqual(
        [errorOf(await call(methods.requestApiKey, { ...actor(DEACTIVATED), reason: 'x' })).code, errorOf(await call(methods.requestApiKey, { ...actor(999), reason: 'x' })).code],
        ['TARGET_INACTIVE', 'NOT_FOUND'],
      );
    });

    it('answers a repeated request with the same record', async () => {
      const { methods, call } = setUp();
      const first = record(await call(methods.requestApiKey, { ...actor(REQUESTER), reason: 'one' }));
      assert.deepEqual(record(await call(methods.requestApiKey, { ...actor(REQUESTER), reason: 'two' })), first);
    });
  });

  describe('recordApiKeyAction', () => {
    it('lets a current Account Admin open, enable and undo for someone else', async () => {
      const { methods, call } = setUp();
      await call(methods.requestApiKey, { ...actor(REQUESTER), reason: 'why' });
      const opened = record(await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(REQUESTER), action: 'opened' }));
      assert.deepEqual(opened.openedBy, { id: ACCOUNT_ADMIN, name: 'Ada Admin' });
      const enabled = record(await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(REQUESTER), action: 'enabled', note: 'done' }));
      assert.equal(enabled.state, 'enabled');
      const undone = record(await call(methods.recordApiKeyAction, { ...actor(OTHER_ACCOUNT_ADMIN), ...target(REQUESTER), action: 'undo' }));
      assert.equal(undone.state, 'requested');
    });

    it('refuses acting on oneself with SELF_ACTION 403 before asking Freshservice anything', async () => {
      const { methods, call, fake } = setUp();
      const error = errorOf(await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(ACCOUNT_ADMIN), action: 'enabled' }));
      assert.equal(error.code, 'SELF_ACTION');
      assert.equal(error.status, 403);
      assert.match(error.message, /Nobody can switch on their own API key/);
      assert.deepEqual(fake.lookups, []);
    });

    it('refuses an Admin who is not Account Admin with NOT_ACCOUNT_ADMIN 403 saying Admin is not enough', async () => {
      const { methods, call } = setUp();
      const error = errorOf(await call(methods.recordApiKeyAction, { ...actor(PLAIN_ADMIN), ...target(REQUESTER), action: 'enabled' }));
      assert.deepEqual([error.status, error.code], [403, 'NOT_ACCOUNT_ADMIN']);
      assert.match(error.message, /Pat Plain holds an Admin role, but Admin is not enough/);
    });

    it('refuses an agent without any admin role, a deactivated Account Admin and an unknown actor', async () => {
      const { methods, call } = setUp();
      const plain = errorOf(await call(methods.recordApiKeyAction, { ...actor(REQUESTER), ...target(PLAIN_ADMIN), action: 'opened' }));
      assert.match(plain.message, /Rita Requester does not hold the Account Admin role/);
      const former = errorOf(await call(methods.recordApiKeyAction, { ...actor(FORMER_ACCOUNT_ADMIN), ...target(REQUESTER), action: 'opened' }));
      assert.match(former.message, /Fay Former is deactivated/);
      const unknown = errorOf(await call(methods.recordApiKeyAction, { ...actor(999), ...target(REQUESTER), action: 'opened' }));
      assert.match(unknown.message, /No Freshservice agent has the id 999/);
      assert.deepEqual([plain.code, former.code, unknown.code], ['NOT_ACCOUNT_ADMIN', 'NOT_ACCOUNT_ADMIN', 'NOT_ACCOUNT_ADMIN']);
    });

    it('answers ACCOUNT_ADMIN_ROLE_MISSING when the account has no Account Admin role', async () => {
      const { methods, call } = setUp(directory(false));
      assert.equal(errorOf(await call(methods.recordApiKeyAction, { ...actor(PLAIN_ADMIN), ...target(REQUESTER), action: 'opened' })).code, 'ACCOUNT_ADMIN_ROLE_MISSING');
    });

    it('re-reads the actor on every call: an Account Admin who lost the role is refused next time', async () => {
      const fake = directory();
      const { methods, call } = setUp(fake);
      assert.equal(record(await call(methods.recordApiKeyAction, { ...actor(OTHER_ACCOUNT_ADMIN), ...target(REQUESTER), action: 'opened' })).state, 'none');
      const demoted = new FakeDirectory([agent(OTHER_ACCOUNT_ADMIN, { name: 'Otto Admin' }), agent(REQUESTER)]);
      const later = createLedgerMethods({ directoryFor: () => demoted, now: tickingClock() });
      assert.equal(errorOf(await call(later.recordApiKeyAction, { ...actor(OTHER_ACCOUNT_ADMIN), ...target(REQUESTER), action: 'opened' })).code, 'NOT_ACCOUNT_ADMIN');
    });

    it('refuses a deactivated target with TARGET_INACTIVE 409 and an unknown one with NOT_FOUND', async () => {
      const { methods, call } = setUp();
      const inactive = errorOf(await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(DEACTIVATED), action: 'enabled' }));
      assert.deepEqual([inactive.status, inactive.code], [409, 'TARGET_INACTIVE']);
      assert.match(inactive.message, /Dee Deactivated is deactivated/);
      assert.equal(errorOf(await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(999), action: 'enabled' })).code, 'NOT_FOUND');
    });

    it('refuses an out-of-order action with OUT_OF_ORDER 409 and the reason', async () => {
      const { methods, call } = setUp();
      await call(methods.requestApiKey, { ...actor(REQUESTER), reason: 'why' });
      await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(REQUESTER), action: 'declined' });
      const error = errorOf(await call(methods.recordApiKeyAction, { ...actor(OTHER_ACCOUNT_ADMIN), ...target(REQUESTER), action: 'enabled' }));
      assert.deepEqual([error.status, error.code], [409, 'OUT_OF_ORDER']);
      assert.match(error.message, /must request the key again/);
    });
  });

  describe('reading', () => {
    it('getApiKeyState, listApiKeyIndex and getApiKeyHistory answer the ledger without asking Freshservice', async () => {
      const { methods, call, fake } = setUp();
      await call(methods.requestApiKey, { ...actor(REQUESTER), reason: 'why' });
      fake.lookups.length = 0;
      assert.equal(record(await call(methods.getApiKeyState, { agentId: REQUESTER })).state, 'requested');
      assert.equal(record(await call(methods.getApiKeyState, { agentId: 5 })).state, 'none');
      const index = (await call(methods.listApiKeyIndex, {})).data as ApiKeyIndexPage;
      assert.deepEqual(index.entries.map((entry) => [entry.agentId, entry.state, entry.name]), [[REQUESTER, 'requested', 'Rita Requester']]);
      assert.equal(index.cursor, null);
      assert.deepEqual(((await call(methods.listApiKeyIndex, { cursor: null })).data as ApiKeyIndexPage).entries.length, 1);
      const history = (await call(methods.getApiKeyHistory, { agentId: REQUESTER })).data as ApiKeyHistoryPage;
      assert.deepEqual(history.entries.map((e) => [e.action, e.actor.name, e.note]), [['requested', 'Rita Requester', 'why']]);
      assert.deepEqual(((await call(methods.getApiKeyHistory, { agentId: REQUESTER, before: 1 })).data as ApiKeyHistoryPage).entries.length, 1);
      assert.deepEqual(fake.lookups, []);
    });
  });

  describe('bad payloads answer INVALID_PAYLOAD 400 naming the field', () => {
    const cases: [keyof LedgerMethods, Record<string, unknown>, string][] = [
      ['requestApiKey', { reason: 'x' }, 'actorId'],
      ['requestApiKey', { actorId: '7', reason: 'x' }, 'actorId'],
      ['requestApiKey', { ...actor(7.5), reason: 'x' }, 'actorId'],
      ['requestApiKey', { ...actor(-1), reason: 'x' }, 'actorId'],
      ['requestApiKey', { ...actor(7), reason: '   ' }, 'reason'],
      ['requestApiKey', { ...actor(7), reason: 'x'.repeat(501) }, 'reason'],
      ['requestApiKey', { ...actor(7)}, 'reason'],
      ['recordApiKeyAction', { ...actor(100), ...target(7), action: 'approve' }, 'action'],
      ['recordApiKeyAction', { ...actor(100), ...target(7), action: 'requested' }, 'action'],
      ['recordApiKeyAction', { ...actor(100), action: 'enabled' }, 'targetId'],
      ['recordApiKeyAction', { ...actor(100), ...target(7), action: 'enabled', note: 5 }, 'note'],
      ['recordApiKeyAction', { ...actor(100), ...target(7), action: 'enabled', note: 'x'.repeat(501) }, 'note'],
      ['requestApiKey', { ...actor(7), reason: 'a\u0000b' }, 'reason'],
      ['requestApiKey', { ...actor(7), reason: '\uDE00 alone' }, 'reason'],
      ['requestApiKey', { ...actor(7), reason: '語'.repeat(334) }, 'reason'],
      ['recordApiKeyAction', { ...actor(100), ...target(7), action: 'declined', note: 'bell\u0007' }, 'note'],
      ['getApiKeyState', {}, 'agentId'],
      ['getApiKeyState', { agentId: Number.MAX_SAFE_INTEGER + 2 }, 'agentId'],
      ['listApiKeyIndex', { cursor: 't1' }, 'cursor'],
      ['listApiKeyIndex', { cursor: 'o16' }, 'cursor'],
      ['listApiKeyIndex', { cursor: 'o-1' }, 'cursor'],
      ['listApiKeyIndex', { cursor: 8 }, 'cursor'],
      ['getApiKeyHistory', {}, 'agentId'],
      ['getApiKeyHistory', { agentId: 7, before: 0 }, 'before'],
      ['getApiKeyHistory', { agentId: 7, before: 'v2' }, 'before'],
    ];
    for (const [name, payload, field] of cases) {
      it(`${name} ${JSON.stringify(payload).slice(0, 60)} → ${field}`, async () => {
        const { methods, call, fake } = setUp();
        const error = errorOf(await call(methods[name], payload));
        assert.deepEqual([error.status, error.code], [400, 'INVALID_PAYLOAD']);
        assert.match(error.message, new RegExp(`"${field}"`));
        assert.deepEqual(fake.lookups, []);
      });
    }

    it('treats a blank note as no note', async () => {
      const { methods, call } = setUp();
      await call(methods.recordApiKeyAction, { ...actor(ACCOUNT_ADMIN), ...target(REQUESTER), action: 'enabled', note: '   ' });
      const history = (await call(methods.getApiKeyHistory, { agentId: REQUESTER })).data as ApiKeyHistoryPage;
      assert.equal(history.entries[0]?.note, null);
    });
  });

  it('exports the five methods server/server.js calls, each answering once', async () => {
    const store = memoryStore();
    const shipped = { requestApiKey, recordApiKeyAction, getApiKeyState, listApiKeyIndex, getApiKeyHistory };
    for (const [name, method] of Object.entries(shipped)) {
      const { platform, answers } = platformWith(store);
      await method({ cursor: 'bad cursor', agentId: 'x', actorId: 'x', iparams: { api_key: 'k' } }, platform);
      assert.equal(answers.length, 1, name);
      assert.equal(answers[0]?.error?.code, 'INVALID_PAYLOAD', name);
    }
  });
});
