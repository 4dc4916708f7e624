import { strict as assert } from 'node:assert';
import { demoAccountFacts, planLimits, startSimulator, type RunningSimulator } from '../../../dev/simulator/index';
import { createRateLimiter } from '../../../dev/simulator/rate-limits';
import { call } from './http';

const facts = demoAccountFacts();

/** A clock the test moves by hand: rate-limit windows without sleeping. */
function manualClock(start = 1_700_000_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('simulator rate limits', () => {
  describe('limiter', () => {
    it('has the per-minute totals and list-agents sub-limits of each plan', () => {
      assert.deepEqual(planLimits, {
        starter: { total: 100, listAgents: 40 },
        growth: { total: 200, listAgents: 70 },
        pro: { total: 400, listAgents: 120 },
        enterprise: { total: 500, listAgents: 140 },
      });
    });

    it('limits after the plan total within a minute and starts afresh in the next one', () => {
      const clock = manualClock();
      const limiter = createRateLimiter('starter', clock.now);
      for (let count = 1; count <= 100; count += 1) {
        assert.equal(limiter.record(false).limited, false, `request ${count}`);
      }
      clock.advance(45_000);
      const over = limiter.record(false);
      assert.equal(over.limited, true);
      assert.equal(over.retryAfterSeconds, 15);
      assert.equal(over.headers['X-RateLimit-Remaining'], '0');
      clock.advance(15_000);
      const fresh = limiter.record(false);
      assert.equal(fresh.limited, false);
      assert.equal(fresh.headers['X-RateLimit-Remaining'], '99');
    });

    it('limits listing agents at the sub-limit while other calls still pass', () => {
      const limiter = createRateLimiter('growth', manualClock().now);
      for (let count = 1; count <= 70; count += 1) {
        limiter.record(true);
      }
      assert.equal(limiter.record(true).limited, true);
      assert.equal(limiter.record(false).limited, false);
    });
  });

  describe('over HTTP', () => {
    let sim: RunningSimulator;
    const clock = manualClock();
    const listAgents = (key: string = facts.keys.accountAdmin) => call(`${sim.url}/api/v2/agents?per_page=1`, { key });

    before(async () => {
      sim = await startSimulator({ plan: 'starter', now: clock.now });
    });
    after(() => sim.stop());
    beforeEach(() => sim.resetRateLimits());

    it('sends X-RateLimit-Total, -Remaining and -Used-CurrentRequest on every API answer', async () => {
      const first = await listAgents();
      assert.equal(first.headers['x-ratelimit-total'], '100');
      assert.equal(first.headers['x-ratelimit-remaining'], '99');
      assert.equal(first.headers['x-ratelimit-used-currentrequest'], '1');
      const second = await call(`${sim.url}/api/v2/roles`, { key: facts.keys.accountAdmin });
      assert.equal(second.headers['x-ratelimit-remaining'], '98');
    });

    it('counts failed requests too', async () => {
      await call(`${sim.url}/api/v2/agents`, { key: 'WrongKey' });
      await call(`${sim.url}/api/v2/agents`, { key: facts.keys.agentWithoutAdminRole });
      await call(`${sim.url}/api/v2/agents?per_page=abc`, { key: facts.keys.accountAdmin });
      const next = await listAgents();
      assert.equal(next.headers['x-ratelimit-remaining'], '96');
    });

    it('answers 429 with Retry-After and Freshservice\'s body past the list-agents sub-limit, then recovers a minute later', async () => {
      for (let count = 1; count <= 40; count += 1) {
        assert.equal((await listAgents()).status, 200, `request ${count}`);
      }
      clock.advance(20_000);
      const limited = await listAgents();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers['retry-after'], '40');
      assert.deepEqual(limited.json(), { message: 'The API rate limit allotted for your Freshservice domain has been exhausted' });
      assert.equal((await call(`${sim.url}/api/v2/roles`, { key: facts.keys.accountAdmin })).status, 200, 'other calls still pass');
      clock.advance(40_000);
      assert.equal((await listAgents()).status, 200);
    });

    it('limits account-wide, whichever key calls', async () => {
      for (let count = 1; count <= 100; count += 1) {
        await call(`${sim.url}/api/v2/agents/me`, { key: count % 2 === 0 ? facts.keys.admin : facts.keys.agentWithoutAdminRole });
      }
      const limited = await call(`${sim.url}/api/v2/agents/me`, { key: facts.keys.accountAdmin });
      assert.equal(limited.status, 429);
      sim.resetRateLimits();
      assert.equal((await call(`${sim.url}/api/v2/agents/me`, { key: facts.keys.accountAdmin })).status, 200);
    });
  });
});
