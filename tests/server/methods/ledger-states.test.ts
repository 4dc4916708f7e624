import { strict as assert } from 'node:assert';
import type { ApiKeyStatesPage } from '../../../common/ledger';
import { STATE_BUCKETS, STATE_BUCKETS_PER_CALL } from '../../../server/src/ledger/limits';
import { createLedgerMethods, type LedgerMethod } from '../../../server/src/methods/ledger';
import { restore, stub } from 'sinon';
import { FakeDirectory, agent, memoryStore, platformWith, tickingClock, type Answer } from '../ledger/fixtures';

const ACCOUNT_ADMIN = 100;
/** Agents spread over several buckets of the states index. */
const AGENT_IDS = [7, 7 + STATE_BUCKETS, 12, 20, 31];

function setUp(): { methods: ReturnType<typeof createLedgerMethods>; call: (method: LedgerMethod, args: Record<string, unknown>) => Promise<Answer>; fake: FakeDirectory } {
  const fake = new FakeDirectory([agent(ACCOUNT_ADMIN, { accountAdmin: true, name: 'Ada Admin' }), ...AGENT_IDS.map((id) => agent(id))]);
  const store = memoryStore();
  const methods = createLedgerMethods({ directoryFor: () => fake, now: tickingClock() });
  const call = async (method: LedgerMethod, args: Record<string, unknown>): Promise<Answer> => {
    const { platform, answers } = platformWith(store);
    await method({ ...args, iparams: { api_key: 'secret' } }, platform);
    assert.equal(answers.length, 1, 'renderData is called exactly once');
    return answers[0] as Answer;
  };
  return { methods, call, fake };
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
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: 12, action: 'enabled' });
    await call(methods.recordApiKeyAction, { actorId: ACCOUNT_ADMIN, targetId: 20, action: 'declined' });
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

    assert.deepEqual(cursors, ['s8', 's16', 's24', null]);
    assert.equal(cursors.length, STATE_BUCKETS / STATE_BUCKETS_PER_CALL);
    assert.deepEqual(
      listed.sort((a, b) => a[0] - b[0]),
      [
        [7, 'requested'],
        [12, 'enabled'],
        [20, 'declined'],
        [31, 'requested'],
        [7 + STATE_BUCKETS, 'requested'],
      ],
    );
    assert.deepEqual(fake.lookups, []);
  });

  it('starts at the bucket its cursor names and accepts a null cursor as the first page', async () => {
    const { methods, call } = setUp();
    await call(methods.requestApiKey, { actorId: 31, reason: 'reports' });
    assert.deepEqual(page(await call(methods.listApiKeyStates, { cursor: 's24' })).states.map((entry) => entry.agentId), [31]);
    assert.deepEqual(page(await call(methods.listApiKeyStates, { cursor: 's31' })), { states: page(await call(methods.listApiKeyStates, { cursor: 's24' })).states, cursor: null });
    assert.deepEqual(page(await call(methods.listApiKeyStates, { cursor: null })), { states: [], cursor: 's8' });
  });
});
