import { strict as assert } from 'node:assert';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine } from '../../../../dev/runtime/engine/index';
import { startSimulator } from '../../../../dev/simulator/index';
import type { RunningSimulator } from '../../../../dev/simulator/index';
import { REPO_ROOT } from './fixtures';

/** The real app (manifest, requests.json, built server) against the Freshservice simulator. */
describe('engine: the real app against the simulator', () => {
  let simulator: RunningSimulator;
  let engine: AppEngine;

  function keyLabelled(label: string): string {
    const found = simulator.keys.find((key) => key.label === label);
    assert.ok(found, `the simulator's demo account has a key labelled ${label}`);
    return found.key;
  }

  before(async () => {
    simulator = await startSimulator({ port: 0 });
    engine = await createAppEngine({
      appRoot: REPO_ROOT,
      iparams: { freshservice_domain: simulator.account.domain, api_key: keyLabelled('Account Admin') },
      store: createKeyValueStore(),
      freshserviceUrl: simulator.url,
    });
    // As the platform does on installation: the app builds its Account Admins list in the background, never in a view.
    const installed = await engine.invokeEvent('onAppInstall', {});
    assert.equal(installed.ok, true, JSON.stringify(installed));
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

  it('runs a server method that calls templates from inside the sandbox', async () => {
    const result = await engine.invokeServerMethod('listAccountAdmins', {});
    assert.equal(result.ok, true, JSON.stringify(result.body));
    const body = result.body as { requestID: string; response: { accountAdmins: unknown[] } };
    assert.ok(body.response.accountAdmins.length > 0);
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
        const method = await resolving.invokeServerMethod('listAccountAdmins', {});
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
