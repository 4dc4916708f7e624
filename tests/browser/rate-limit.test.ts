import { strict as assert } from 'node:assert';
import type { Locator, Page, Route } from 'playwright-core';
import { demoAccountFacts } from '../../dev/simulator/index';
import { fulfillFailure, interceptMethod, screenshot, useHarness, type MethodCall } from './harness';

/**
 * A rate-limit refusal, the app's own (FDK's 50 template requests a minute) or Freshservice's,
 * never waits for a click: the page says which limit and how long, counts down, and goes on by
 * itself. Playwright's clock steps through the wait.
 */

/** Stops the page's clock (time otherwise flows on its own once installed), so the countdown can be read and stepped. */
async function pauseClock(page: Page): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 50);
}

/** The seconds a waiting panel shows now. */
async function secondsShown(hint: Locator): Promise<number> {
  const shown = /continuing in (\d+) s\.$/.exec((await hint.textContent()) ?? '')?.[1];
  assert.ok(shown !== undefined, 'the wait is shown');
  return Number(shown);
}

/** As a platform that forwards the code and the wait would answer (FDK documents only status and message). */
function fulfillWithCode(route: Route, code: string, retryAfterSeconds: number, message: string): Promise<void> {
  return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, body: { requestID: 'test', status: 429, code, retryAfterSeconds, message } }) });
}

describe('browser: a rate limit goes on by itself', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const target = facts.adminsWithoutAccountAdminIds[0] as number;
  const session = useHarness();

  it('the sidebar, told only the status and the message, counts down the wait the message gives and loads without a click', async () => {
    const page = await session.harness.context.newPage();
    await page.clock.install();
    const calls: MethodCall[] = [];
    await interceptMethod(page, 'getProfileAccess', async (route, call) => {
      calls.push(call);
      await (call.number === 1
        ? fulfillFailure(route, 429, "The app reached the platform's limit of 50 requests a minute to Freshservice for this installation (Freshservice itself is fine). Retry after 40 seconds.")
        : route.fallback());
    });
    await page.goto(`${session.harness.runtime.shellUrl}/users/${target}?as=${ana}`);
    const sidebar = page.frameLocator('#app-contact_sidebar');
    const panel = sidebar.locator('.error-panel[data-waiting="true"]');
    await panel.waitFor();
    await pauseClock(page);
    const hint = panel.locator('.error-hint');
    assert.equal(await panel.locator('.error-title').textContent(), 'Waiting for the request limit');
    const left = await secondsShown(hint);
    assert.ok(left === 40 || left === 39, `the wait the message gave, counting down (${left})`);
    assert.equal(await hint.textContent(), `The app may make 50 requests a minute, and Freshservice limits requests too; continuing in ${left} s.`);
    assert.doesNotMatch((await panel.textContent()) ?? '', /Freshservice is busy/);
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-rate-limit-waiting');

    await page.clock.runFor(1_000);
    assert.equal(await secondsShown(hint), left - 1, 'a live countdown');
    assert.equal(calls.length, 1, 'nothing asked again before the wait is over');
    await page.clock.runFor((left - 1) * 1_000);
    await page.clock.resume();
    await sidebar.locator('.access-view').waitFor();
    assert.equal(calls.length, 2, 'asked once more, by itself');
    assert.equal(await sidebar.locator('.error-panel').count(), 0);
    await page.close();
  });

  it("the console, told the app's own limit with its code, says so, and continues the overview from where it stopped", async () => {
    const harness = await session.restart({ simulator: { agents: 250 } });
    const account = harness.runtime.simulator?.account;
    const viewer = harness.runtime.simulator?.keys.find((key) => key.label === 'Account Admin')?.agentId;
    assert.ok(account && viewer !== undefined);
    const page = await harness.context.newPage();
    await page.clock.install();
    const calls: MethodCall[] = [];
    await interceptMethod(page, 'getAccessOverview', async (route, call) => {
      calls.push(call);
      await (call.number === 3 ? fulfillWithCode(route, 'APP_RATE_LIMITED', 40, 'The app reached the limit. Retry after 40 seconds.') : route.fallback());
    });
    await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${viewer}`);
    const consoleFrame = page.frameLocator('#app-full_page_app');
    const panel = consoleFrame.locator('.load-error .error-panel[data-waiting="true"]');
    await panel.waitFor();
    await pauseClock(page);
    const hint = panel.locator('.error-hint');
    const left = await secondsShown(hint);
    assert.ok(left === 40 || left === 39, `${left}`);
    assert.equal(await panel.locator('.error-title').textContent(), "Waiting for the app's request limit");
    assert.equal(await hint.textContent(), `The app may make 50 requests a minute; continuing in ${left} s.`);
    assert.match((await consoleFrame.locator('.load-error > .hint').textContent()) ?? '', /It continues from where it stopped\./);
    await screenshot(page.locator('#app-full_page_app'), 'console-rate-limit-waiting');

    await page.clock.runFor(left * 1_000);
    await page.clock.resume();
    const active = account.agents.filter((agent) => agent.active).length;
    await consoleFrame.locator(`#app[data-load-state="done"][data-rows="${active}"]`).waitFor();
    assert.equal(calls[3]?.payload['cursor'], calls[2]?.payload['cursor'], 'the refused slice was asked again, with the same cursor');
    assert.equal(calls.filter((call) => call.payload['cursor'] === null).length, 1, 'not from the start');
    await page.close();
  });

  it("Freshservice's own limit is named as Freshservice's, and Try now goes on at once", async () => {
    const page = await session.harness.context.newPage();
    await page.clock.install();
    await interceptMethod(page, 'getProfileAccess', async (route, call) => {
      await (call.number === 1 ? fulfillWithCode(route, 'RATE_LIMITED', 25, "Freshservice's rate limit for your account was reached. Retry after 25 seconds.") : route.fallback());
    });
    await page.goto(`${session.harness.runtime.shellUrl}/users/${target}?as=${ana}`);
    const sidebar = page.frameLocator('#app-contact_sidebar');
    const panel = sidebar.locator('.error-panel[data-waiting="true"]');
    await panel.waitFor();
    await pauseClock(page);
    assert.equal(await panel.locator('.error-title').textContent(), "Waiting for Freshservice's request limit");
    assert.match((await panel.locator('.error-hint').textContent()) ?? '', /^Freshservice limits how many requests your account makes a minute; continuing in 2[45] s\.$/);
    await panel.locator('fw-button', { hasText: 'Try now' }).click();
    await sidebar.locator('.access-view').waitFor();
    await page.close();
  });
});
