import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccount, demoAccountFacts, startSimulator, type RunningSimulator, type SimAgent, type SimRole } from '../../../dev/simulator/index';
import { bodyOf, call } from './http';

const facts = demoAccountFacts();
const ADMIN = facts.keys.accountAdmin;

type AgentPage = { agents: SimAgent[] };
type RolePage = { roles: SimRole[] };

describe('simulator API: agents and roles as Freshservice serves them', () => {
  let sim: RunningSimulator;
  const get = (path: string, key: string = ADMIN) => call(`${sim.url}/api/v2${path}`, { key });

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());
  beforeEach(() => sim.resetRateLimits());

  describe('requesters', () => {
    it('answers a requester\'s id with 404 on /agents/{id}: a requester is not an agent', async () => {
      const [requesterId] = facts.requesterIds;
      const asAgent = await get(`/agents/${String(requesterId)}`);
      assert.equal(asAgent.status, 404);
      const asRequester = await get(`/requesters/${String(requesterId)}`);
      assert.equal(asRequester.status, 200);
      assert.equal(bodyOf<{ requester: { id: number; primary_email: string } }>(asRequester).requester.id, requesterId);
      const listed = bodyOf<{ requesters: { id: number }[] }>(await get('/requesters'));
      assert.deepEqual(listed.requesters.map((requester) => requester.id), facts.requesterIds);
    });

    it('carries every field captured real requesters carry: is_agent false, vip_user, the department and location names', async () => {
      const { requester } = bodyOf<{ requester: Record<string, unknown> }>(await get(`/requesters/${String(facts.requesterIds[0])}`));
      assert.equal(requester['is_agent'], false);
      assert.equal(requester['vip_user'], false);
      assert.equal(requester['can_see_all_changes_from_associated_departments'], false);
      for (const field of ['department_names', 'location_name', 'external_id']) {
        assert.ok(field in requester && requester[field] === null, `${field} is null`);
      }
    });
  });

  describe('GET /agents paging', () => {
    it('answers 30 agents by default with the next page in a Link header written as Freshservice writes it', async () => {
      const response = await get('/agents');
      assert.equal(response.status, 200);
      assert.equal(bodyOf<AgentPage>(response).agents.length, 30);
      assert.equal(response.headers.link, `<${sim.url}/api/v2/agents?page=2>; rel="next"`);
      assert.match(String(response.headers['content-type']), /^application\/json/);
    });

    it('serves the whole account across pages by following Link, with no Link on the last page', async () => {
      const seen: number[] = [];
      let next: string | null = `${sim.url}/api/v2/agents?per_page=25`;
      let pages = 0;
      while (next !== null) {
        const response = await call(next, { key: ADMIN });
        seen.push(...bodyOf<AgentPage>(response).agents.map((agent) => agent.id));
        pages += 1;
        next = /^<([^>]+)>; rel="next"$/.exec(String(response.headers.link ?? ''))?.[1] ?? null;
      }
      assert.equal(pages, Math.ceil(sim.account.agents.length / 25));
      assert.deepEqual(seen, sim.account.agents.map((agent) => agent.id));
    });

    it('keeps the caller\'s filters and per_page in the Link and moves page on', async () => {
      const response = await get('/agents?active=true&per_page=10&page=2');
      assert.equal(response.headers.link, `<${sim.url}/api/v2/agents?active=true&per_page=10&page=3>; rel="next"`);
    });

    it('answers 100 agents at most per page and an empty list past the end, without Link', async () => {
      const full = await get('/agents?per_page=100');
      assert.equal(bodyOf<AgentPage>(full).agents.length, sim.account.agents.length);
      assert.equal(full.headers.link, undefined);
      const past = await get('/agents?page=9&per_page=100');
      assert.equal(past.status, 200);
      assert.equal(past.body, '{"agents":[]}');
      assert.equal(past.headers.link, undefined);
    });
  });

  describe('GET /agents filters', () => {
    const ids = async (query: string) => bodyOf<AgentPage>(await get(`/agents?per_page=100&${query}`)).agents.map((agent) => agent.id);

    it('includes deactivated agents unless active=true', async () => {
      const all = await ids('');
      facts.deactivatedIds.forEach((id) => assert.ok(all.includes(id)));
      const active = await ids('active=true');
      assert.equal(active.length, all.length - facts.deactivatedIds.length);
      assert.ok(facts.deactivatedIds.every((id) => !active.includes(id)));
      assert.deepEqual(await ids('active=false'), facts.deactivatedIds);
    });

    it('filters on state=occasional and state=fulltime', async () => {
      assert.deepEqual(await ids('state=occasional'), facts.occasionalIds);
      const fulltime = await ids('state=fulltime');
      assert.equal(fulltime.length, sim.account.agents.length - facts.occasionalIds.length);
    });

    it('finds an agent by email regardless of case, and nobody for an unknown email', async () => {
      assert.deepEqual(await ids('email=HTML.Tester%40demo-corp.example'), [facts.htmlNameAgentId]);
      assert.deepEqual(await ids('email=nobody%40demo-corp.example'), []);
    });
  });

  describe('GET /agents?query= (Freshservice\'s filter query)', () => {
    const idsWhere = (test: (agent: SimAgent) => boolean) => sim.account.agents.filter(test).map((agent) => agent.id);
    const queried = async (query: string) => {
      const response = await get(`/agents?per_page=100&query=${encodeURIComponent(`"${query}"`)}`);
      assert.equal(response.status, 200, response.body);
      return bodyOf<AgentPage>(response).agents.map((agent) => agent.id);
    };
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
      assert.deepEqual(bodyOf<AgentPage>(response).agents.map((agent) => agent.id), expected);
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

  describe('single records', () => {
    it('answers GET /agents/{id} as { agent } with the real shape', async () => {
      const response = await get(`/agents/${facts.nullLastNameAgentId}`);
      const { agent } = bodyOf<{ agent: SimAgent }>(response);
      assert.equal(agent.id, facts.nullLastNameAgentId);
      assert.equal(agent.last_name, null);
      assert.ok(agent.id >= 21_000_000_000);
      assert.match(String(agent.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const field of ['role_ids', 'group_ids', 'scopes', 'roles', 'member_of', 'observer_of', 'department_ids', 'job_title', 'last_login_at']) {
        assert.ok(field in agent, `agent has ${field}`);
      }
    });

    it('carries every field captured real agents carry, with their types', async () => {
      const { agents } = bodyOf<AgentPage>(await get('/agents?per_page=100'));
      const loggedIn = agents.find((agent) => agent.last_login_at !== null);
      const never = agents.find((agent) => agent.last_login_at === null);
      assert.ok(loggedIn !== undefined && never !== undefined);
      for (const agent of [loggedIn, never]) {
        assert.equal(agent['auto_assign_tickets'], true);
        assert.equal(agent['vip_user'], false);
        for (const field of ['signature', 'external_id', 'department_names', 'location_name']) {
          assert.ok(field in agent && agent[field] === null, `${field} is null`);
        }
        assert.equal(typeof agent['scoreboard_points'], 'number');
      }
      assert.equal(loggedIn['auto_assign_status_changed_at'], loggedIn.last_login_at);
      assert.equal(never['auto_assign_status_changed_at'], null);
    });

    it('serves HTML-like names verbatim (escaping is the caller\'s job)', async () => {
      const { agent } = bodyOf<{ agent: SimAgent }>(await get(`/agents/${facts.htmlNameAgentId}`));
      assert.equal(agent.first_name, '<img src=x onerror=alert(1)>');
    });

    it('answers 404 with a JSON body for an unknown agent or role id', async () => {
      for (const path of ['/agents/21000000001', '/roles/21000000001']) {
        const response = await get(path);
        assert.equal(response.status, 404);
        assert.equal(bodyOf<{ code: string }>(response).code, 'not_found');
      }
    });

    it('answers GET /agents/me with the key\'s owner', async () => {
      const { agent } = bodyOf<{ agent: SimAgent }>(await get('/agents/me'));
      assert.equal(agent.id, sim.keys.find((key) => key.key === ADMIN)?.agentId);
    });
  });

  describe('GET /roles', () => {
    it('pages roles the same way, with default flags and descriptions', async () => {
      const first = await get('/roles?per_page=5');
      assert.equal(bodyOf<RolePage>(first).roles.length, 5);
      assert.equal(first.headers.link, `<${sim.url}/api/v2/roles?per_page=5&page=2>; rel="next"`);
      const all = bodyOf<RolePage>(await get('/roles?per_page=100')).roles;
      assert.equal(all.length, sim.account.roles.length);
      const accountAdmin = all.find((role) => role.id === facts.accountAdminRoleId);
      assert.equal(accountAdmin?.name, 'Account Admin');
      assert.equal(accountAdmin?.default, true);
      assert.ok(all.some((role) => !role.default && role.name.includes('Admin')), 'a custom role with Admin in its name');
    });

    it('answers GET /roles/{id} as { role }', async () => {
      const { role } = bodyOf<{ role: SimRole }>(await get(`/roles/${String(facts.adminRoleId)}`));
      assert.equal(role.name, 'Admin');
      assert.equal(typeof role.description, 'string');
    });
  });

  describe('unknown paths and methods', () => {
    it('answers 404 JSON for an unknown API path', async () => {
      const response = await get('/tickets');
      assert.equal(response.status, 404);
      assert.equal(bodyOf<{ code: string }>(response).code, 'not_found');
    });

    it('answers 405 with Allow: GET for a method the endpoint does not take', async () => {
      const response = await call(`${sim.url}/api/v2/agents/${facts.htmlNameAgentId}`, { method: 'PUT', key: ADMIN, body: '{}' });
      assert.equal(response.status, 405);
      assert.equal(response.headers.allow, 'GET');
      assert.equal(bodyOf<{ code: string }>(response).code, 'method_not_allowed');
    });

    it('answers 400 to a request target no URL parser accepts, and keeps serving', async () => {
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(sim.port, '127.0.0.1', () => socket.end('GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.1 400 /);
      assert.equal((await get('/agents/me')).status, 200);
    });

    it('answers 404 outside /api/v2 without counting against the rate limit', async () => {
      const response = await call(`${sim.url}/helpdesk/agents`);
      assert.equal(response.status, 404);
      assert.equal(response.headers['x-ratelimit-total'], undefined);
    });
  });
});
