import { strict as assert } from 'node:assert';
import { demoAccountFacts } from '../../dev/simulator/index';
import type { Browser, Route } from 'playwright-core';
import { button, launchBrowser, logOnFailure, messagesSeen, openAccessView, openConsole, screenshot, startHarness, type Harness } from './harness';

interface EngineAnswer<T> {
  ok: boolean;
  body: { response: T };
}

describe('browser: the sidebar for an Account Admin', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana, bjorn] = facts.activeAccountAdminIds as [number, number];
  let browser: Browser;
  let harness: Harness;
  let chloe: number;

  before(async () => {
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    harness = await startHarness(browser);
    const agents = harness.runtime.simulator?.account.agents ?? [];
    const admin = agents.find((agent) => agent.active && facts.adminsWithoutAccountAdminIds.includes(agent.id) && agent.first_name === 'Chloé');
    assert.ok(admin, 'the demo account has Chloé, an Admin without Account Admin');
    chloe = admin.id;
  });

  afterEach(async function () {
    logOnFailure(this.currentTest);
    await harness?.close();
  });

  after(async () => {
    await browser?.close();
  });

  it('runs the enable flow on another agent, and the ledger and trail record it', async () => {
    const { page, sidebar } = await openAccessView(harness, ana, chloe);
    assert.match((await sidebar.locator('.guidance').textContent()) ?? '', /this app cannot switch it/);
    assert.equal(await button(sidebar, 'Mark as enabled').count(), 0, 'nothing to mark before the toggle page was opened');

    const popupOpened = harness.context.waitForEvent('page');
    await button(sidebar, 'Open API-key setting in Freshservice').click();
    const popup = await popupOpened;
    await popup.waitForLoadState();
    assert.equal(popup.url(), `${harness.runtime.shellUrl}/agents/${chloe}/edit`);
    await popup.close();

    await button(sidebar, 'Mark as enabled').waitFor();
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-account-admin-opened');
    await button(sidebar, 'Mark as enabled').click();
    await sidebar.locator('.api-key fw-label[value="Marked as enabled"]').waitFor();
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-account-admin-enabled');

    const state = (await harness.runtime.engine.invokeServerMethod('getApiKeyState', { agentId: chloe })) as EngineAnswer<{ state: string }>;
    assert.equal(state.body.response.state, 'enabled');
    const trail = (await harness.runtime.engine.invokeServerMethod('getAuditTrail', {})) as EngineAnswer<{
      entries: { action: string; actor: { id: number }; target: { id: number } }[];
    }>;
    const forChloe = trail.body.response.entries.filter((entry) => entry.target.id === chloe);
    assert.deepEqual(forChloe.map((entry) => [entry.action, entry.actor.id]), [['enabled', ana], ['opened', ana]]);

    await button(sidebar, 'Undo last step').click();
    await sidebar.locator('.api-key fw-label[value="Marked as enabled"]').waitFor({ state: 'detached' });
    const undone = (await harness.runtime.engine.invokeServerMethod('getApiKeyState', { agentId: chloe })) as EngineAnswer<{ state: string }>;
    assert.notEqual(undone.body.response.state, 'enabled');
    await page.close();
  });

  it('on their own profile gets the explanation and the people who can help, not the button', async () => {
    const { page, sidebar } = await openAccessView(harness, ana, ana);
    const guidance = (await sidebar.locator('.guidance').textContent()) ?? '';
    assert.match(guidance, /Nobody can change their own API key or roles/);
    assert.equal(await button(sidebar, 'Open API-key setting in Freshservice').count(), 0);
    const helpers = await sidebar.locator('.helpers .person-name').allTextContents();
    const bjornName = harness.runtime.simulator?.account.agents.find((agent) => agent.id === bjorn)?.first_name ?? '';
    assert.equal(helpers.length, 1);
    assert.ok(helpers[0]?.startsWith(bjornName), `lists the other Account Admin, got ${helpers.join(', ')}`);
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-account-admin-self');
    await page.close();
  });

  it('shows an agent named <img src=x onerror=alert(1)> as text and runs nothing', async () => {
    const { page, sidebar } = await openAccessView(harness, ana, facts.htmlNameAgentId);
    assert.equal(await sidebar.locator('.viewed-name').textContent(), '<img src=x onerror=alert(1)> Tester');
    assert.equal(await sidebar.locator('img').count(), 0);
    assert.deepEqual(harness.dialogs, []);
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-html-name');
    await page.close();
  });

  it('shows a requester as a requester, without API-key controls', async () => {
    const page = await harness.context.newPage();
    await page.route('**/_shell/api/invoke', async (route: Route) => {
      if ((route.request().postDataJSON() as { name?: string }).name !== 'getProfileAccess') {
        await route.fallback();
        return;
      }
      const viewed = { kind: 'requester', agent: null, accountAdminRole: null, permissionsPath: null };
      const response = { viewed, viewer: null, accountAdmins: null, apiKey: null, apiKeyError: null };
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, body: { requestID: 'test', response } }) });
    });
    await page.goto(`${harness.runtime.shellUrl}/users/${chloe}?as=${ana}`);
    const sidebar = page.frameLocator('#app-contact_sidebar');
    await sidebar.locator('.access-view').waitFor();
    assert.equal(await sidebar.locator('.viewed-name').textContent(), 'Chloé Dubois');
    assert.match((await sidebar.locator('.profile').textContent()) ?? '', /requester, not an agent/);
    assert.equal(await sidebar.locator('.api-key, .guidance, fw-button').count(), 0);
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-requester');
    await page.close();
  });

  it('sizes the sidebar iframe to its content, at most 700 px', async () => {
    const { page, sidebar } = await openAccessView(harness, ana, chloe);
    await sidebar.locator('.guidance').waitFor();
    const frameHeight = await page.locator('#app-contact_sidebar').evaluate((frame: { getBoundingClientRect(): { height: number } }) => frame.getBoundingClientRect().height);
    const contentHeight = await sidebar.locator('body').evaluate((body: { getBoundingClientRect(): { height: number } }) => body.getBoundingClientRect().height);
    assert.ok(contentHeight > 200, `the access view has content (${contentHeight}px)`);
    assert.ok(frameHeight <= 700, `frame ${frameHeight}px`);
    assert.ok(Math.abs(frameHeight - Math.min(700, contentHeight)) <= 2, `frame ${frameHeight}px, content ${contentHeight}px`);
    await page.close();
  });

  it('never lets an API key reach the browser, in the sidebar or the console', async () => {
    const { page } = await openAccessView(harness, ana, chloe);
    const { page: consolePage } = await openConsole(harness, ana);
    const seen = [...harness.received, ...(await messagesSeen(page)), ...(await messagesSeen(consolePage))].join('\n');
    assert.ok(seen.length > 1000, 'recorded the traffic');
    for (const { key } of harness.runtime.simulator?.account.apiKeys ?? []) {
      assert.ok(!seen.includes(key), 'an API key reached the browser');
      assert.ok(!seen.includes(Buffer.from(`${key}:X`).toString('base64')), 'an encoded API key reached the browser');
    }
    await page.close();
  });
});
