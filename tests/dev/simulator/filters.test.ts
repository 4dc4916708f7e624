import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccount, demoAccountFacts, startSimulator, type RunningSimulator, type SimAgent } from '../../../dev/simulator/index';
import { bodyOf, call } from './http';

const facts = demoAccountFacts();
const ADMIN = facts.keys.accountAdmin;

describe('simulator API: list filters', () => {
  let sim: RunningSimulator;
  const get = (path: string) => call(`${sim.url}/api/v2${path}`, { key: ADMIN });
  const idsWhere = (test: (agent: SimAgent) => boolean) => sim.account.agents.filter(test).map((agent) => agent.id);
  const queried = async (query: string) => {
    const response = await get(`/agents?per_page=100&query=${encodeURIComponent(`"${query}"`)}`);
    assert.equal(response.status, 200, response.body);
    return bodyOf<{ agents: SimAgent[] }>(response).agents.map((agent) => agent.id);
  };

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());
  beforeEach(() => sim.resetRateLimits());

  describe('GET /agents?query= (Freshservice\'s filter query)', () => {
    it('finds one agent by email, in any case: a lookup the app could make', async () => {
      const [ana] = sim.account.agents;
      assert.ok(ana !== undefined);
      assert.deepEqual(await queried(`email:'${ana.email.toUpperCase()}'`), [ana.id]);
      assert.deepEqual(await queried("email:'nobody@demo-corp.example'"), []);
    });

    it('matches text fields exactly, name being first and last name joined', async () => {
      assert.deepEqual(await queried("job_title:'shift supervisor'"), idsWhere((agent) => agent.job_title === 'Shift Supervisor'));
      assert.deepEqual(await queried("name:'Chloé Dubois'"), idsWhere((agent) => agent.first_name === 'Chloé' && agent.last_name === 'Dubois'));
      assert.deepEqual(await queried('last_name:null'), [facts.nullLastNameAgentId]);
    });

    it('binds AND tighter than OR, and groups with parentheses', async () => {
      const zoe = idsWhere((agent) => agent.first_name === 'Zoë');
      assert.ok(zoe.length === 1);
      assert.deepEqual(await queried("first_name:'Zoë' OR first_name:'Liam' AND last_name:'Nobody'"), zoe);
      const grouped = await queried("(first_name:'Zoë' OR first_name:'Liam') AND job_title:'Shift Supervisor'");
      assert.deepEqual(grouped, zoe);
      const either = await queried("job_title:'Shift Supervisor' OR job_title:'Desktop Support'");
      assert.deepEqual(either, idsWhere((agent) => agent.job_title === 'Shift Supervisor' || agent.job_title === 'Desktop Support'));
    });

    it('compares dates by day with :> and :< (at least, at most)', async () => {
      const created = (agent: SimAgent) => String(agent.created_at).slice(0, 10);
      const from = created(sim.account.agents[10] as SimAgent);
      const to = created(sim.account.agents[20] as SimAgent);
      const between = await queried(`created_at:>'${from}' AND created_at:<'${to}'`);
      assert.deepEqual(between, idsWhere((agent) => created(agent) >= from && created(agent) <= to));
      assert.ok(between.length >= 11);
    });

    it('searches "starts with" across the fields named in ~[...]', async () => {
      const startsSo = (text: string | null) => (text ?? '').toLowerCase().startsWith('so');
      assert.deepEqual(await queried("~[first_name|last_name]:'so'"), idsWhere((agent) => startsSo(agent.first_name) || startsSo(agent.last_name)));
    });

    it('pages the filtered agents like any list, keeping the query in the Link', async () => {
      const response = await get(`/agents?per_page=2&query=${encodeURIComponent("\"job_title:'Service Desk Analyst'\"")}`);
      assert.equal(bodyOf<{ agents: unknown[] }>(response).agents.length, 2);
      assert.match(String(response.headers.link), /query=%22job_title%3A%27Service\+Desk\+Analyst%27%22&page=2/);
    });

    it('applies the other filters with the query', async () => {
      const response = await get(`/agents?per_page=100&active=false&query=${encodeURIComponent("\"job_title:'Service Desk Analyst'\"")}`);
      const expected = idsWhere((agent) => !agent.active && agent.job_title === 'Service Desk Analyst');
      assert.ok(expected.length >= 1);
      assert.deepEqual(bodyOf<{ agents: SimAgent[] }>(response).agents.map((agent) => agent.id), expected);
    });
  });

  describe('phone numbers, and the requesters\' filters', () => {
    let folder: string;
    let withPhones: RunningSimulator;
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'simulator-filters-'));
      const account = demoAccount();
      const agents = account.agents.map((agent, index) => (index === 5 ? { ...agent, mobile_phone_number: '+15550100', work_phone_number: '+15550199' } : agent));
      const requesters = account.requesters.map((requester, index) => (index === 1 ? { ...requester, secondary_emails: ['lars.private@example.com'], work_phone_number: '+15550199' } : requester));
      writeFileSync(join(folder, 'account.json'), JSON.stringify({ ...account, agents, requesters }));
      withPhones = await startSimulator({ accountFile: join(folder, 'account.json') });
    });
    after(async () => {
      await withPhones.stop();
      rmSync(folder, { recursive: true, force: true });
    });
    const idsAt = async (path: string) => {
      const response = await call(`${withPhones.url}/api/v2${path}`, { key: ADMIN });
      assert.equal(response.status, 200, response.body);
      return (Object.values(bodyOf<Record<string, { id: number }[]>>(response))[0] ?? []).map((user) => user.id);
    };

    it('finds agents by mobile or work phone number', async () => {
      const phoned = withPhones.account.agents[5]?.id;
      assert.deepEqual(await idsAt('/agents?mobile_phone_number=%2B15550100'), [phoned]);
      assert.deepEqual(await idsAt('/agents?work_phone_number=%2B15550199'), [phoned]);
      assert.deepEqual(await idsAt('/agents?work_phone_number=%2B15550100'), []);
    });

    it('finds requesters by primary or secondary email in any case, by phone, and by active', async () => {
      const [grace, lars] = withPhones.account.requesters;
      assert.deepEqual(await idsAt(`/requesters?email=${encodeURIComponent(String(grace?.primary_email).toUpperCase())}`), [grace?.id]);
      assert.deepEqual(await idsAt('/requesters?email=lars.private%40example.com'), [lars?.id]);
      assert.deepEqual(await idsAt('/requesters?work_phone_number=%2B15550199'), [lars?.id]);
      assert.deepEqual(await idsAt('/requesters?active=false'), []);
      assert.equal((await idsAt('/requesters?active=true')).length, withPhones.account.requesters.length);
    });
  });
});
