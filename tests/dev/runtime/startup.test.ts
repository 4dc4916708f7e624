import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../../dev/simulator/index';
import { RuntimeStartupError, startRuntime } from '../../../dev/runtime/index';
import { loadSavedIparams, readEnvironment, saveIparams } from '../../../dev/runtime/config';
import { REPO_ROOT } from '../../../dev/runtime/host';
import { ADMIN_KEY, bridge, createFixtureApp, startFixtureRuntime, type FixtureApp } from './fixture';

async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a rejection');
}

function occupiedPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

describe('local runtime start-up and configuration', function () {
  this.timeout(20000);

  describe('readEnvironment', () => {
    it('reads PORT and all three FRESHSERVICE_* variables', () => {
      assert.deepEqual(readEnvironment({ PORT: '10005', FRESHSERVICE_URL: 'https://acme.freshservice.com/', FRESHSERVICE_DOMAIN: 'acme', FRESHSERVICE_API_KEY: 'k' }), {
        port: 10005,
        freshservice: { url: 'https://acme.freshservice.com', domain: 'acme', apiKey: 'k' },
        simulator: undefined,
      });
    });

    it('treats empty variables as unset', () => {
      assert.deepEqual(readEnvironment({ PORT: '', FRESHSERVICE_URL: '', SIMULATOR_AGENTS: '' }), { port: undefined, freshservice: undefined, simulator: undefined });
    });

    it('reads the built-in simulator\'s account from SIMULATOR_AGENTS, SIMULATOR_SEED and SIMULATOR_PLAN, as npm run simulator takes them', () => {
      assert.deepEqual(readEnvironment({ SIMULATOR_AGENTS: '10000', SIMULATOR_SEED: '7', SIMULATOR_PLAN: 'starter' }).simulator, { agents: 10000, seed: 7, plan: 'starter' });
      assert.deepEqual(readEnvironment({ SIMULATOR_AGENTS: '500' }).simulator, { agents: 500 });
    });

    it('refuses a bad SIMULATOR_* value, naming the variable, and SIMULATOR_* beside FRESHSERVICE_*', () => {
      for (const [name, value] of [['SIMULATOR_AGENTS', '0'], ['SIMULATOR_AGENTS', '50001'], ['SIMULATOR_AGENTS', 'many'], ['SIMULATOR_SEED', '-1'], ['SIMULATOR_PLAN', 'gold']] as const) {
        assert.throws(() => readEnvironment({ [name]: value }), (error: Error) => error instanceof RuntimeStartupError && error.message.includes(name), `${name}=${value}`);
      }
      assert.throws(
        () => readEnvironment({ FRESHSERVICE_URL: 'https://acme.freshservice.com', FRESHSERVICE_DOMAIN: 'acme', FRESHSERVICE_API_KEY: 'k', SIMULATOR_AGENTS: '100' }),
        (error: Error) => error instanceof RuntimeStartupError && /SIMULATOR_\* choose the built-in simulator/.test(error.message),
      );
    });

    it('refuses only some of FRESHSERVICE_*', () => {
      assert.throws(() => readEnvironment({ FRESHSERVICE_URL: 'http://127.0.0.1:9000' }), (error: Error) => error instanceof RuntimeStartupError && /all three/.test(error.message));
    });

    it('refuses a bad port, URL or domain, naming the variable and never echoing the key', () => {
      assert.throws(() => readEnvironment({ PORT: 'eighty' }), /PORT/);
      const secret = 'SuperSecretKey';
      assert.throws(
        () => readEnvironment({ FRESHSERVICE_URL: 'ftp://x', FRESHSERVICE_DOMAIN: 'acme.freshservice.com', FRESHSERVICE_API_KEY: secret }),
        (error: Error) => /FRESHSERVICE_URL/.test(error.message) && /FRESHSERVICE_DOMAIN/.test(error.message) && !error.message.includes(secret),
      );
    });
  });

  describe('saved iparams', () => {
    it('apply only to the Freshservice they were saved for', () => {
      const folder = mkdtempSync(join(tmpdir(), 'runtime-config-'));
      try {
        const file = join(folder, 'custom_configs.json');
        saveIparams(file, 'simulator', { region: 'us' });
        assert.deepEqual(loadSavedIparams(file, 'simulator'), { region: 'us' });
        assert.deepEqual(loadSavedIparams(file, 'https://acme.freshservice.com#acme'), {});
        writeFileSync(file, '{"iparams": 3}');
        assert.throws(() => loadSavedIparams(file, 'simulator'), (error: Error) => error instanceof RuntimeStartupError && /Delete the file/.test(error.message));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  it('says which port is taken and how to pick another', async () => {
    const { server, port } = await occupiedPort();
    const app = createFixtureApp();
    try {
      const error = await rejection(startRuntime({ port, appRoot: app.root, dataDir: app.dataDir, log: () => undefined }));
      assert.ok(error instanceof RuntimeStartupError);
      assert.match(error.message, new RegExp(`Port ${port} is already in use`));
      assert.match(error.message, /PORT=/);
    } finally {
      server.close();
      app.remove();
    }
  });

  it('tells to run npm run build when the app is not built', async () => {
    const app = createFixtureApp();
    mkdirSync(join(app.root, 'server', 'src'), { recursive: true });
    try {
      const error = await rejection(startRuntime({ port: 0, appRoot: app.root, dataDir: app.dataDir, log: () => undefined }));
      assert.ok(error instanceof RuntimeStartupError);
      assert.match(error.message, /server\/lib\/ is missing/);
      assert.match(error.message, /npm run build/);
    } finally {
      app.remove();
    }
  });

  it('names a broken config/iparams.json', async () => {
    const app = createFixtureApp();
    writeFileSync(join(app.root, 'config', 'iparams.json'), JSON.stringify({ region: { display_name: 'Region', type: 'colour' } }));
    try {
      const error = await rejection(startRuntime({ port: 0, appRoot: app.root, dataDir: app.dataDir, log: () => undefined }));
      assert.ok(error instanceof RuntimeStartupError);
      assert.match(error.message, /iparams\.json/);
    } finally {
      app.remove();
    }
  });

  it('refuses a domain or api_key iparam without type_attributes.product, which every reading of the sources rejects', async () => {
    const app = createFixtureApp();
    const disputed = { domain: { display_name: 'Domain', type: 'domain' }, key: { display_name: 'Key', type: 'api_key', type_attributes: { product: 'freshdesk' } } };
    writeFileSync(join(app.root, 'config', 'iparams.json'), JSON.stringify(disputed));
    try {
      const error = await rejection(startRuntime({ port: 0, appRoot: app.root, dataDir: app.dataDir, log: () => undefined }));
      assert.ok(error instanceof RuntimeStartupError);
      assert.match(error.message, /domain\.type: type "domain" needs "type_attributes": \{ "product": "freshservice" \}.*use "text"/);
      assert.match(error.message, /key\.type: type "api_key" needs/);
    } finally {
      app.remove();
    }
  });

  it('starts an app whose domain and key iparams use the types current Freshworks material allows (with type_attributes.product)', async () => {
    const app = createFixtureApp();
    const current = {
      freshservice_domain: { display_name: 'Domain', type: 'domain', type_attributes: { product: 'freshservice' }, required: true },
      api_key: { display_name: 'Key', type: 'api_key', type_attributes: { product: 'freshservice' }, secure: true, required: true },
    };
    writeFileSync(join(app.root, 'config', 'iparams.json'), JSON.stringify(current));
    const started = await startFixtureRuntime({}, app);
    try {
      assert.equal(started.runtime.engine.nonSecureIparams()['freshservice_domain'], started.runtime.simulator?.account.domain);
    } finally {
      await started.stop();
      app.remove();
    }
  });

  it('keeps $db data and saved settings across a restart', async () => {
    const first = await startFixtureRuntime();
    try {
      await bridge(first.runtime, 'db', { operation: 'set', args: ['kept', { value: 42 }] });
      const response = await fetch(`${first.runtime.shellUrl}/custom_configs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: first.runtime.shellUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'freshservice_domain=demo&api_key=&region=us',
      });
      await response.text();
      assert.equal(response.status, 303);
    } finally {
      await first.stop();
    }
    const second = await startFixtureRuntime({}, first.app);
    try {
      assert.deepEqual((await bridge(second.runtime, 'db', { operation: 'get', args: ['kept'] })).answer, { ok: true, body: { value: 42 } });
      assert.equal(second.runtime.engine.nonSecureIparams()['region'], 'us');
    } finally {
      await second.stop();
      first.app.remove();
    }
  });

  it('closes every port on stop, the embedded simulator included', async () => {
    const started = await startFixtureRuntime();
    const simulatorUrl = started.runtime.simulator?.url ?? '';
    await started.stop();
    await started.stop();
    started.app.remove();
    await assert.rejects(fetch(`${started.runtime.shellUrl}/agents`));
    await assert.rejects(fetch(`${started.runtime.appOrigin}/app/page.html`));
    await assert.rejects(fetch(`${simulatorUrl}/api/v2/agents`));
  });

  describe('against another Freshservice (FRESHSERVICE_* / options.freshservice)', () => {
    it('lists its agents through its API and sends templates for the domain to its URL', async () => {
      const other = await startSimulator({ port: 0 });
      const started = await startFixtureRuntime({ freshservice: { url: other.url, domain: 'elsewhere', apiKey: ADMIN_KEY } });
      try {
        assert.equal(started.runtime.simulator, null);
        const agents = await (await fetch(`${started.runtime.shellUrl}/agents`)).text();
        const agent = other.account.agents[0];
        assert.ok(agent && agents.includes(`href="/users/${agent.id}"`));
        const owner = other.keys.find((key) => key.key === ADMIN_KEY)?.agentId;
        const { answer } = await bridge(started.runtime, 'template', { name: 'whoAmI', options: { context: { id: owner } } });
        assert.equal(answer.ok, true, JSON.stringify(answer.body));
        assert.equal(started.runtime.engine.nonSecureIparams()['freshservice_domain'], 'elsewhere');
      } finally {
        await started.stop();
        started.app.remove();
        await other.stop();
      }
    });
  });

  it('serves the real app (smoke)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'runtime-real-'));
    const runtime = await startRuntime({ port: 0, dataDir, log: () => undefined });
    try {
      const page = await (await fetch(`${runtime.appOrigin}/app/console.html`)).text();
      assert.ok(page.includes(`${runtime.appOrigin}/_runtime/client.js`));
      assert.ok(!page.includes('{{{appclient}}}'));
      const shell = await (await fetch(`${runtime.shellUrl}/apps/full_page_app`)).text();
      assert.ok(shell.includes('id="app-full_page_app"'));
    } finally {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('cli', () => {
    /**
     * The CLI serves the app its build/ sits in (REPO_ROOT comes from its own path). Linking build/
     * and node_modules/ into a fixture app and keeping those links as paths makes the CLI serve the
     * fixture, with its own .fdk/: the repository's .fdk (a developer's saved settings) plays no part.
     */
    let app: FixtureApp;

    beforeEach(() => {
      app = createFixtureApp();
      symlinkSync(join(REPO_ROOT, 'build'), join(app.root, 'build'), 'dir');
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(app.root, 'node_modules'), 'dir');
    });

    afterEach(() => app.remove());

    /** Runs the CLI; `whenReady` gets the URL it printed, and the CLI is stopped after it. */
    function run(env: Record<string, string>, whenReady: ((url: string) => Promise<void>) | null): Promise<{ code: number | null; output: string }> {
      const cli = join(app.root, 'build', 'dev', 'runtime', 'cli.js');
      return new Promise((resolve) => {
        const child = spawn(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', cli], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        let ready = false;
        const collect = (chunk: Buffer): void => {
          output += chunk.toString();
          const url = /Open (http:\/\/localhost:\d+)/.exec(output)?.[1];
          if (whenReady !== null && url !== undefined && !ready) {
            ready = true;
            whenReady(url).then(
              () => child.kill('SIGTERM'),
              (error: unknown) => {
                output += `\nthe check while running failed: ${String(error)}`;
                child.kill('SIGTERM');
              },
            );
          }
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.on('exit', (code) => resolve({ code, output }));
      });
    }

    it('prints the URL to open, serves the app it was built in, and stops cleanly', async () => {
      let page = '';
      const { code, output } = await run({ PORT: '0', FRESHSERVICE_URL: '', FRESHSERVICE_DOMAIN: '', FRESHSERVICE_API_KEY: '' }, async (url) => {
        page = await (await fetch(`${url.replace('localhost', '127.0.0.1')}/app/page.html`)).text();
      });
      assert.match(output, /Open http:\/\/localhost:\d+/);
      assert.match(page, /<title>Fixture full page<\/title>/);
      assert.equal(code, 0);
    });

    it('says what it is doing at each step, and starts the simulator with the SIMULATOR_* account', async () => {
      const { code, output } = await run({ PORT: '0', FRESHSERVICE_URL: '', FRESHSERVICE_DOMAIN: '', FRESHSERVICE_API_KEY: '', SIMULATOR_AGENTS: '120', SIMULATOR_SEED: '3' }, () => Promise.resolve());
      const steps = [
        /^runtime: starting the built-in Freshservice simulator/m,
        /^runtime: simulator ready at http:\/\/127\.0\.0\.1:\d+: 120 agents/m,
        /^runtime: loading the app/m,
        /^runtime: delivering onAppInstall/m,
        /^runtime: ready [\d.]+ s after node started$/m,
        /^Open http:\/\/localhost:\d+$/m,
      ];
      const positions = steps.map((step) => output.search(step));
      assert.ok(positions.every((position) => position >= 0), output);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), output);
      assert.equal(code, 0);
    });

    it('explains bad configuration in one line and exits 1', async () => {
      const { code, output } = await run({ PORT: '0', FRESHSERVICE_URL: 'http://127.0.0.1:1', FRESHSERVICE_DOMAIN: '', FRESHSERVICE_API_KEY: 'SecretCliKey' }, null);
      assert.equal(code, 1);
      assert.match(output, /^Cannot start: Bad configuration/);
      assert.ok(!output.includes('SecretCliKey'));
    });
  });
});
