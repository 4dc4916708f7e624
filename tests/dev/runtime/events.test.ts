import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoAccountFacts } from '../../../dev/simulator/index';
import { bridge, createFixtureApp, startFixtureRuntime, type FixtureApp, type StartedRuntime } from './fixture';

/**
 * The fixture app with set-up and user event handlers that append what they received to $db
 * (`events`: the event name, the region iparam, the user id); its onAppInstall refuses the
 * region "us", so a test can watch a refused installation.
 */
const HANDLERS = `
function remember(args) {
  const user = args.data && args.data.user ? args.data.user.id : null;
  $db.update('events', 'append', { seen: [{ event: args.event, region: args.iparams.region, user: user }] }).then(function () { renderData(); });
}
exports.install = function (args) {
  if (args.iparams.region === 'us') {
    renderData({ message: 'This app does not serve the us region' });
    return;
  }
  remember(args);
};
exports.userChanged = remember;
`;

function withEvents(app: FixtureApp): FixtureApp {
  const manifestFile = join(app.root, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { modules: Record<string, Record<string, unknown>> };
  manifest.modules['common'] = { ...manifest.modules['common'], events: { onAppInstall: { handler: 'install' } } };
  manifest.modules['service_user'] = { ...manifest.modules['service_user'], events: { onUserUpdate: { handler: 'userChanged' }, onUserDelete: { handler: 'userChanged' } } };
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const serverFile = join(app.root, 'server', 'server.js');
  writeFileSync(serverFile, `${readFileSync(serverFile, 'utf8')}${HANDLERS}`);
  return app;
}

interface Seen {
  event: string;
  region: string;
  user: number | null;
}

async function seen(started: StartedRuntime): Promise<Seen[]> {
  const { answer } = await bridge(started.runtime, 'db', { operation: 'get', args: ['events'] });
  return answer.ok ? (answer.body as { seen: Seen[] }).seen : [];
}

function saveSettings(started: StartedRuntime, region: string): Promise<Response> {
  return fetch(`${started.runtime.shellUrl}/custom_configs`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: started.runtime.shellUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `freshservice_domain=demo&api_key=&region=${region}`,
  });
}

describe('local runtime: app set-up events and the simulator user events', function () {
  this.timeout(30_000);
  const facts = demoAccountFacts();

  it('delivers onAppInstall on the first start of a data directory and no set-up event on later starts (each stands for an automatic update)', async () => {
    const app = withEvents(createFixtureApp());
    try {
      const first = await startFixtureRuntime({}, app);
      await first.stop();
      assert.ok(existsSync(join(app.dataDir, 'installation.json')), 'the installation is recorded in the data directory');
      const second = await startFixtureRuntime({}, app);
      try {
        assert.deepEqual((await seen(second)).map((entry) => entry.event), ['onAppInstall']);
        assert.ok(first.logs.some((line) => /^event onAppInstall 200 \d+ms$/.test(line)));
        assert.ok(!second.logs.some((line) => line.startsWith('event ')), 'no event on the later start');
      } finally {
        await second.stop();
      }
    } finally {
      app.remove();
    }
  });

  it('delivers onAppInstall on the first /custom_configs save with the new settings, nothing on later saves, and saves nothing the app refuses', async () => {
    const app = withEvents(createFixtureApp());
    const started = await startFixtureRuntime({}, app);
    try {
      const refused = await saveSettings(started, 'us');
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /did not complete its installation \(500: This app does not serve the us region\)/);
      assert.equal(existsSync(join(app.dataDir, 'custom_configs.json')), false, 'a refused installation saves nothing');
      assert.equal(started.runtime.engine.nonSecureIparams()['region'], 'eu', 'and the settings in use stay as they were');

      assert.equal((await saveSettings(started, 'eu')).status, 303);
      assert.equal((await saveSettings(started, 'eu')).status, 303);
      assert.deepEqual((await seen(started)).map((entry) => entry.event), ['onAppInstall', 'onAppInstall']);
    } finally {
      await started.stop();
      app.remove();
    }
  });

  it('offers onAppInstall again on the next start when the app refused it', async () => {
    const app = withEvents(createFixtureApp());
    writeFileSync(join(app.root, 'config', 'iparams.json'), readFileSync(join(app.root, 'config', 'iparams.json'), 'utf8').replace('"default_value":"eu"', '"default_value":"us"'));
    try {
      const first = await startFixtureRuntime({}, app);
      await first.stop();
      assert.ok(first.logs.some((line) => line.startsWith('onAppInstall did not complete (500: This app does not serve the us region)')));
      const second = await startFixtureRuntime({}, app);
      await second.stop();
      assert.ok(second.logs.some((line) => line.startsWith('event onAppInstall ')), 'installed again, not updated');
    } finally {
      app.remove();
    }
  });

  it("delivers the embedded simulator's user events to the app, and the control answer waits for the app", async () => {
    const app = withEvents(createFixtureApp());
    const started = await startFixtureRuntime({}, app);
    try {
      const simulator = started.runtime.simulator;
      assert.ok(simulator !== null);
      const [agentId] = facts.withoutAdminRoleIds as [number];
      const response = await fetch(`${simulator.url}/_simulator/agents/${agentId}/deactivate`, { method: 'POST' });
      const answer = (await response.json()) as { agent: { id: number; active: boolean }; event: string; listeners: number };
      assert.deepEqual({ id: answer.agent.id, active: answer.agent.active, event: answer.event, listeners: answer.listeners }, { id: agentId, active: false, event: 'onUserUpdate', listeners: 1 });
      assert.equal((await seen(started)).length, 2, 'the app has handled the event by the time the control call answers');
      const deleted = await fetch(`${simulator.url}/_simulator/agents/${agentId}`, { method: 'DELETE' });
      assert.equal(deleted.status, 200);
      assert.deepEqual((await seen(started)).slice(1), [
        { event: 'onUserUpdate', region: 'eu', user: agentId },
        { event: 'onUserDelete', region: 'eu', user: agentId },
      ]);
      assert.ok(started.logs.every((line) => !line.includes('Forgotten User')), 'no payload in the log');
    } finally {
      await started.stop();
      app.remove();
    }
  });
});
