import { strict as assert } from 'node:assert';
import { demoAccountFacts, noFaults, startSimulator, type RunningSimulator } from '../../../dev/simulator/index';
import { call } from './http';

const ADMIN = demoAccountFacts().keys.accountAdmin;

describe('simulator fault injection', () => {
  let sim: RunningSimulator;
  const get = (path: string, options: { timeoutMs?: number } = {}) => call(`${sim.url}/api/v2${path}`, { key: ADMIN, ...options });
  const statuses = async (count: number, path = '/agents/me') => {
    const answers: number[] = [];
    for (let index = 0; index < count; index += 1) {
      answers.push((await get(path)).status);
    }
    return answers;
  };

  beforeEach(async () => {
    sim = await startSimulator({ seed: 11 });
  });
  afterEach(() => sim.stop());

  it('forces the next N requests to 429 with Retry-After, then answers normally', async () => {
    sim.setFaults({ force429: 2 });
    const first = await get('/agents');
    assert.equal(first.status, 429);
    assert.equal(first.headers['retry-after'], '1');
    assert.deepEqual(await statuses(2), [429, 200]);
  });

  it('fails one page of one path with the chosen status and serves the others', async () => {
    sim.setFaults({ failingPage: { path: '/api/v2/agents', page: 2, status: 500 } });
    assert.equal((await get('/agents?page=1')).status, 200);
    const failing = await get('/agents?page=2');
    assert.equal(failing.status, 500);
    assert.deepEqual(failing.json(), { code: 'internal_error', message: "We're sorry, but something went wrong." });
    assert.equal((await get('/agents?page=3')).status, 200);
    assert.equal((await get('/roles?page=2')).status, 200);
  });

  it('answers every request 500 at error rate 1 and none at 0', async () => {
    sim.setFaults({ errorRate: 1 });
    assert.deepEqual(await statuses(3), [500, 500, 500]);
    sim.setFaults({ errorRate: 0 });
    assert.deepEqual(await statuses(3), [200, 200, 200]);
  });

  it('draws the same failures for the same seed', async () => {
    sim.setFaults({ errorRate: 0.5 });
    const firstRun = await statuses(12);
    assert.ok(firstRun.includes(500) && firstRun.includes(200), `a mix: ${firstRun.join(',')}`);
    await sim.stop();
    sim = await startSimulator({ seed: 11, faults: { errorRate: 0.5 } });
    assert.deepEqual(await statuses(12), firstRun);
  });

  it('truncates bodies into invalid JSON while keeping the status and headers', async () => {
    sim.setFaults({ malformedJson: true });
    const response = await get('/agents');
    assert.equal(response.status, 200);
    assert.ok(response.body.startsWith('{"agents":['));
    assert.throws(() => response.json(), SyntaxError);
    assert.equal(response.headers['x-ratelimit-total'], '400');
  });

  it('holds a slow response past the caller\'s timeout, and stop() drops it', async () => {
    sim.setFaults({ slowResponseMs: 60_000 });
    await assert.rejects(get('/agents/me', { timeoutMs: 150 }), /client timeout/);
    const pending = get('/agents/me').then(
      () => 'answered',
      () => 'dropped',
    );
    await sim.stop();
    assert.equal(await pending, 'dropped');
  });

  it('applies added latency to answers too (held until released)', async () => {
    sim.setFaults({ latencyMs: 60_000 });
    await assert.rejects(get('/roles', { timeoutMs: 150 }), /client timeout/);
    sim.setFaults({ latencyMs: 0 });
    assert.equal((await get('/roles')).status, 200);
  });

  it('takes faults at start', async () => {
    await sim.stop();
    sim = await startSimulator({ faults: { force429: 1 } });
    assert.deepEqual(await statuses(2), [429, 200]);
  });

  it('refuses invalid fault settings with a clear error', () => {
    assert.throws(() => sim.setFaults({ errorRate: 2 }), /errorRate/);
    assert.throws(() => sim.setFaults({ force429: -1 }), /force429/);
  });

  describe('control endpoints under /_simulator', () => {
    const control = (path: string, method = 'GET', body?: string) =>
      call(`${sim.url}/_simulator${path}`, body === undefined ? { method } : { method, body, headers: { 'Content-Type': 'application/json' } });

    it('reads and sets faults over HTTP', async () => {
      assert.deepEqual((await control('/faults')).json(), noFaults);
      const set = await control('/faults', 'POST', JSON.stringify({ force429: 1, latencyMs: 0 }));
      assert.equal(set.status, 200);
      assert.deepEqual(set.json(), { ...noFaults, force429: 1 });
      assert.equal((await get('/agents/me')).status, 429);
      assert.equal((await get('/agents/me')).status, 200);
    });

    it('resets faults and rate limits', async () => {
      sim.setFaults({ errorRate: 1 });
      await get('/agents/me');
      const reset = await control('/reset', 'POST');
      assert.equal(reset.status, 200);
      const after = await get('/agents/me');
      assert.equal(after.status, 200);
      assert.equal(after.headers['x-ratelimit-remaining'], '399');
    });

    it('resets rate limits alone', async () => {
      await get('/agents/me');
      assert.equal((await control('/rate-limits/reset', 'POST')).status, 200);
      assert.equal((await get('/agents/me')).headers['x-ratelimit-remaining'], '399');
    });

    it('lists the demo keys', async () => {
      assert.deepEqual((await control('/keys')).json(), sim.keys);
    });

    it('rejects bad bodies, unknown endpoints and wrong methods', async () => {
      assert.equal((await control('/faults', 'POST', '{not json')).status, 400);
      const invalid = await control('/faults', 'POST', JSON.stringify({ errorRate: 'often' }));
      assert.equal(invalid.status, 400);
      assert.match(invalid.body, /errorRate/);
      assert.equal((await control('/faults', 'POST', JSON.stringify({ nonsense: true }))).status, 400);
      assert.equal((await control('/nothing')).status, 404);
      assert.equal((await control('/reset', 'GET')).status, 405);
    });

    it('is neither faulted nor rate limited', async () => {
      sim.setFaults({ errorRate: 1, malformedJson: true });
      const response = await control('/faults');
      assert.equal(response.status, 200);
      assert.equal(response.headers['x-ratelimit-total'], undefined);
    });
  });
});
