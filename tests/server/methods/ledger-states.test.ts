import { strict as assert } from 'node:assert';
import type { ApiKeyStatesPage } from '../../../common/ledger';
import { STATE_BUCKETS, STATE_BUCKETS_PER_CALL } from '../../../server/src/ledger/limits';
import { restore, stub } from 'sinon';
import { FakeDirectory, agent, ledgerMethodsOver, type Answer, type LedgerMethodsUnderTest } from '../ledger/fixtures';

const ACCOUNT_ADMIN = 100;
/** Agents spread over twelve buckets of the states index (agents 7 and 39 share one). */
const AGENT_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 7 + STATE_BUCKETS, 12, 20, 31].map((id) => id + 1000 * STATE_BUCKETS);
const id = (index: number): number => AGENT_IDS[index] as number;

function setUp(): LedgerMethodsUnderTest {
  return ledgerMethodsOver(new FakeDirectory([agent(ACCOUNT_ADMIN, { accountAdmin: true, name: 'Ada Admin' }), ...AGENT_IDS.map((id) => agent(id))]));
}

function page(answer: Answer): ApiKeyStatesPage {
  assert.equal(answer.error, null, answer.error?.message);
  return answer.data as ApiKeyStatesPage;
}

describe('listApiKeyStates (server method)', () => {
  beforeEach(() => stub(console, 'error'));
  afterEach(() => restore());

  it('pages through every bucket with opaque cursors and lists each agent with a state once, without asking Freshservice', async () => {
    const { methods, call, fake } = setUp();
    for (const id of AGENT_IDS) {
      await call(methods.requestApiKey, { actorId: id, reason: 'reports' });
    }
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: id(9), action: 'enabled' });
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: id(10), action: 'declined' });
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: id(0), action: 'enabled' });
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: id(0), action: 'undo' });
    fake.lookups.length = 0;

    const cursors: (string | null)[] = [];
    const listed: [number, string][] = [];
    let cursor: string | null = null;
    do {
      const answer: ApiKeyStatesPage = page(await call(methods.listApiKeyStates, cursor === null ? {} : { cursor }));
      listed.push(...answer.states.map((entry): [number, string] => [entry.agentId, entry.state]));
      assert.ok(answer.states.every((entry) => !Number.isNaN(Date.parse(entry.updatedAt))));
      cursor = answer.cursor;
      cursors.push(cursor);
    } while (cursor !== null);

    // Twelve agents in eleven buckets: the first call reads STATE_BUCKETS_PER_CALL of them, the second the rest.
    assert.equal(STATE_BUCKETS_PER_CALL, 8);
    assert.deepEqual(cursors, ['s12', null]);
    const expected = AGENT_IDS.map((agentId, index): [number, string] => [agentId, index === 9 ? 'enabled' : index === 10 ? 'declined' : 'requested']);
    assert.deepEqual(
      listed.sort((a, b) => a[0] - b[0]),
      expected.sort((a, b) => a[0] - b[0]),
    );
    assert.deepEqual(fake.lookups, []);
  });

  it('starts at the bucket its cursor names and accepts a null cursor as the first page', async () => {
    const { methods, call } = setUp();
    await call(methods.requestApiKey, { actorId: id(11), reason: 'reports' });
    await call(methods.requestApiKey, { actorId: id(1), reason: 'reports' });
    const agentsFrom = async (cursor: string | null): Promise<number[]> => page(await call(methods.listApiKeyStates, { cursor })).states.map((entry) => entry.agentId);
    assert.deepEqual(await agentsFrom('s24'), [id(11)]);
    assert.deepEqual(await agentsFrom('s31'), [id(11)]);
    assert.deepEqual(await agentsFrom('s2'), [id(11)]);
    assert.deepEqual(await agentsFrom(null), [id(1), id(11)]);
    assert.deepEqual(page(await call(methods.listApiKeyStates, {})).cursor, null);
  });
});
