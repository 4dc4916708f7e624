/**
 * The runtime in Chromium: the app iframe cannot reach the shell (another origin), the client
 * library works from inside the iframe, the shell draws what the app asks for, and the API key
 * appears in no response and no message the browser sees.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { REPO_ROOT } from '../../../dev/runtime/host';
import { launchChromium } from '../../browser/chromium';
import { ADMIN_KEY, ADMIN_KEY_BASE64, startFixtureRuntime, type StartedRuntime } from './fixture';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

/** Runs `body` inside the app frame with `client` in scope; a rejection comes back as { rejected }. */
function inApp(frame: Frame, body: string): Promise<unknown> {
  return frame.evaluate(`(async () => {
    const client = await app.initialized();
    try { return await (async () => { ${body} })(); } catch (error) { return { rejected: error }; }
  })()`);
}

async function appFrame(page: Page, id: string): Promise<Frame> {
  const handle = await page.waitForSelector(`#${id}`);
  const frame = await handle.contentFrame();
  assert.ok(frame, `${id} has a frame`);
  await frame.waitForFunction('typeof app === "object"');
  return frame;
}

describe('local runtime in the browser', function () {
  this.timeout(60000);
  let started: StartedRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const bodies: Promise<string>[] = [];
  const messages: string[] = [];
  let adminId = 0;
  let viewed = { id: 0, email: '' };

  before(async () => {
    started = await startFixtureRuntime();
    const account = started.runtime.simulator?.account;
    assert.ok(account);
    adminId = started.runtime.simulator?.keys.find((key) => key.key === ADMIN_KEY)?.agentId ?? 0;
    const other = account.agents.find((agent) => agent.active && agent.id !== adminId);
    assert.ok(other);
    viewed = { id: other.id, email: other.email };
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Offline, as promised: nothing but the runtime's two origins may be reached.
    context.on('response', (response) => {
      bodies.push(response.body().then((body) => body.toString('utf8'), () => ''));
    });
    await context.exposeBinding('recordRuntimeMessage', (_source, data: string) => {
      messages.push(data);
    });
    await context.addInitScript(`window.addEventListener('message', (event) => { try { window.recordRuntimeMessage(JSON.stringify(event.data)); } catch (error) { window.recordRuntimeMessage(String(error)); } }, true);`);
    page = await context.newPage();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await started?.stop();
    started?.app.remove();
  });

  describe('on the user page (contact_sidebar)', () => {
    let frame: Frame;

    before(async () => {
      await page.goto(`${started.runtime.shellUrl}/users/${viewed.id}?as=${adminId}`);
      frame = await appFrame(page, 'app-contact_sidebar');
    });

    it('loads the app page from the other origin', () => {
      assert.equal(new URL(frame.url()).origin, started.runtime.appOrigin);
    });

    it('keeps the shell globals out of reach of the app (cross-origin)', async () => {
      await page.evaluate('window.shellSecret = "only the shell knows"');
      const outcome = await frame.evaluate(`(() => {
        const reads = [];
        try { reads.push(String(window.parent.shellSecret)); } catch (error) { reads.push(error.name); }
        try { reads.push(String(window.parent.document.title)); } catch (error) { reads.push(error.name); }
        return reads;
      })()`);
      assert.deepEqual(outcome, ['SecurityError', 'SecurityError']);
    });

    it('ignores events that do not come from the shell', async () => {
      await inApp(frame, `window.forged = 0; client.events.on('app.forged', () => { window.forged += 1; }); return null;`);
      await frame.evaluate(`window.postMessage({ fdkRuntime: 'event', name: 'app.forged' }, '*')`);
      // A round trip to the shell ends after the forged message was dispatched.
      await inApp(frame, `return client.data.get('currentHost');`);
      assert.equal(await frame.evaluate('window.forged'), 0);
    });

    it('answers only the iframes it placed, not other windows of the app origin', async () => {
      const before = await page.locator('#notifications .notify').count();
      await frame.evaluate(`new Promise((resolve) => {
        const nested = document.createElement('iframe');
        nested.srcdoc = '<p>nested</p>';
        nested.onload = () => {
          nested.contentWindow.eval("window.top.postMessage({ fdkRuntime: 'request', id: 1, method: 'interface.trigger', args: ['showNotify', { type: 'info', message: 'forged' }] }, '*')");
          resolve(null);
        };
        document.body.append(nested);
      })`);
      await inApp(frame, `return client.interface.trigger('showNotify', { type: 'info', message: 'genuine' });`);
      await page.waitForSelector('#notifications .notify-info');
      const texts = await page.locator('#notifications .notify-message').allTextContents();
      assert.equal(texts.length, before + 1);
      assert.ok(!texts.includes('forged'));
      await page.evaluate(`document.querySelectorAll('#notifications .notify').forEach((note) => note.remove())`);
    });

    it('answers data.get for loggedInUser, currentHost and requester', async () => {
      const answers = (await inApp(frame, `return [await client.data.get('loggedInUser'), await client.data.get('currentHost'), await client.data.get('requester')];`)) as [
        { loggedInUser: { user: { id: number } } },
        { currentHost: { endpoint_urls: { freshservice: string }; subscribed_modules: string[] } },
        { requester: { id: number; email: string } },
      ];
      assert.equal(answers[0].loggedInUser.user.id, adminId);
      assert.deepEqual(answers[1].currentHost, { subscribed_modules: ['service_user'], endpoint_urls: { freshservice: started.runtime.shellUrl } });
      assert.deepEqual([answers[2].requester.id, answers[2].requester.email], [viewed.id, viewed.email]);
    });

    it('fires app.activated on open and again when the sidebar card reopens', async () => {
      await inApp(frame, `window.activations = 0; client.events.on('app.activated', () => { window.activations += 1; });`);
      await frame.waitForFunction('window.activations === 1');
      await page.click('[data-activates="contact_sidebar"]');
      await page.click('[data-activates="contact_sidebar"]');
      await frame.waitForFunction('window.activations === 2');
    });

    it('gives non-secure iparams and refuses a secure one by name', async () => {
      const all = await inApp(frame, `return client.iparams.get();`);
      assert.deepEqual(all, { freshservice_domain: started.runtime.simulator?.account.domain, region: 'eu' });
      assert.deepEqual(await inApp(frame, `return client.iparams.get('region');`), { region: 'eu' });
      const secure = (await inApp(frame, `return client.iparams.get('api_key');`)) as { rejected: { status: number } };
      assert.equal(secure.rejected.status, 403);
      const unknown = (await inApp(frame, `return client.iparams.get('nothing');`)) as { rejected: { status: number } };
      assert.equal(unknown.rejected.status, 404);
    });

    it('invokes server methods: resolves { requestID, response }, rejects { requestID, status, message }', async () => {
      const ok = (await inApp(frame, `return client.request.invoke('echo', { who: 'sidebar' });`)) as { requestID: string; response: { got: unknown } };
      assert.equal(typeof ok.requestID, 'string');
      assert.deepEqual(ok.response.got, { who: 'sidebar' });
      const failed = (await inApp(frame, `return client.request.invoke('fail', {});`)) as { rejected: Record<string, unknown> };
      assert.deepEqual(Object.keys(failed.rejected).sort(), ['message', 'requestID', 'status']);
      assert.equal(failed.rejected['status'], 418);
    });

    it('sends request templates through the runtime', async () => {
      const answer = (await inApp(frame, `return client.request.invokeTemplate('whoAmI', { context: { id: ${adminId} } });`)) as { status: number; response: string };
      assert.equal(answer.status, 200);
      assert.equal((JSON.parse(answer.response) as { agent: { id: number } }).agent.id, adminId);
    });

    it('uses the same $db as the server', async () => {
      await inApp(frame, `return client.request.invoke('remember', { note: 'from the sidebar' });`);
      assert.deepEqual(await inApp(frame, `return client.db.get('remembered');`), { note: 'from the sidebar' });
      await inApp(frame, `return client.db.set('browser', { n: 1 });`);
      await inApp(frame, `return client.db.update('browser', 'increment', { n: 1 });`);
      assert.deepEqual(await inApp(frame, `return client.db.get('browser');`), { n: 2 });
      await inApp(frame, `return client.db.delete('browser');`);
      assert.deepEqual(await inApp(frame, `return client.db.get('browser');`), { rejected: { status: 404, message: 'Record not found' } });
    });

    it('shows notifications in the shell and validates them like FDK', async () => {
      await inApp(frame, `return client.interface.trigger('showNotify', { type: 'success', title: 'Saved', message: 'The request was recorded' });`);
      await page.waitForSelector('#notifications .notify-success');
      assert.equal(await page.textContent('#notifications .notify-success .notify-message'), 'The request was recorded');
      const invalid = [`{ type: 'error', message: 'x' }`, `{ type: 'info' }`, `{ type: 'info', message: '' }`, `{ type: 'info', title: 7, message: 'x' }`];
      for (const options of invalid) {
        const outcome = (await inApp(frame, `return client.interface.trigger('showNotify', ${options});`)) as { rejected?: { status: number } };
        assert.equal(outcome.rejected?.status, 400, options);
      }
      assert.equal(await page.locator('#notifications .notify').count(), 1);
    });

    it('cuts a notification title at 30 characters and its message at 100, as FDK documents', async () => {
      await page.evaluate(`document.querySelectorAll('#notifications .notify').forEach((note) => note.remove())`);
      await inApp(frame, `return client.interface.trigger('showNotify', { type: 'info', title: '${'t'.repeat(31)}', message: '${'m'.repeat(101)}' });`);
      await page.waitForSelector('#notifications .notify-info');
      assert.equal(await page.textContent('#notifications .notify-info .notify-title'), 't'.repeat(30));
      assert.equal(await page.textContent('#notifications .notify-info .notify-message'), 'm'.repeat(100));
      await page.evaluate(`document.querySelectorAll('#notifications .notify').forEach((note) => note.remove())`);
    });

    it('resizes the iframe to a CSS length in pixels, capped at 700 px', async () => {
      await inApp(frame, `return client.instance.resize({ height: '450px' });`);
      assert.equal(await page.$eval('#app-contact_sidebar', (element) => element.getBoundingClientRect().height), 450);
      await inApp(frame, `return client.instance.resize({ height: '5000px' });`);
      assert.equal(await page.$eval('#app-contact_sidebar', (element) => element.getBoundingClientRect().height), 700);
      for (const height of [`'tall'`, `'50%'`, `'0px'`, '450']) {
        const invalid = (await inApp(frame, `return client.instance.resize({ height: ${height} });`)) as { rejected?: { status: number } };
        assert.equal(invalid.rejected?.status, 400, height);
      }
    });

    it('sits at the sidebar width', async () => {
      assert.equal(await page.$eval('#app-contact_sidebar', (element) => element.getBoundingClientRect().width), 298);
    });

    it('shows a confirm dialog and resolves the clicked button', async () => {
      await inApp(frame, `window.confirmed = client.interface.trigger('showConfirm', { title: 'Enable the key?', message: 'Open the Permissions page', saveLabel: 'Open', cancelLabel: 'Not now' }); return null;`);
      await page.click('.dialog.confirm .button-primary');
      assert.deepEqual(await frame.evaluate('window.confirmed'), { message: 'Open' });
      for (const options of [`{ title: 'x' }`, `{ message: 'x', saveLabel: 'Twelve chars' }`]) {
        const invalid = (await inApp(frame, `return client.interface.trigger('showConfirm', ${options});`)) as { rejected?: { status: number } };
        assert.equal(invalid.rejected?.status, 400, options);
      }
      await inApp(frame, `window.untitled = client.interface.trigger('showConfirm', { message: 'No title is fine' }); return null;`);
      await page.click('.dialog.confirm .button-primary');
      assert.deepEqual(await frame.evaluate('window.untitled'), { message: 'Save' });
    });

    it('opens another page of the app in a modal with its data', async () => {
      await inApp(frame, `return client.interface.trigger('showModal', { title: 'Details', template: 'modal.html', data: { agentId: 7 } });`);
      const modal = await appFrame(page, 'app-modal');
      assert.equal(new URL(modal.url()).pathname, '/app/modal.html');
      assert.deepEqual(await inApp(modal, `return client.instance.context();`), { location: 'modal', data: { agentId: 7 } });
      await page.screenshot({ path: join(ARTIFACTS, 'runtime-modal.png') });
      await modal.evaluate(`app.initialized().then((client) => { void client.instance.close(); })`);
      await page.waitForSelector('#app-modal', { state: 'detached' });
      const notModal = (await inApp(frame, `return client.instance.close();`)) as { rejected: { status: number } };
      assert.equal(notModal.rejected.status, 400);
      const outside = (await inApp(frame, `return client.interface.trigger('showModal', { title: 'x', template: 'https://example.com/a.html' });`)) as { rejected: { status: number } };
      assert.equal(outside.rejected.status, 400);
    });

    it('delivers what a modal sends to the instance that opened it, as { sender, message }', async () => {
      await inApp(frame, `window.received = []; client.instance.receive((event) => window.received.push(event.helper.getData())); return client.interface.trigger('showModal', { title: 'Queue', template: 'modal.html' });`);
      const modal = await appFrame(page, 'app-modal');
      assert.deepEqual(await inApp(modal, `return client.instance.send({ message: { decided: 2 } });`), { message: 'sent' });
      await frame.waitForFunction('window.received.length === 1');
      assert.deepEqual(await frame.evaluate('window.received'), [{ sender: { location: 'modal' }, message: { decided: 2 } }]);
      const empty = (await inApp(modal, `return client.instance.send({});`)) as { rejected: { status: number } };
      assert.equal(empty.rejected.status, 400, 'message is mandatory');
      await modal.evaluate(`app.initialized().then((client) => { void client.instance.close(); })`);
      await page.waitForSelector('#app-modal', { state: 'detached' });
      const notModal = (await inApp(frame, `return client.instance.send({ message: 'x' });`)) as { rejected: { status: number } };
      assert.equal(notModal.rejected.status, 400, 'only a modal sends, to its opener');
    });

    it('loads Crayons offline from the runtime', async () => {
      await frame.waitForFunction(`customElements.get('fw-button') !== undefined`);
    });

    it('artifact: screenshot of the user page with the sidebar (tests/artifacts/runtime-user-page.png)', async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'runtime-user-page.png') });
    });
  });

  describe('in the full_page_app', () => {
    let frame: Frame;

    before(async () => {
      await page.goto(`${started.runtime.shellUrl}/apps/full_page_app`);
      frame = await appFrame(page, 'app-full_page_app');
    });

    it('rejects requester outside the user page', async () => {
      const outcome = (await inApp(frame, `return client.data.get('requester');`)) as { rejected: { status: number; message: string } };
      assert.equal(outcome.rejected.status, 400);
      assert.match(outcome.rejected.message, /full_page_app/);
    });

    it('fires app.activated again when the navigation entry is clicked', async () => {
      await inApp(frame, `window.activations = 0; client.events.on('app.activated', () => { window.activations += 1; });`);
      await frame.waitForFunction('window.activations === 1');
      await page.click('#nav-full_page_app');
      await frame.waitForFunction('window.activations === 2');
      assert.equal(new URL(page.url()).pathname, '/apps/full_page_app');
    });
  });

  describe('the "Signed in as" switcher', () => {
    it('signs in the picked agent, and the app sees it as loggedInUser', async () => {
      await page.goto(`${started.runtime.shellUrl}/apps/full_page_app`);
      await page.selectOption('#signed-in-as', String(viewed.id));
      await page.waitForURL(new RegExp(`as=${viewed.id}`));
      const frame = await appFrame(page, 'app-full_page_app');
      const answer = (await inApp(frame, `return client.data.get('loggedInUser');`)) as { loggedInUser: { user: { id: number } } };
      assert.equal(answer.loggedInUser.user.id, viewed.id);
      await page.goto(`${started.runtime.shellUrl}/agents`);
      assert.equal(await page.$eval('#signed-in-as', (select) => (select as unknown as { value: string }).value), String(viewed.id), 'remembered');
    });
  });

  describe('/custom_configs runs the change callbacks of config/assets/iparams.js', () => {
    const saveEnabled = (enabled: boolean) => page.waitForFunction(`document.getElementById('save-iparams').disabled === ${!enabled}`);
    const errorShown = (field: string, pattern: RegExp) =>
      page.waitForFunction(`(() => {
        const error = document.getElementById('iparam-error-${field}');
        return error !== null && !error.hidden && ${pattern.toString()}.test(error.textContent);
      })()`);
    const errorHidden = (field: string) => page.waitForFunction(`document.getElementById('iparam-error-${field}').hidden === true`);
    /** Submits as Enter in a field would; true when the page let the form go (the test then stops it). */
    const trySubmit = async (): Promise<boolean> =>
      (await page.evaluate(`new Promise((resolve) => {
        const form = document.querySelector('form.iparams');
        form.addEventListener('submit', (event) => {
          const sent = !event.defaultPrevented;
          event.preventDefault();
          resolve(sent);
        }, { once: true });
        form.requestSubmit();
      })`)) === true;

    before(async () => {
      await page.goto(`${started.runtime.shellUrl}/custom_configs`);
      await page.waitForFunction('typeof checkDomain === "function" && typeof utils === "object"');
    });

    it('a returned message is invalid, a returned empty string valid (synchronous convention), and nothing is saved meanwhile', async () => {
      await page.fill('#iparam-freshservice_domain', 'https://demo.freshservice.com');
      await errorShown('freshservice_domain', /^Enter only the subdomain, for example demo$/);
      await saveEnabled(false);
      assert.equal(await page.getAttribute('#iparam-freshservice_domain', 'aria-invalid'), 'true');
      assert.equal(await trySubmit(), false, 'the form must not be sent while a field is invalid');
      await page.fill('#iparam-freshservice_domain', started.runtime.simulator?.account.domain ?? '');
      await errorHidden('freshservice_domain');
      await saveEnabled(true);
    });

    it('a rejected promise is invalid with its message; a resolved one is valid, whatever it resolves with', async () => {
      await page.fill('#iparam-api_key', 'bad-key');
      await errorShown('api_key', /^That key is wrong$/);
      await saveEnabled(false);
      await page.fill('#iparam-api_key', 'any-other-key');
      await errorHidden('api_key');
      await saveEnabled(true);
    });

    it('gives the callbacks utils.get and client.request.invokeTemplate through the runtime', async () => {
      assert.equal(await page.evaluate(`utils.get('freshservice_domain')`), started.runtime.simulator?.account.domain);
      await page.fill('#iparam-api_key', 'probe');
      await errorShown('api_key', /^The template answered 404$/);
    });

    it('only the newest call counts, and nothing is saved while a check has not answered', async () => {
      await page.fill('#iparam-api_key', 'held-older');
      await page.fill('#iparam-api_key', 'held-newer');
      await page.waitForFunction('window.heldChecks.length === 2');
      await saveEnabled(false);
      assert.match((await page.textContent('#save-note')) ?? '', /Checking/);
      assert.equal(await trySubmit(), false, 'the form must not be sent while a check is running');
      await page.evaluate(`window.heldChecks[1].resolve()`);
      await saveEnabled(true);
      // The older, slower check answers last: its rejection must not overwrite the newest verdict.
      await page.evaluate(`window.heldChecks[0].reject('stale verdict'); new Promise((done) => setTimeout(done, 0))`);
      assert.equal(await page.evaluate(`document.getElementById('iparam-error-api_key').hidden`), true);
      assert.equal(await page.evaluate(`document.getElementById('save-iparams').disabled`), false);
    });

    it('saves once every field is valid (an empty secure field keeps the saved key)', async () => {
      await page.fill('#iparam-api_key', '');
      await saveEnabled(true);
      await Promise.all([page.waitForURL(/\/custom_configs\?saved=1$/), page.click('#save-iparams')]);
      assert.equal(await page.textContent('p.saved'), 'Saved.');
      assert.equal(started.runtime.engine.nonSecureIparams()['freshservice_domain'], started.runtime.simulator?.account.domain);
    });
  });

  describe('the API key', () => {
    it('appears in no response and no message the browser received', async () => {
      await page.goto(`${started.runtime.shellUrl}/custom_configs`);
      const texts = await Promise.all(bodies);
      assert.ok(texts.length > 20, 'responses were recorded');
      assert.ok(messages.length > 20, 'messages were recorded');
      for (const text of [...texts, ...messages]) {
        assert.ok(!text.includes(ADMIN_KEY) && !text.includes(ADMIN_KEY_BASE64), 'the API key reached the browser');
      }
    });
  });
});
