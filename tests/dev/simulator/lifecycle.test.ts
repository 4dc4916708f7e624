import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { Agent, get } from 'node:http';
import type { Socket } from 'node:net';
import { stub } from 'sinon';
import { startSimulator, SimulatorSetupError } from '../../../dev/simulator/index';
import { basicAuth, call } from './http';

/** One keep-alive request; resolves with the connection, left open and idle in the agent's pool. */
function idleConnection(url: string, key: string, keepAlive: Agent): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: keepAlive, headers: { Authorization: basicAuth(key) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(request.socket as Socket));
    });
    request.on('error', reject);
  });
}

describe('simulator start and stop', () => {
  it('picks a free port with port 0 and reports it in url', async () => {
    const first = await startSimulator({ port: 0 });
    const second = await startSimulator();
    try {
      assert.ok(first.port > 0);
      assert.notEqual(first.port, second.port);
      assert.equal(first.url, `http://127.0.0.1:${first.port}`);
      assert.equal((await call(`${first.url}/api/v2/agents/me`, { key: first.keys[0]?.key ?? '' })).status, 200);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it('closes the server and its idle keep-alive connections on stop', async () => {
    const sim = await startSimulator();
    const keepAlive = new Agent({ keepAlive: true });
    try {
      const connection = await idleConnection(`${sim.url}/api/v2/agents/me`, sim.keys[0]?.key ?? '', keepAlive);
      assert.equal(connection.destroyed, false, 'the connection stays open while idle');
      // Only the simulator can end this idle connection: if stop() left it open, 'close' never comes and the test times out.
      const closed = once(connection, 'close');
      await sim.stop();
      await closed;
      await assert.rejects(call(`${sim.url}/api/v2/agents/me`), /ECONNREFUSED/);
    } finally {
      keepAlive.destroy();
    }
  });

  it('can be stopped twice, and stays stopped', async () => {
    const sim = await startSimulator();
    await sim.stop();
    await sim.stop();
    await assert.rejects(call(`${sim.url}/api/v2/agents/me`), /ECONNREFUSED/);
  });

  it('says which port is taken and what to do', async () => {
    const sim = await startSimulator();
    try {
      await assert.rejects(startSimulator({ port: sim.port }), (error: unknown) => error instanceof SimulatorSetupError && /already in use/.test(error.message));
    } finally {
      await sim.stop();
    }
  });

  it('refuses invalid options before listening', async () => {
    await assert.rejects(startSimulator({ agents: 0 }), /agents/);
    await assert.rejects(startSimulator({ agents: 10, accountFile: 'a.json' }), /not both/);
    await assert.rejects(startSimulator({ plan: 'gold' as 'pro' }), /plan/);
    await assert.rejects(startSimulator({ faults: { errorRate: -1 } }), /errorRate/);
  });

  it('answers 500 when an answer fails unexpectedly, logs it, and keeps serving', async () => {
    let calls = 0;
    const clock = (): number => {
      calls += 1;
      if (calls === 1) {
        throw new Error('the clock broke');
      }
      return 0;
    };
    const logged = stub(console, 'error');
    const sim = await startSimulator({ now: clock });
    try {
      const key = sim.keys[0]?.key ?? '';
      const failed = await call(`${sim.url}/api/v2/agents/me`, { key });
      assert.equal(failed.status, 500);
      assert.deepEqual(failed.json(), { code: 'internal_error', message: "We're sorry, but something went wrong." });
      assert.match(String(logged.firstCall?.args[0]), /the clock broke/);
      assert.equal((await call(`${sim.url}/api/v2/agents/me`, { key })).status, 200);
    } finally {
      logged.restore();
      await sim.stop();
    }
  });

  it('serves a generated account on the chosen plan', async () => {
    const sim = await startSimulator({ agents: 120, seed: 7, plan: 'enterprise' });
    try {
      assert.equal(sim.account.agents.length, 120);
      const response = await call(`${sim.url}/api/v2/agents?per_page=100`, { key: sim.keys[0]?.key ?? '' });
      assert.equal(response.headers['x-ratelimit-total'], '500');
      assert.match(String(response.headers.link), /page=2>; rel="next"$/);
    } finally {
      await sim.stop();
    }
  });
});
