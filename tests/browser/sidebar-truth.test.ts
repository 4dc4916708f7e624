import { strict as assert } from 'node:assert';
import type { ProfileAccess } from '#common/profile';
import { fulfillAnswer, fulfillFailure, fullName, interceptMethod, openSidebar, screenshot, sidebarFrame, useHarness } from './harness';
import { demoPeople } from './people';

const RULE = 'Only an Account Admin can switch on an agent\'s API key, and never their own. "Admin" is not "Account Admin".';
const ROUTE = 'In Freshservice: Admin > Global Settings > User Management > Agents > the agent > Permissions > API key.';
const REFUSED = /^This app's own API key stopped working: Freshservice refused it just now\. Until an admin fixes the app settings, the app cannot show that API keys work on this account\.$/;

/**
 * What needs no data is always said: when Freshservice or the app's storage fails, the sidebar
 * still explains who can switch a key on and where, and says what went wrong. What the app last
 * saw of its own key is the evidence about the account: a refusal (401) says it can no longer
 * tell. An Account Admin's waiting count says "at least" when only part of the ledger was counted.
 */
describe('browser: the sidebar when nothing could be read, and what it says about the app\'s own key', function () {
  this.timeout(240_000);
  const { ana, named } = demoPeople();
  const chloe = named('Chloé');
  const session = useHarness();

  it('keeps the explanation and the menu path above the error, for a failure of Freshservice and of the app\'s storage', async () => {
    for (const status of [503, 507]) {
      const page = await session.harness.context.newPage();
      await interceptMethod(page, 'getProfileAccess', (route) => fulfillFailure(route, status, `Failure ${status}.`));
      await page.goto(`${session.harness.runtime.shellUrl}/users/${chloe.id}?as=${chloe.id}`);
      const sidebar = await sidebarFrame(page);
      const failure = sidebar.locator('.failure-view');
      await failure.locator('.error-panel').waitFor();
      assert.equal(await failure.locator('.standing-explanation .explain').textContent(), RULE, `status ${status}`);
      assert.equal(await failure.locator('.standing-explanation .route').textContent(), ROUTE, `status ${status}`);
      assert.equal(await failure.locator('.key-evidence').count(), 0, 'a failure other than the key says nothing about it');
      await screenshot(page, '#app-contact_sidebar', `sidebar-failed-${status}`);
      await page.close();
    }
  });

  it('says the app\'s own key stopped working when Freshservice refuses it, for real', async () => {
    const simulator = session.harness.runtime.simulator;
    assert.ok(simulator);
    session.harness.runtime.engine.setIparams({ freshservice_domain: simulator.account.domain, api_key: 'not-a-real-key' });
    const { page, sidebar } = await openSidebar(session.harness, chloe.id, chloe.id);
    const failure = sidebar.locator('.failure-view');
    assert.equal(await failure.locator('.error-title').textContent(), 'Check the app settings');
    assert.equal(await failure.locator('.standing-explanation .explain').textContent(), RULE);
    assert.equal(await failure.locator('.key-evidence').getAttribute('data-evidence'), 'refused');
    assert.match((await failure.locator('.key-evidence').textContent()) ?? '', REFUSED);
    await screenshot(page, '#app-contact_sidebar', 'sidebar-failed-key-refused');
    await page.close();
  });

  it('says "at least" when the waiting count covers only the ledger\'s first agents', async () => {
    const page = await session.harness.context.newPage();
    await interceptMethod(page, 'getProfileAccess', async (route) => {
      const real = (await (await route.fetch()).json()) as { body: { response: ProfileAccess } };
      await fulfillAnswer(route, { ...real.body.response, pendingRequests: 100, pendingRequestsPartial: true });
    });
    await page.goto(`${session.harness.runtime.shellUrl}/users/${chloe.id}?as=${ana.id}`);
    const sidebar = await sidebarFrame(page);
    await sidebar.locator('.access-view').waitFor();
    assert.equal(await sidebar.locator('.queue-banner .queue-count').textContent(), 'At least 100 requests waiting');
    assert.equal(await sidebar.locator('.viewed-name').textContent(), fullName(chloe));
    await page.close();
  });
});
