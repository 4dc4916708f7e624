import { strict as assert } from 'node:assert';
import type { Locator, Page, Route } from 'playwright-core';
import { demoAccountFacts } from '../../dev/simulator/index';
import { appFrame, button, fulfillFailure, fulfillRateLimit, interceptMethod, type MethodCall, openSidebar, screenshot, sidebarFrame, useHarness } from './harness';

/**
 * Every status a server method can fail with reaches the browser as FDK forwards it,
 * `{ requestID, status, message }` without a code. The shell's bridge route is intercepted to
 * answer exactly that for one method, so each status is shown without bending the backend.
 */
function failMethod(page: Page, method: string, status: number, message: string): Promise<void> {
  return interceptMethod(page, method, (route) => fulfillFailure(route, status, message));
}

const CASES: { status: number; title: string; retry: string | null }[] = [
  { status: 400, title: 'The request was refused', retry: 'Refresh' },
  { status: 401, title: 'Check the app settings', retry: 'Retry' },
  { status: 403, title: 'Not allowed', retry: null },
  { status: 404, title: 'Not found', retry: 'Refresh' },
  { status: 409, title: 'The API-key state has changed', retry: 'Refresh' },
  // A rate limit goes on by itself ("a rate limit goes on by itself" below); without the code it names both limits, never "Freshservice is busy".
  { status: 429, title: 'Waiting for the request limit', retry: 'Try now' },
  // The server answers its own failures with 500, Freshservice's unreadable answers with 502,
  // Freshservice's silence with 503 (504: the platform's timeout) and the app's storage with 507.
  { status: 500, title: 'Something went wrong in the app', retry: 'Retry' },
  { status: 502, title: 'Unexpected answer from Freshservice', retry: 'Retry' },
  { status: 503, title: 'Freshservice did not answer', retry: 'Retry' },
  { status: 504, title: 'Freshservice did not answer', retry: 'Retry' },
  { status: 507, title: "The app's storage is busy", retry: 'Retry' },
  { status: 599, title: 'The app could not finish this', retry: 'Retry' },
];

/**
 * Stops the page's clock (time otherwise flows on its own once installed), so the countdown can
 * be read and stepped. It stops a second ahead: the call itself takes time on a busy machine, and
 * the clock cannot be stopped in its past.
 */
async function pauseClock(page: Page): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1_000);
}

/** A countdown that started at `from` seconds and has run a few seconds at most. */
function countingDownFrom(from: number, left: number): boolean {
  return left <= from && left >= from - 5;
}

/** The seconds a waiting panel shows now. */
async function secondsShown(hint: Locator): Promise<number> {
  const shown = /continuing in (\d+) s\.$/.exec((await hint.textContent()) ?? '')?.[1];
  assert.ok(shown !== undefined, 'the wait is shown');
  return Number(shown);
}


describe('browser: every backend error shows its message', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const target = facts.adminsWithoutAccountAdminIds[0] as number;
  const session = useHarness();

  /**
   * Opens the target's page as Ana with the page's clock installed (`intercept` may answer server
   * methods first), waits for the error panel and stops the clock, so a countdown can be read.
   */
  async function sidebarWaiting(intercept: (page: Page) => Promise<void> = () => Promise.resolve()) {
    const page = await session.harness.context.newPage();
    await page.clock.install();
    await intercept(page);
    await page.goto(`${session.harness.runtime.shellUrl}/users/${target}?as=${ana}`);
    const sidebar = await sidebarFrame(page);
    const panel = sidebar.locator('.error-panel');
    await panel.waitFor();
    await pauseClock(page);
    return { page, sidebar, panel };
  }

  it('renders each status with the server\'s message, the advice and a retry where it helps', async () => {
    for (const { status, title, retry } of CASES) {
      const page = await session.harness.context.newPage();
      const message = `The server explains failure ${status} to the admin.`;
      await failMethod(page, 'getProfileAccess', status, message);
      await page.goto(`${session.harness.runtime.shellUrl}/users/${target}?as=${ana}`);
      const panel = (await sidebarFrame(page)).locator('.error-panel');
      await panel.waitFor();
      assert.equal(await panel.locator('.server-message').textContent(), message, `status ${status}`);
      assert.equal(await panel.locator('.error-title').textContent(), title, `status ${status}`);
      // The widget's words lead; the server's message is a detail, collapsed, so no fact is said three times.
      assert.equal(await panel.locator('details.error-details').getAttribute('open'), null, `status ${status}`);
      assert.equal(await panel.locator('.server-message').isVisible(), false, `status ${status}`);
      assert.equal(await panel.locator('fw-button').count(), retry === null ? 0 : 1, `status ${status}`);
      if (retry !== null) {
        assert.equal(await panel.locator('fw-button').textContent(), retry);
      }
      if (status === 429 || status === 507) {
        await screenshot(page, '#app-contact_sidebar', `sidebar-error-${status}`);
      }
      if (status === 507) {
        assert.doesNotMatch((await panel.textContent()) ?? '', /Freshservice/, "the app's own storage is never blamed on Freshservice");
      }
      await page.close();
    }
  });

  it('shows a failed ledger action next to the buttons, with the server\'s message', async () => {
    const { page, sidebar } = await openSidebar(session.harness, ana, target);
    await failMethod(page, 'recordApiKeyAction', 409, 'Someone else already declined this request.');
    const popup = session.harness.context.waitForEvent('page');
    await button(sidebar, 'Try the direct link').click();
    await (await popup).close();
    const panel = sidebar.locator('.guidance .error-panel');
    await panel.waitFor();
    assert.equal(await panel.locator('.server-message').textContent(), 'Someone else already declined this request.');
    assert.equal(await panel.locator('fw-button').textContent(), 'Refresh');
    await page.close();
  });

  it('shows real failures from Freshservice and recovers: by itself once the limit passes, on Retry for a wrong key', async () => {
    const simulator = session.harness.runtime.simulator;
    assert.ok(simulator);
    simulator.setFaults({ force429: 1000 });
    // The simulator's Retry-After is 1 s: the page's clock is held so the panel does not go on by itself meanwhile.
    const { page, sidebar, panel } = await sidebarWaiting();
    assert.equal(await panel.locator('strong').textContent(), 'Waiting for the request limit');
    assert.match((await panel.locator('.server-message').textContent()) ?? '', /Freshservice's rate limit for your account was reached/);
    simulator.setFaults({ force429: 0 });
    simulator.resetRateLimits();
    await page.clock.runFor(2_000);
    await page.clock.resume();
    await sidebar.locator('.access-view').waitFor();
    await page.close();

    session.harness.runtime.engine.setIparams({ freshservice_domain: simulator.account.domain, api_key: 'not-a-real-key' });
    const wrongKey = await openSidebar(session.harness, ana, target);
    assert.equal(await wrongKey.sidebar.locator('.error-panel strong').textContent(), 'Check the app settings');
    await wrongKey.page.close();
  });

  /**
   * Opens the console as an Account Admin of a 250-agent account (more than one page: the first
   * slice reads only the roles, each later one a page of agents) with only the third
   * getAccessOverview call failing (answered by `fail`), the first after rows arrived; waits for
   * the error panel. With `clock`, Playwright's clock is installed first.
   */
  async function consoleFailingAfterFirstRows(fail: (route: Route) => Promise<void>, clock = false) {
    const harness = await session.restart({ simulator: { agents: 250 } });
    const account = harness.runtime.simulator?.account;
    const viewer = harness.runtime.simulator?.keys.find((key) => key.label === 'Account Admin')?.agentId;
    assert.ok(account && viewer !== undefined);
    const overviewCalls: MethodCall[] = [];
    const page = await harness.context.newPage();
    if (clock) {
      await page.clock.install();
    }
    await interceptMethod(page, 'getAccessOverview', (route, call) => {
      overviewCalls.push(call);
      return call.number === 3 ? fail(route) : route.fallback();
    });
    await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${viewer}`);
    const consoleFrame = await appFrame(page, 'app-full_page_app');
    const panel = consoleFrame.locator('.load-error .error-panel');
    await panel.waitFor();
    return { account, overviewCalls, page, consoleFrame, panel };
  }

  it('keeps loaded rows when a console slice fails, and Retry continues from the saved cursor', async () => {
    const { account, overviewCalls, page, consoleFrame, panel } = await consoleFailingAfterFirstRows((route) => fulfillFailure(route, 503, 'Freshservice is down for maintenance.'));
    assert.equal(await panel.locator('.server-message').textContent(), 'Freshservice is down for maintenance.');
    const rowsLoaded = Number(await consoleFrame.locator('#app').getAttribute('data-rows'));
    assert.ok(rowsLoaded > 0, `the rows read before the failure stay listed (${rowsLoaded})`);
    assert.ok((await consoleFrame.locator('tbody tr').count()) > 0, 'and shown');
    assert.match((await consoleFrame.locator('.load-error > .hint').textContent()) ?? '', new RegExp(`${rowsLoaded} agents loaded so far stay listed; Retry continues from where it stopped`));
    const savedCursor = overviewCalls[2]?.payload['cursor'];
    assert.equal(typeof savedCursor, 'string', 'the failed call continued from a cursor');

    await panel.locator('fw-button', { hasText: 'Retry' }).click();
    const active = account.agents.filter((agent) => agent.active).length;
    await consoleFrame.locator(`#app[data-load-state="done"][data-rows="${active}"]`).waitFor();
    assert.equal(overviewCalls[3]?.payload['cursor'], savedCursor, 'Retry asked again for the slice that failed');
    assert.equal(overviewCalls.filter((call) => call.payload['cursor'] === null).length, 1, 'the account was not read again from the start');
    assert.equal(await consoleFrame.locator('.load-error .error-panel').count(), 0);
    await page.close();
  });

  it('starts the overview again when the server refuses its continuation (400: expired or foreign cursor)', async () => {
    const { account, overviewCalls, page, consoleFrame, panel } = await consoleFailingAfterFirstRows((route) => fulfillFailure(route, 400, 'This overview can no longer continue: it has expired. Start the overview again.'));
    assert.match((await consoleFrame.locator('.load-error > .hint').textContent()) ?? '', /Refresh reads the account again from the start/);

    await panel.locator('fw-button').click();
    const active = account.agents.filter((agent) => agent.active).length;
    await consoleFrame.locator(`#app[data-load-state="done"][data-rows="${active}"]`).waitFor();
    assert.equal(overviewCalls[3]?.payload['cursor'], null, 'Retry started again from the first slice');
    assert.equal(overviewCalls.filter((call) => call.payload['cursor'] === null).length, 2);
    assert.equal(await consoleFrame.locator('.load-error .error-panel').count(), 0);
    await page.close();
  });

  /**
   * A rate-limit refusal, the app's own (FDK's 50 template requests a minute) or Freshservice's,
   * never waits for a click: the page says which limit and how long, counts down, and goes on by
   * itself. Playwright's clock steps through the wait.
   */
  describe('a rate limit goes on by itself', () => {
    it('the sidebar, told only the status and the message, counts down the wait the message gives and loads without a click', async () => {
      const calls: MethodCall[] = [];
      const { page, sidebar, panel } = await sidebarWaiting((opened) =>
        interceptMethod(opened, 'getProfileAccess', async (route, call) => {
          calls.push(call);
          await (call.number === 1
            ? fulfillFailure(route, 429, "The app reached the platform's limit of 50 requests a minute to Freshservice for this installation (Freshservice itself is fine). Retry after 40 seconds.")
            : route.fallback());
        }),
      );
      assert.equal(await panel.getAttribute('data-waiting'), 'true');
      const hint = panel.locator('.error-hint');
      assert.equal(await panel.locator('.error-title').textContent(), 'Waiting for the request limit');
      const left = await secondsShown(hint);
      assert.ok(countingDownFrom(40, left), `the wait the message gave, counting down (${left})`);
      assert.equal(await hint.textContent(), `The app may make 50 requests a minute, and Freshservice limits requests too; continuing in ${left} s.`);
      assert.doesNotMatch((await panel.textContent()) ?? '', /Freshservice is busy/);
      await screenshot(page, '#app-contact_sidebar', 'sidebar-rate-limit-waiting');

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
      const { account, overviewCalls, page, consoleFrame } = await consoleFailingAfterFirstRows((route) => fulfillRateLimit(route, 'APP_RATE_LIMITED', 40, 'The app reached the limit. Retry after 40 seconds.'), true);
      const panel = consoleFrame.locator('.load-error .error-panel[data-waiting="true"]');
      await pauseClock(page);
      const hint = panel.locator('.error-hint');
      const left = await secondsShown(hint);
      assert.ok(countingDownFrom(40, left), `${left}`);
      assert.equal(await panel.locator('.error-title').textContent(), "Waiting for the app's request limit");
      assert.equal(await hint.textContent(), `The app may make 50 requests a minute; continuing in ${left} s.`);
      assert.match((await consoleFrame.locator('.load-error > .hint').textContent()) ?? '', /It continues from where it stopped\./);
      await screenshot(page, '#app-full_page_app', 'console-rate-limit-waiting');

      await page.clock.runFor(left * 1_000);
      await page.clock.resume();
      const active = account.agents.filter((agent) => agent.active).length;
      await consoleFrame.locator(`#app[data-load-state="done"][data-rows="${active}"]`).waitFor();
      assert.equal(overviewCalls[3]?.payload['cursor'], overviewCalls[2]?.payload['cursor'], 'the refused slice was asked again, with the same cursor');
      assert.equal(overviewCalls.filter((call) => call.payload['cursor'] === null).length, 1, 'not from the start');
      await page.close();
    });

    it("Freshservice's own limit is named as Freshservice's, and Try now goes on at once", async () => {
      const { page, sidebar, panel } = await sidebarWaiting((opened) =>
        interceptMethod(opened, 'getProfileAccess', async (route, call) => {
          await (call.number === 1 ? fulfillRateLimit(route, 'RATE_LIMITED', 25, "Freshservice's rate limit for your account was reached. Retry after 25 seconds.") : route.fallback());
        }),
      );
      assert.equal(await panel.getAttribute('data-waiting'), 'true');
      assert.equal(await panel.locator('.error-title').textContent(), "Waiting for Freshservice's request limit");
      const left = await secondsShown(panel.locator('.error-hint'));
      assert.ok(countingDownFrom(25, left), `${left}`);
      assert.equal(await panel.locator('.error-hint').textContent(), `Freshservice limits how many requests your account makes a minute; continuing in ${left} s.`);
      // Drawn controls need the clock running (Crayons renders on timers); 25 s leave time to click.
      await page.clock.resume();
      await panel.locator('fw-button', { hasText: 'Try now' }).click();
      await sidebar.locator('.access-view').waitFor();
      await page.close();
    });
  });
});
