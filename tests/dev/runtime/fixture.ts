/**
 * A tiny FDK app in a temp folder, so the runtime's tests do not depend on the real widget:
 * a full_page_app page, a contact_sidebar page, a modal page, server methods that echo and
 * fail, and one request template against the configured Freshservice.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type RunningRuntime, type RuntimeOptions } from '../../../dev/runtime/index';

export const ADMIN_KEY = 'DemoAccountAdminKey1';
/** The key as it would travel in a Basic header: it must not reach the browser either. */
export const ADMIN_KEY_BASE64 = Buffer.from(`${ADMIN_KEY}:X`).toString('base64');

const PAGE = (title: string) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script src="{{{appclient}}}"></script>
<script type="module" src="https://cdn.jsdelivr.net/npm/@freshworks/crayons@v4/dist/crayons/crayons.esm.js"></script>
<script nomodule src="https://cdn.jsdelivr.net/npm/@freshworks/crayons@v4/dist/crayons/crayons.js"></script>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@freshworks/crayons@v4/css/crayons-min.css" />
</head><body><h1>${title}</h1><fw-button id="crayons-button">Crayons</fw-button><script src="scripts/page.js"></script></body></html>
`;

const SERVER = `exports = {
  echo: function (args) {
    var keys = Object.keys(args).filter(function (key) { return key !== 'iparams'; });
    var copy = {};
    keys.forEach(function (key) { copy[key] = args[key]; });
    renderData(null, { got: copy, domain: args.iparams.freshservice_domain });
  },
  fail: function () {
    renderData({ status: 418, message: 'Nope from the fixture', code: 'FIXTURE_CODE', extra: 'not forwarded' });
  },
  remember: function (args) {
    $db.set('remembered', { note: args.note }).then(function () { renderData(null, { saved: true }); }, function (error) { renderData(error); });
  }
};
`;

/**
 * The install page's change callbacks, one per convention FDK's samples use: checkDomain answers
 * synchronously with '' or a message; checkApiKey answers with a promise (rejected = invalid).
 * A key starting with "held" waits until the test settles it through window.heldChecks.
 */
const INSTALL_PAGE = `window.heldChecks = [];
function checkDomain(value) {
  return /^[a-z0-9-]+$/.test(value) ? '' : 'Enter only the subdomain, for example demo';
}
function checkApiKey(value) {
  if (value.indexOf('held') === 0) {
    return new Promise(function (resolve, reject) { window.heldChecks.push({ value: value, resolve: resolve, reject: reject }); });
  }
  if (value === 'probe') {
    return app.initialized().then(function (client) {
      return client.request.invokeTemplate('whoAmI', { context: { id: 999999999 } });
    }).then(function () { return 'found'; }, function (failure) { throw 'The template answered ' + failure.status; });
  }
  return value === 'bad-key' ? Promise.reject('That key is wrong') : Promise.resolve('A resolved message is not an error');
}
Object.assign(globalThis, { checkDomain: checkDomain, checkApiKey: checkApiKey });
`;

export interface FixtureApp {
  root: string;
  dataDir: string;
  remove(): void;
}

export function createFixtureApp(): FixtureApp {
  const root = mkdtempSync(join(tmpdir(), 'runtime-app-'));
  const write = (path: string, text: string): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'manifest.json',
    JSON.stringify({
      'platform-version': '3.0',
      modules: {
        common: {
          location: { full_page_app: { url: 'page.html', icon: 'icon.svg' } },
          requests: { whoAmI: {} },
          functions: { echo: { timeout: 20 }, fail: { timeout: 20 }, remember: { timeout: 20 } },
        },
        service_user: { location: { contact_sidebar: { url: 'sidebar.html', icon: 'icon.svg' } } },
      },
      engines: { node: '24.11.0', fdk: '10.0.1' },
    }),
  );
  write(
    'config/iparams.json',
    JSON.stringify({
      // Platform 3.0: plain text fields; the templates below show which is the subdomain and which the key.
      freshservice_domain: { display_name: 'Freshservice domain', type: 'text', required: true, events: [{ change: 'checkDomain' }] },
      api_key: { display_name: 'API key', type: 'text', secure: true, required: true, events: [{ change: 'checkApiKey' }] },
      region: { display_name: 'Region', type: 'dropdown', options: ['eu', 'us'], default_value: 'eu' },
    }),
  );
  write(
    'config/requests.json',
    JSON.stringify({
      whoAmI: {
        schema: {
          method: 'GET',
          protocol: 'https',
          host: '<%= iparam.freshservice_domain %>.freshservice.com',
          path: '/api/v2/agents/<%= context.id %>',
          headers: { Authorization: 'Basic <%= encode(iparam.api_key + ":X") %>', 'Content-Type': 'application/json' },
        },
        options: { maxAttempts: 1 },
      },
    }),
  );
  write('config/assets/iparams.js', INSTALL_PAGE);
  write('server/server.js', SERVER);
  write('app/page.html', PAGE('Fixture full page'));
  write('app/sidebar.html', PAGE('Fixture sidebar'));
  write('app/modal.html', PAGE('Fixture modal'));
  write('app/scripts/page.js', 'document.body.dataset.loaded = "yes";\n');
  write('app/icon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const dataDir = join(root, '.fdk');
  return { root, dataDir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface StartedRuntime {
  runtime: RunningRuntime;
  app: FixtureApp;
  logs: string[];
  stop(): Promise<void>;
}

/** The runtime on a free port over the fixture app (or a given one), logs collected. */
export async function startFixtureRuntime(options: RuntimeOptions = {}, app: FixtureApp = createFixtureApp()): Promise<StartedRuntime> {
  const logs: string[] = [];
  try {
    const runtime = await startRuntime({ port: 0, appRoot: app.root, dataDir: app.dataDir, log: (line) => logs.push(line), ...options });
    return {
      runtime,
      app,
      logs,
      stop: async () => {
        await runtime.stop();
      },
    };
  } catch (error) {
    app.remove();
    throw error;
  }
}

/** A POST from the shell page to its bridge, as shell.js sends it. */
export async function bridge(runtime: RunningRuntime, route: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; answer: { ok: boolean; body: unknown } }> {
  const response = await fetch(`${runtime.shellUrl}/_shell/api/${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: runtime.shellUrl, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: (await response.json()) as { ok: boolean; body: unknown } };
}
