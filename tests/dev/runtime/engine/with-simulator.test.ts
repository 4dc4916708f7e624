import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessOverviewSlice, AccountAdminsResult } from '#common/audit';
import type { ProfileAccess } from '#common/profile';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine } from '../../../../dev/runtime/engine/index';
import { accountFacts, roleTypeSpellingSchema, startSimulator } from '../../../../dev/simulator/index';
import type { RunningSimulator } from '../../../../dev/simulator/index';
import { REPO_ROOT } from './fixtures';

function keyLabelledIn(simulator: RunningSimulator, label: string): string {
  const found = simulator.keys.find((key) => key.label === label);
  assert.ok(found, `the simulator's demo account has a key labelled ${label}`);
  return found.key;
}

/** The real app installed against this simulator, as the platform installs it (onAppInstall builds the Account Admins list). */
async function installedApp(simulator: RunningSimulator): Promise<AppEngine> {
  const engine = await createAppEngine({
    appRoot: REPO_ROOT,
    iparams: { freshservice_domain: simulator.account.domain, api_key: keyLabelledIn(simulator, 'Account Admin') },
    store: createKeyValueStore(),
    freshserviceUrl: simulator.url,
  });
  const installed = await engine.invokeEvent('onAppInstall', {});
  assert.equal(installed.ok, true, JSON.stringify(installed));
  return engine;
}

async function answerOf<T>(engine: AppEngine, method: string, payload: Record<string, unknown>): Promise<T> {
  const result = await engine.invokeServerMethod(method, payload);
  assert.equal(result.ok, true, JSON.stringify(result.body));
  return (result.body as { response: T }).response;
}

/** Who can enable keys, as every sidebar view answers it (here: an active agent on their own page). */
async function accountAdminsOf(engine: AppEngine, simulator: RunningSimulator): Promise<AccountAdminsResult> {
  const agent = simulator.account.agents.find((candidate) => candidate.active);
  assert.ok(agent !== undefined);
  const profile = await answerOf<ProfileAccess>(engine, 'getProfileAccess', { viewedId: agent.id, viewedEmail: agent.email, viewerId: agent.id, viewerEmail: agent.email });
  assert.ok(profile.accountAdmins !== null);
  return profile.accountAdmins;
}

/** The real app (manifest, requests.json, built server) against the Freshservice simulator. */
describe('engine: the real app against the simulator', () => {
  let simulator: RunningSimulator;
  let engine: AppEngine;

  const keyLabelled = (label: string): string => keyLabelledIn(simulator, label);

  before(async () => {
    simulator = await startSimulator({ port: 0 });
    // As the platform does on installation: the app builds its Account Admins list in the background, never in a view.
    engine = await installedApp(simulator);
  });

  after(async () => {
    await engine.close();
    await simulator.stop();
  });

  it('sends the listRoles template to the simulator with the Basic key and resolves the raw body', async () => {
    const result = await engine.invokeTemplate('listRoles', { context: { page: 1 } });
    assert.equal(result.ok, true);
    const body = result.body as { status: number; response: string };
    assert.equal(body.status, 200);
    const roles = (JSON.parse(body.response) as { roles: { name: string }[] }).roles;
    assert.ok(roles.some((role) => role.name === 'Account Admin'));
  });

  it('sends only query parameters the simulator takes: every template in config/requests.json is answered 200', async () => {
    const requests = JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'requests.json'), 'utf8')) as Record<string, { schema: { host: string; headers?: object } }>;
    const [agent] = simulator.account.agents;
    assert.ok(agent !== undefined);
    const context = { page: 1, active: true, agent_id: agent.id, email: agent.email, domain: simulator.account.domain, api_key: keyLabelled('Account Admin') };
    assert.ok(Object.keys(requests).length >= 5);
    for (const [name, { schema }] of Object.entries(requests)) {
      // Context in the host or headers: only the installation page may send such a template (docs/platform-contract.md, row 22).
      const fromInstallPage = JSON.stringify([schema.host, schema.headers]).includes('context.');
      const result = await (fromInstallPage ? engine.invokeInstallationTemplate(name, { context }) : engine.invokeTemplate(name, { context }));
      assert.equal(result.ok, true, `${name}: ${JSON.stringify(result.body)}`);
      assert.equal((result.body as { status: number }).status, 200, name);
    }
  });

  it('runs a server method that calls templates from inside the sandbox', async () => {
    const { accountAdmins } = await accountAdminsOf(engine, simulator);
    assert.ok(accountAdmins.length > 0);
  });

  it('rejects with the API status and errorSource APP when the key is switched off', async () => {
    engine.setIparams({ freshservice_domain: simulator.account.domain, api_key: keyLabelled('API access switched off (401)') });
    const result = await engine.invokeTemplate('listRoles', { context: { page: 1 } });
    assert.equal(result.ok, false);
    assert.deepEqual(
      { status: (result.body as { status: number }).status, source: (result.body as { errorSource: string }).errorSource },
      { status: 401, source: 'APP' },
    );
  });

  it("answers a server method the same whether the platform rejects or resolves Freshservice's error answers", async () => {
    const answers: unknown[] = [];
    for (const nonSuccessAnswers of ['reject', 'resolve'] as const) {
      const resolving = await createAppEngine({
        appRoot: REPO_ROOT,
        iparams: { freshservice_domain: simulator.account.domain, api_key: keyLabelled('API access switched off (401)') },
        store: createKeyValueStore(),
        freshserviceUrl: simulator.url,
        nonSuccessAnswers,
      });
      try {
        const template = await resolving.invokeTemplate('listRoles', { context: { page: 1 } });
        assert.equal(template.ok, nonSuccessAnswers === 'resolve');
        const method = await resolving.invokeServerMethod('getUserAccess', { email: simulator.account.agents[0]?.email });
        assert.equal(method.ok, false);
        const { status, message } = method.body as { status: number; message: string };
        answers.push({ status, message });
      } finally {
        await resolving.close();
      }
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.equal((answers[0] as { status: number }).status, 401);
  });
});

/**
 * The admin-level decision end to end: the real app against the simulator under each spelling of
 * `role_type` (absent, "admin"/"agent", "admin_and_data", integers). Whoever holds the default
 * Admin role or a custom admin role is "an admin, but not Account Admin", under every spelling.
 */
describe('engine: the real app against the simulator, under every spelling of role_type', () => {
  for (const roleType of roleTypeSpellingSchema.options) {
    describe(`roleType ${roleType}`, () => {
      let simulator: RunningSimulator;
      let engine: AppEngine;
      let adminRoleHolders: number[];

      before(async () => {
        simulator = await startSimulator({ port: 0, roleType });
        engine = await installedApp(simulator);
        const facts = accountFacts(simulator.account);
        const adminRoles = new Set([facts.adminRoleId, ...facts.customAdminRoleIds]);
        adminRoleHolders = simulator.account.agents.filter((agent) => agent.roles.some((role) => adminRoles.has(role.role_id))).map((agent) => agent.id);
        assert.ok(adminRoleHolders.length >= 5);
      });

      after(async () => {
        await engine.close();
        await simulator.stop();
      });

      it('marks exactly the holders of Admin and custom admin roles as holding an admin role, in the overview', async () => {
        const agents: AccessOverviewSlice['agents'] = [];
        let cursor: string | null = null;
        for (let slice = 0; slice === 0 || cursor !== null; slice += 1) {
          assert.ok(slice < 20, 'the overview ends');
          const answer: AccessOverviewSlice = await answerOf<AccessOverviewSlice>(engine, 'getAccessOverview', { includeDeactivated: true, cursor });
          agents.push(...answer.agents);
          cursor = answer.cursor;
        }
        assert.equal(agents.length, simulator.account.agents.length);
        assert.deepEqual(agents.filter((agent) => agent.holdsAdminRole).map((agent) => agent.id).sort(), [...adminRoleHolders].sort());
        assert.deepEqual(agents.filter((agent) => agent.isAccountAdmin).map((agent) => agent.id).sort(), [...accountFacts(simulator.account).accountAdminIds].sort());
      });

      it('says which Account Admins also hold another admin role', async () => {
        const { accountAdmins } = await accountAdminsOf(engine, simulator);
        assert.ok(accountAdmins.length >= 2);
        for (const admin of accountAdmins) {
          assert.equal(admin.holdsAdminRole, adminRoleHolders.includes(admin.id), String(admin.id));
        }
        assert.ok(accountAdmins.some((admin) => admin.holdsAdminRole) && accountAdmins.some((admin) => !admin.holdsAdminRole));
      });
    });
  }
});
