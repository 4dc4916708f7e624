import { strict as assert } from 'node:assert';
import type { ProfileAccess } from '#common/profile';
import { button, fullName, interceptMethod, serverAnswer, sidebarFrame, useHarness } from './harness';
import { assertOnFirstScreen, openSidebarAt, sidebarShot, VIEWPORTS } from './layout';
import { demoPeople, person, seedRequests } from './people';

const SIDEBAR_CAP = 700;

/**
 * After an Account Admin decided, the agent's own page leads with the outcome: enabled (where to
 * find the key, and "Still disabled? Ask again"), or declined (the reason, and "Ask again").
 * The ledger is written before the runtime starts, so the views spend none of its $db budget on it.
 */
describe('browser: an agent on their own page after a decision', function () {
  this.timeout(240_000);
  const { ana, named } = demoPeople();
  const [chloe, rahul, kwame] = [named('Chloé'), named('Rahul'), named('Kwame')];
  const session = useHarness({
    seedStore: seedRequests([chloe, rahul], 'Azure AD provisioning', async (ledger) => {
      await ledger.apply({ action: 'enabled', actor: person(ana), target: person(chloe), note: null });
      await ledger.apply({ action: 'declined', actor: person(ana), target: person(rahul), note: 'Use the shared integration account instead' });
    }),
  });

  async function contentHeight(sidebar: import('playwright-core').FrameLocator): Promise<number> {
    return sidebar.locator('body').evaluate((body: { getBoundingClientRect(): { height: number } }) => body.getBoundingClientRect().height);
  }

  it('enabled: the outcome first, where to find the key, and "Still disabled? Ask again"', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, sidebar } = await openSidebarAt(session.harness, viewport, chloe.id, chloe.id);
      assert.equal(await sidebar.locator('.guidance').getAttribute('data-state'), 'enabled');
      assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your API key is marked enabled');
      assert.equal(await sidebar.locator('.outcome').textContent(), 'An Account Admin marked your key enabled: find it in Profile Settings > Your API key.');
      assert.match((await sidebar.locator('.record-line').textContent()) ?? '', new RegExp(`^Marked as enabled by ${fullName(ana)}, (just now|\\d+ minutes? ago)$`));
      assert.equal(await sidebar.locator('.request-form').count(), 0, 'nothing to request: the key is marked enabled');
      const again = button(sidebar, 'Still disabled? Ask again');
      await assertOnFirstScreen(page, sidebar.locator('.outcome'), 300, 'the outcome');
      await assertOnFirstScreen(page, again, 300, '"Still disabled? Ask again"');

      await again.click();
      await sidebar.locator('.ask-message').waitFor();
      assert.equal(await sidebar.locator('.request-form').count(), 1, 'a new request can be filed: the app cannot read the setting');
      const href = (await sidebar.locator('.ask-message a.link-button').getAttribute('href')) ?? '';
      assert.match(decodeURIComponent(href), /The Freshservice API key of Chloé Dubois is still disabled/);
      assert.match(decodeURIComponent(href), /still says "Your API key is disabled"/);
      const height = await contentHeight(sidebar);
      assert.ok(height <= SIDEBAR_CAP, `everything fits under the ${SIDEBAR_CAP} px cap (${height} px)`);
      await sidebarShot(page, 'own-enabled', viewport);
      await page.close();
    }
  });

  it('declined: the outcome first with the Account Admin\'s reason, and "Ask again"', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, sidebar } = await openSidebarAt(session.harness, viewport, rahul.id, rahul.id);
      assert.equal(await sidebar.locator('.guidance').getAttribute('data-state'), 'declined');
      assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request was declined');
      const outcome = (await sidebar.locator('.outcome').textContent()) ?? '';
      assert.match(outcome, new RegExp(`^${fullName(ana)} declined it `));
      assert.match(outcome, /Their reason: "Use the shared integration account instead"$/);
      assert.equal(await sidebar.locator('.record-line').textContent(), 'You asked: "Azure AD provisioning"');
      const again = button(sidebar, 'Ask again');
      assert.equal(await again.getAttribute('color'), 'primary');
      await assertOnFirstScreen(page, sidebar.locator('.outcome'), 300, 'the outcome');
      await assertOnFirstScreen(page, again, 450, '"Ask again"');
      const height = await contentHeight(sidebar);
      assert.ok(height <= SIDEBAR_CAP, `everything fits under the ${SIDEBAR_CAP} px cap (${height} px)`);
      await sidebarShot(page, 'own-declined', viewport);
      await page.close();
    }
  });

  it('declined, read again after the app\'s storage was busy: the reason is the record\'s, not the first answer\'s', async () => {
    const page = await session.harness.context.newPage();
    // The first answer comes without the API-key part, as when $db refuses for the minute.
    await interceptMethod(page, 'getProfileAccess', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { ok: boolean; body: { response: ProfileAccess } };
      const busy = { status: 507, code: 'STORE_UNAVAILABLE' as const, message: 'The app\'s storage is busy.', retryAfterSeconds: 60 };
      await route.fulfill({ response, json: { ...answer, body: { ...answer.body, response: { ...answer.body.response, apiKey: null, apiKeyError: busy } } } });
    });
    await page.goto(`${session.harness.runtime.shellUrl}/users/${rahul.id}?as=${rahul.id}`);
    const sidebar = sidebarFrame(page);
    await sidebar.locator('.api-key[data-state="unavailable"]').waitFor({ timeout: 30_000 });

    await button(sidebar, 'Try now').click();
    await sidebar.locator('.guidance[data-state="declined"]').waitFor();
    assert.match((await sidebar.locator('.outcome').textContent()) ?? '', /Their reason: "Use the shared integration account instead"$/);
    await page.close();
  });

  it('waiting: the request\'s state first, and the message to send', async () => {
    await serverAnswer(session.harness, 'requestApiKey', { actorId: kwame.id, actorEmail: kwame.email, reason: 'Reporting' });
    const viewport = VIEWPORTS[2];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, kwame.id, kwame.id);
    assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request is waiting');
    await assertOnFirstScreen(page, sidebar.locator('.ask-message a.link-button'), 400, 'the mail link');
    await sidebarShot(page, 'own-waiting', viewport);
    await page.close();
  });
});
