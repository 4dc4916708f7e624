import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRAYONS_ICON_CDN_PREFIX, VENDORED_CRAYONS_ICON } from '../../../dev/runtime/app-pages';
import { ADMIN_KEY, ADMIN_KEY_BASE64, bridge, createFixtureApp, startFixtureRuntime, type StartedRuntime } from './fixture';

/** Every body this suite received, to prove the API key never appears in one. */
const received: string[] = [];

async function get(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  const text = await response.text();
  received.push(text);
  return { status: response.status, text, headers: response.headers };
}

function runtimeContext(html: string): Record<string, unknown> {
  const match = /data-runtime="([^"]*)"/.exec(html);
  assert.ok(match?.[1] !== undefined, 'the page carries the shell context');
  const json = match[1].replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
  return JSON.parse(json) as Record<string, unknown>;
}

describe('local runtime host (HTTP)', function () {
  this.timeout(20000);
  let started: StartedRuntime;
  let shell: string;
  let app: string;

  before(async () => {
    started = await startFixtureRuntime();
    shell = started.runtime.shellUrl;
    app = started.runtime.appOrigin;
  });

  after(async () => {
    await started.stop();
    started.app.remove();
    for (const body of received) {
      assert.ok(!body.includes(ADMIN_KEY) && !body.includes(ADMIN_KEY_BASE64), 'no response carried the API key');
    }
  });

  it('serves the shell on localhost and the app on 127.0.0.1, the same port', () => {
    assert.match(shell, /^http:\/\/localhost:\d+$/);
    assert.equal(app, shell.replace('localhost', '127.0.0.1'));
  });

  it('redirects / to the agents list', async () => {
    const { status, headers } = await get(`${shell}/`);
    assert.equal(status, 303);
    assert.equal(headers.get('location'), '/agents');
  });

  it('lists the simulator account agents, each linking to its user page', async () => {
    const { status, text } = await get(`${shell}/agents`);
    assert.equal(status, 200);
    const agents = started.runtime.simulator?.account.agents ?? [];
    assert.ok(agents.length > 10);
    for (const agent of agents.slice(0, 5)) {
      assert.ok(text.includes(`href="/users/${agent.id}"`), `links agent ${agent.id}`);
    }
    assert.ok(text.includes('id="signed-in-as"'), 'has the Signed in as switcher');
  });

  it('escapes account data in shell pages', async () => {
    const { text } = await get(`${shell}/agents`);
    assert.ok(!text.includes('<img src=x'), 'no raw HTML from agent names');
  });

  it('shows the user page with the contact_sidebar iframe from the app origin', async () => {
    const agent = started.runtime.simulator?.account.agents[1];
    assert.ok(agent);
    const { status, text } = await get(`${shell}/users/${agent.id}`);
    assert.equal(status, 200);
    assert.ok(text.includes(`id="app-contact_sidebar"`));
    assert.ok(text.includes(`src="${app}/app/sidebar.html"`));
    assert.deepEqual((runtimeContext(text)['requester'] as { id: number }).id, agent.id);
  });

  it('answers 404 for an unknown user', async () => {
    const { status } = await get(`${shell}/users/1`);
    assert.equal(status, 404);
  });

  it('opens the full_page_app from the left navigation', async () => {
    const agents = await get(`${shell}/agents`);
    assert.ok(agents.text.includes('href="/apps/full_page_app"'));
    const { text } = await get(`${shell}/apps/full_page_app`);
    assert.ok(text.includes('id="app-full_page_app"'));
    assert.ok(text.includes(`src="${app}/app/page.html"`));
    assert.equal(runtimeContext(text)['requester'], null, 'no requester outside the user page');
  });

  it('mocks the agent admin page with a clearly labelled API key toggle', async () => {
    const agent = started.runtime.simulator?.account.agents[3];
    assert.ok(agent);
    const { status, text } = await get(`${shell}/agents/${agent.id}/edit`);
    assert.equal(status, 200);
    assert.ok(text.includes('Permissions'));
    assert.ok(text.includes('id="api-key-toggle"'));
    assert.match(text, /Local stand-in/);
  });

  it('lets only an Account Admin use the mock toggle, never on themselves', async () => {
    const account = started.runtime.simulator?.account;
    assert.ok(account);
    const adminRole = account.roles.find((role) => role.name === 'Account Admin' && role.default);
    const admin = account.agents.find((agent) => agent.active && agent.roles.some((role) => role.role_id === adminRole?.id));
    const plain = account.agents.find((agent) => agent.active && !agent.roles.some((role) => role.role_id === adminRole?.id));
    assert.ok(admin && plain);
    const other = await get(`${shell}/agents/${plain.id}/edit?as=${admin.id}`);
    assert.match(other.text, /id="api-key-toggle" role="switch">/);
    const self = await get(`${shell}/agents/${admin.id}/edit?as=${admin.id}`);
    assert.match(self.text, /id="api-key-toggle" role="switch" disabled>/);
    const notAdmin = await get(`${shell}/agents/${admin.id}/edit?as=${plain.id}`);
    assert.match(notAdmin.text, /id="api-key-toggle" role="switch" disabled>/);
  });

  it('signs in the agent named by ?as= and remembers it in a cookie', async () => {
    const agent = started.runtime.simulator?.account.agents.find((candidate) => candidate.active && candidate.first_name === 'Kwame');
    assert.ok(agent);
    const first = await get(`${shell}/agents?as=${agent.id}`);
    const cookie = first.headers.get('set-cookie');
    assert.ok(cookie?.startsWith(`fdk_runtime_as=${agent.id}`));
    const loggedIn = runtimeContext(first.text)['loggedInUser'] as { user: { id: number; email: string } };
    assert.equal(loggedIn.user.id, agent.id);
    assert.equal(loggedIn.user.email, agent.email);
    const later = await get(`${shell}/apps/full_page_app`, { headers: { Cookie: cookie?.split(';')[0] ?? '' } });
    assert.equal((runtimeContext(later.text)['loggedInUser'] as { user: { id: number } }).user.id, agent.id);
  });

  it('signs in the owner of the Account Admin demo key by default', async () => {
    const { text } = await get(`${shell}/agents`);
    const owner = started.runtime.simulator?.keys.find((key) => key.key === ADMIN_KEY)?.agentId;
    assert.equal((runtimeContext(text)['loggedInUser'] as { user: { id: number } }).user.id, owner);
  });

  it('gives currentHost with the shell URL and the product modules', async () => {
    const { text } = await get(`${shell}/agents`);
    assert.deepEqual(runtimeContext(text)['currentHost'], { subscribed_modules: ['service_user'], endpoint_urls: { freshservice: shell } });
  });

  it('renders {{{appclient}}} and points the Crayons CDN URLs at the runtime', async () => {
    const { status, text } = await get(`${app}/app/page.html`);
    assert.equal(status, 200);
    assert.ok(text.includes(`<script src="${app}/_runtime/client.js"></script>`));
    assert.ok(!text.includes('cdn.jsdelivr.net'));
    assert.ok(text.includes('src="/_crayons/dist/crayons/crayons.esm.js"'));
    assert.ok(text.includes('href="/_crayons/css/crayons-min.css"'));
  });

  it('answers the Crayons files from node_modules, for the browser to keep an hour (the app\'s own files never)', async () => {
    const script = await fetch(`${app}/_crayons/dist/crayons/crayons.esm.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.equal(script.headers.get('cache-control'), 'max-age=3600');
    await script.arrayBuffer();
    const css = await fetch(`${app}/_crayons/css/crayons-min.css`);
    assert.equal(css.status, 200);
    assert.equal(css.headers.get('cache-control'), 'max-age=3600');
    await css.arrayBuffer();
    const page = await fetch(`${app}/app/page.html`);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    await page.arrayBuffer();
    assert.equal((await get(`${app}/_crayons/package.json`)).status, 404);
  });

  it('answers 404 for Crayons icons when @freshworks/crayons-icon is neither installed nor vendored', async () => {
    // The fixture app root is a fresh temp folder without .fdk/vendor, and the package cannot be npm-installed.
    assert.ok(!existsSync(join(started.app.root, VENDORED_CRAYONS_ICON)), 'the fixture app has no vendored icons');
    assert.throws(() => require.resolve('@freshworks/crayons-icon/package.json'), 'this test needs @freshworks/crayons-icon not installed');
    const icon = await fetch(`${app}/_crayons-icon/dist/icons/alert.svg`);
    await icon.arrayBuffer();
    assert.equal(icon.status, 404);
  });

  it('answers Crayons icons from the copy tools/fetch-crayons-icons.mjs vendors under .fdk/', async () => {
    const fixture = createFixtureApp();
    const icons = join(fixture.root, VENDORED_CRAYONS_ICON, 'dist', 'icons');
    mkdirSync(icons, { recursive: true });
    writeFileSync(join(icons, 'alert.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    const vendored = await startFixtureRuntime({}, fixture);
    try {
      const origin = vendored.runtime.appOrigin;
      const icon = await fetch(`${origin}/_crayons-icon/dist/icons/alert.svg`);
      assert.equal(icon.status, 200);
      assert.equal(icon.headers.get('cache-control'), 'max-age=3600');
      assert.match(await icon.text(), /<svg/);
      const missing = await fetch(`${origin}/_crayons-icon/dist/icons/../../package.json`);
      await missing.arrayBuffer();
      assert.equal(missing.status, 404);
      const answer = await fetch(`${origin}/_crayons/dist/crayons/crayons.esm.js`);
      assert.equal(answer.headers.get('cache-control'), 'max-age=3600', 'kept like every other Crayons file');
      const components = await answer.text();
      assert.ok(!components.includes(CRAYONS_ICON_CDN_PREFIX), 'the components ask this runtime for icons');
    } finally {
      await vendored.stop();
      fixture.remove();
    }
  });

  it('serves the client library with the shell origin it may talk to', async () => {
    const { status, text } = await get(`${app}/_runtime/client.js`);
    assert.equal(status, 200);
    assert.ok(text.includes(`'${shell}'`));
    assert.ok(!text.includes('__FDK_RUNTIME_SHELL_ORIGIN__'));
  });

  it('keeps the two origins apart', async () => {
    assert.equal((await get(`${shell}/app/page.html`)).status, 404, 'app pages only on the app origin');
    assert.equal((await get(`${app}/agents`)).status, 404, 'shell pages only on the shell origin');
  });

  it('refuses paths outside app/', async () => {
    for (const path of ['/app/../manifest.json', '/app/%2e%2e/manifest.json', '/app/..%2fconfig/iparams.json', '/app/nope.html']) {
      const response = await fetch(`${app}${path}`);
      await response.text();
      assert.equal(response.status, 404, path);
    }
  });

  describe('bridge (/_shell/api)', () => {
    it('invokes a server method: { requestID, response }', async () => {
      const { answer } = await bridge(started.runtime, 'invoke', { name: 'echo', payload: { hello: 'world' } });
      received.push(JSON.stringify(answer));
      assert.equal(answer.ok, true);
      const body = answer.body as { requestID: string; response: { got: unknown; domain: string } };
      assert.equal(typeof body.requestID, 'string');
      assert.deepEqual(body.response, { got: { hello: 'world' }, domain: started.runtime.simulator?.account.domain });
    });

    it('rejects a failing server method with only { requestID, status, message }', async () => {
      const { answer } = await bridge(started.runtime, 'invoke', { name: 'fail', payload: {} });
      assert.equal(answer.ok, false);
      const body = answer.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['message', 'requestID', 'status']);
      assert.equal(body['status'], 418);
      assert.equal(body['message'], 'Nope from the fixture');
    });

    it('rejects an unknown server method in FDK shape', async () => {
      const { answer } = await bridge(started.runtime, 'invoke', { name: 'nothing', payload: {} });
      assert.equal(answer.ok, false);
      assert.equal(typeof (answer.body as { status: unknown }).status, 'number');
    });

    it('rejects a malformed invoke with 400', async () => {
      const { answer } = await bridge(started.runtime, 'invoke', { name: 'echo', payload: 'not an object' });
      assert.deepEqual([answer.ok, (answer.body as { status: number }).status], [false, 400]);
    });

    it('sends a request template to the simulator with the front-end rules', async () => {
      const owner = started.runtime.simulator?.keys.find((key) => key.key === ADMIN_KEY)?.agentId;
      const { answer } = await bridge(started.runtime, 'template', { name: 'whoAmI', options: { context: { id: owner } } });
      received.push(JSON.stringify(answer));
      assert.equal(answer.ok, true, JSON.stringify(answer.body));
      const body = answer.body as { status: number; response: string };
      assert.equal(body.status, 200);
      assert.equal((JSON.parse(body.response) as { agent: { id: number } }).agent.id, owner);
    });

    it('rejects a template failure in FDK shape', async () => {
      const { answer } = await bridge(started.runtime, 'template', { name: 'whoAmI', options: { context: { id: 1 } } });
      assert.equal(answer.ok, false);
      const body = answer.body as { status: number; errorSource: string };
      assert.equal(body.status, 404);
      assert.ok(['APP', 'PLATFORM'].includes(body.errorSource));
    });

    it('gives non-secure iparams and the names of secure ones, never their values', async () => {
      const { answer } = await bridge(started.runtime, 'iparams', {});
      received.push(JSON.stringify(answer));
      assert.deepEqual(answer.body, { values: { freshservice_domain: started.runtime.simulator?.account.domain, region: 'eu' }, secure: ['api_key'] });
    });

    it('runs $db operations on the same store as the server', async () => {
      const saved = await bridge(started.runtime, 'invoke', { name: 'remember', payload: { note: 'from the server' } });
      assert.equal(saved.answer.ok, true);
      const read = await bridge(started.runtime, 'db', { operation: 'get', args: ['remembered'] });
      assert.deepEqual(read.answer, { ok: true, body: { note: 'from the server' } });
      const set = await bridge(started.runtime, 'db', { operation: 'set', args: ['counter', { n: 1 }, { setIf: 'not_exist' }] });
      assert.equal(set.answer.ok, true);
      const again = await bridge(started.runtime, 'db', { operation: 'set', args: ['counter', { n: 5 }, { setIf: 'not_exist' }] });
      assert.equal(again.answer.ok, false);
      const update = await bridge(started.runtime, 'db', { operation: 'update', args: ['counter', 'increment', { n: 2 }] });
      assert.equal(update.answer.ok, true);
      assert.deepEqual((await bridge(started.runtime, 'db', { operation: 'get', args: ['counter'] })).answer.body, { n: 3 });
      assert.equal((await bridge(started.runtime, 'db', { operation: 'delete', args: ['counter'] })).answer.ok, true);
      const missing = await bridge(started.runtime, 'db', { operation: 'get', args: ['counter'] });
      assert.deepEqual(missing.answer, { ok: false, body: { status: 404, message: 'Record not found' } });
    });

    it('rejects a malformed $db call with 400', async () => {
      const { answer } = await bridge(started.runtime, 'db', { operation: 'drop', args: [] });
      assert.deepEqual([answer.ok, (answer.body as { status: number }).status], [false, 400]);
    });

    it('refuses calls that do not come from the shell page', async () => {
      const foreign = await bridge(started.runtime, 'iparams', {}, { Origin: app });
      assert.equal(foreign.status, 403);
      const form = await fetch(`${shell}/_shell/api/iparams`, { method: 'POST', headers: { Origin: shell, 'Content-Type': 'text/plain' }, body: '{}' });
      await form.text();
      assert.equal(form.status, 403);
    });

    it('answers an unknown route with 404', async () => {
      const { status } = await bridge(started.runtime, 'secrets', {});
      assert.equal(status, 404);
    });
  });

  describe('console log', () => {
    it('logs each server-method and template call without secrets', () => {
    assert.ok(started.logs.some((line) => /^server-method echo 200 \d+ms/.test(line)), started.logs.join('\n'));
    assert.ok(started.logs.some((line) => /^template whoAmI 200 \d+ms/.test(line)));
    assert.ok(started.logs.every((line) => !line.includes(ADMIN_KEY) && !line.includes(ADMIN_KEY_BASE64)));
    });
  });

  describe('/custom_configs', () => {
    const post = (form: Record<string, string>, origin = shell) =>
      fetch(`${shell}/custom_configs`, { method: 'POST', redirect: 'manual', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

    it('shows the iparams from config/iparams.json, secure ones write-only', async () => {
      const { status, text } = await get(`${shell}/custom_configs`);
      assert.equal(status, 200);
      assert.ok(text.includes('name="freshservice_domain"') && text.includes('name="api_key"') && text.includes('name="region"'));
      assert.ok(text.includes(`value="${started.runtime.simulator?.account.domain ?? ''}"`));
      assert.match(text, /name="api_key" data-change="checkApiKey" type="password" autocomplete="off" value=""/);
    });

    it('saves edits under .fdk/, applies them to the engine, and keeps an untouched secure value', async () => {
      const response = await post({ freshservice_domain: 'demo', api_key: '', region: 'us' });
      await response.text();
      assert.equal(response.status, 303);
      assert.equal(response.headers.get('location'), '/custom_configs?saved=1');
      assert.equal(started.runtime.engine.nonSecureIparams()['region'], 'us');
      const saved = JSON.parse(readFileSync(join(started.app.dataDir, 'custom_configs.json'), 'utf8')) as { iparams: Record<string, unknown> };
      assert.deepEqual(saved.iparams, { freshservice_domain: 'demo', api_key: ADMIN_KEY, region: 'us' });
      const echo = await bridge(started.runtime, 'template', { name: 'whoAmI', options: { context: { id: started.runtime.simulator?.keys[0]?.agentId } } });
      assert.equal(echo.answer.ok, true, 'the kept key still works');
    });

    it('rejects invalid values with the reason and keeps the old ones', async () => {
      const response = await post({ freshservice_domain: '', api_key: '', region: 'mars' });
      const text = await response.text();
      assert.equal(response.status, 400);
      assert.match(text, /Freshservice domain is required/);
      assert.match(text, /Region must be one of eu, us/);
      assert.equal(started.runtime.engine.nonSecureIparams()['region'], 'us');
      assert.match(text, /<script src="\/_shell\/install-page\.js"><\/script>/, 'the re-shown form still runs the change callbacks');
    });

    it("runs the app's change callbacks: loads the install-page globals, then config/assets/iparams.js, and names each field's callbacks", async () => {
      const { text } = await get(`${shell}/custom_configs`);
      const installPage = text.indexOf('<script src="/_shell/install-page.js"></script>');
      const callbacks = text.indexOf('<script src="/_shell/assets/iparams.js"></script>');
      assert.ok(installPage > 0 && callbacks > installPage && text.indexOf('/_shell/shell.js') > callbacks);
      assert.match(text, /name="freshservice_domain" data-change="checkDomain"/);
      assert.match(text, /name="api_key" data-change="checkApiKey" type="password"/);
      assert.match(text, /name="region" data-change=""/);
      const served = await get(`${shell}/_shell/assets/iparams.js`);
      assert.equal(served.status, 200);
      assert.match(served.text, /function checkApiKey/);
      assert.match((await get(`${shell}/_shell/install-page.js`)).text, /utils/);
    });

    it('refuses a post from another origin', async () => {
      const response = await post({ freshservice_domain: 'evil', api_key: 'x', region: 'eu' }, app);
      await response.text();
      assert.equal(response.status, 403);
      assert.equal(started.runtime.engine.nonSecureIparams()['freshservice_domain'], 'demo');
    });

    it('persisted the store file', () => {
      assert.ok(existsSync(join(started.app.dataDir, 'db.json')));
    });
  });
});
