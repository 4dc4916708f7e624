import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccount, demoAccountFacts, startSimulator, type RunningSimulator } from '../../../dev/simulator/index';
import { basicAuth, bodyOf, call } from './http';

const facts = demoAccountFacts();

const invalidCredentials = { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' };
const accessDenied = { code: 'access_denied', message: 'You are not authorized to perform this action.' };

describe('simulator API: authentication with Basic base64(key:X)', () => {
  let sim: RunningSimulator;
  const getWith = (path: string, authorization?: string) =>
    call(`${sim.url}/api/v2${path}`, authorization === undefined ? {} : { headers: { Authorization: authorization } });

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());
  beforeEach(() => sim.resetRateLimits());

  const unauthenticated: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['an unknown key', basicAuth('NoSuchKey00000000000')],
    ['an empty key', basicAuth('')],
    ['a Bearer token instead of Basic', `Bearer ${facts.keys.accountAdmin}`],
    ['a key that is not base64-encoded', `Basic ${facts.keys.accountAdmin}!`],
    ['a truncated base64 value', 'Basic a'],
    ['a key whose API access is switched off', basicAuth(facts.keys.apiSwitchedOff)],
    ['the key of a deactivated agent', basicAuth(facts.keys.deactivatedOwner)],
  ];
  for (const [what, authorization] of unauthenticated) {
    it(`answers 401 invalid_credentials for ${what}`, async () => {
      for (const path of ['/agents', '/agents/me', '/roles']) {
        const response = await getWith(path, authorization);
        assert.equal(response.status, 401, path);
        assert.deepEqual(response.json(), invalidCredentials);
      }
    });
  }

  it('answers 403 access_denied on agents and roles for keys whose owner has no admin-level role', async () => {
    for (const key of [facts.keys.agentWithoutAdminRole, facts.keys.supervisor]) {
      for (const path of ['/agents', `/agents/${facts.htmlNameAgentId}`, '/roles', `/roles/${String(facts.accountAdminRoleId)}`]) {
        const response = await getWith(path, basicAuth(key));
        assert.equal(response.status, 403, `${key} ${path}`);
        assert.deepEqual(response.json(), accessDenied);
      }
    }
  });

  it('lets any valid key read /agents/me, admin or not', async () => {
    const response = await getWith('/agents/me', basicAuth(facts.keys.agentWithoutAdminRole));
    assert.equal(response.status, 200);
    const owner = sim.keys.find((key) => key.key === facts.keys.agentWithoutAdminRole);
    assert.equal(bodyOf<{ agent: { id: number } }>(response).agent.id, owner?.agentId);
  });

  it('lets Account Admins, Admins and custom admin roles read agents', async () => {
    for (const key of [facts.keys.accountAdmin, facts.keys.admin, facts.keys.customAdmin]) {
      const response = await getWith('/agents?per_page=1', basicAuth(key));
      assert.equal(response.status, 200, key);
    }
  });

  it('ignores the password part, as Freshservice does', async () => {
    const authorization = `Basic ${Buffer.from(`${facts.keys.accountAdmin}:anything`).toString('base64')}`;
    assert.equal((await getWith('/agents/me', authorization)).status, 200);
  });

  it('follows role_type from an account file: a role named Admin typed agent gets 403', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'simulator-auth-'));
    const account = demoAccount();
    const retyped = { ...account, roles: account.roles.map((role) => (role.id === facts.adminRoleId ? { ...role, role_type: 'agent' } : role)) };
    writeFileSync(join(folder, 'account.json'), JSON.stringify(retyped));
    const fromFile = await startSimulator({ accountFile: join(folder, 'account.json') });
    try {
      const response = await call(`${fromFile.url}/api/v2/agents`, { key: facts.keys.admin });
      assert.equal(response.status, 403);
      assert.equal(fromFile.keys.find((key) => key.key === facts.keys.admin)?.label, 'Agent without admin role (403)');
    } finally {
      await fromFile.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('labels the demo keys with the answer each one gets', () => {
    const labels = new Map(sim.keys.map((key) => [key.key, key.label]));
    assert.equal(labels.get(facts.keys.accountAdmin), 'Account Admin');
    assert.equal(labels.get(facts.keys.admin), 'Admin (not Account Admin)');
    assert.equal(labels.get(facts.keys.agentWithoutAdminRole), 'Agent without admin role (403)');
    assert.equal(labels.get(facts.keys.apiSwitchedOff), 'API access switched off (401)');
  });
});
