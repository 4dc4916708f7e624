import { strict as assert } from 'node:assert';
import type { Browser, Page, Route } from 'playwright-core';
import { demoAccountFacts } from '../../dev/simulator/index';
import { button, launchBrowser, logOnFailure, openConsole, openSidebar, screenshot, startHarness, type Harness } from './harness';

/**
 * Every status a server method can fail with reaches the browser as FDK forwards it,
 * `{ requestID, status, message }` without a code. The shell's bridge route is intercepted to
 * answer exactly that for one method, so each status is shown without bending the backend.
 */
async function failMethod(page: Page, method: string, status: number, message: string): Promise<void> {
  await page.route('**/_shell/api/invoke', async (route: Route) => {
    const call = route.request().postDataJSON() as { name?: string };
    if (call.name !== method) {
      await route.fallback();
      return;
    }
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, body: { requestID: 'test', status, message } }) });
  });
}

const CASES: { status: number; title: string; retry: string | null }[] = [
  { status: 400, title: 'The request was refused', retry: 'Refresh' },
  { status: 401, title: 'Check the app settings', retry: 'Retry' },
  { status: 403, title: 'Not allowed', retry: null },
  { status: 404, title: 'Not found', retry: 'Refresh' },
  { status: 409, title: 'The state has changed', retry: 'Refresh' },
  { status: 429, title: 'Freshservice is busy', retry: 'Retry' },
  { status: 500, title: 'Freshservice did not answer', retry: 'Retry' },
  { status: 502, title: 'Freshservice did not answer', retry: 'Retry' },
  { status: 504, title: 'Freshservice did not answer', retry: 'Retry' },
];

describe('browser: every backend error shows its message', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const target = facts.adminsWithoutAccountAdminIds[0] as number;
  let browser: Browser;
  let harness: Harness;

  before(async () => {
    browser = await launchBrowser();
  });

  beforeEach(async () => {
    harness = await startHarness(browser);
  });

  afterEach(async function () {
    logOnFailure(this.currentTest);
    await harness?.close();
  });

  after(async () => {
    await browser?.close();
  });

  it('renders each status with the server\'s message, the advice and a retry where it helps', async () => {
    for (const { status, title, retry } of CASES) {
      const page = await harness.context.newPage();
      const message = `The server explains failure ${status} to the admin.`;
      await failMethod(page, 'getProfileAccess', status, message);
      await page.goto(`${harness.runtime.shellUrl}/users/${target}?as=${ana}`);
      const panel = page.frameLocator('#app-contact_sidebar').locator('.error-panel');
      await panel.waitFor();
      assert.equal(await panel.locator('.server-message').textContent(), message, `status ${status}`);
      assert.equal(await panel.locator('strong').textContent(), title, `status ${status}`);
      assert.equal(await panel.locator('fw-button').count(), retry === null ? 0 : 1, `status ${status}`);
      if (retry !== null) {
        assert.equal(await panel.locator('fw-button').textContent(), retry);
      }
      if (status === 429) {
        await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-error-429');
      }
      await page.close();
    }
  });

  it('shows a failed ledger action next to the buttons, with the server\'s message', async () => {
    const { page, sidebar } = await openSidebar(harness, ana, target);
    await failMethod(page, 'recordApiKeyAction', 409, 'Someone else already declined this request.');
    const popup = harness.context.waitForEvent('page');
    await button(sidebar, 'Open API-key setting in Freshservice').click();
    await (await popup).close();
    const panel = sidebar.locator('.guidance .error-panel');
    await panel.waitFor();
    assert.equal(await panel.locator('.server-message').textContent(), 'Someone else already declined this request.');
    assert.equal(await panel.locator('fw-button').textContent(), 'Refresh');
    await page.close();
  });

  it('shows real failures from Freshservice and recovers on Retry', async () => {
    const simulator = harness.runtime.simulator;
    assert.ok(simulator);
    simulator.setFaults({ force429: 1000 });
    const { page, sidebar } = await openSidebar(harness, ana, target);
    const panel = sidebar.locator('.error-panel');
    assert.equal(await panel.locator('strong').textContent(), 'Freshservice is busy');
    assert.match((await panel.locator('.server-message').textContent()) ?? '', /\S/);
    simulator.setFaults({ force429: 0 });
    simulator.resetRateLimits();
    await panel.locator('fw-button', { hasText: 'Retry' }).click();
    await sidebar.locator('.access-view').waitFor();
    await page.close();

    harness.runtime.engine.setIparams({ freshservice_domain: simulator.account.domain, api_key: 'not-a-real-key' });
    const wrongKey = await openSidebar(harness, ana, target);
    assert.equal(await wrongKey.sidebar.locator('.error-panel strong').textContent(), 'Check the app settings');
    await wrongKey.page.close();
  });

  it('keeps loaded rows when a console slice fails, and Retry continues', async () => {
    const page = await harness.context.newPage();
    await failMethod(page, 'getAccessOverview', 503, 'Freshservice is down for maintenance.');
    await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${ana}`);
    const consoleFrame = page.frameLocator('#app-full_page_app');
    const panel = consoleFrame.locator('.load-error .error-panel');
    await panel.waitFor();
    assert.equal(await panel.locator('.server-message').textContent(), 'Freshservice is down for maintenance.');
    await page.unroute('**/_shell/api/invoke');
    await panel.locator('fw-button', { hasText: 'Retry' }).click();
    await consoleFrame.locator('#app[data-load-state="done"]').waitFor();
    assert.ok(Number(await consoleFrame.locator('#app').getAttribute('data-rows')) > 0);
    await page.close();
    const { console } = await openConsole(harness, ana);
    assert.equal(await console.locator('.load-error .error-panel').count(), 0);
  });
});
