import { strict as assert } from 'node:assert';
import type { FrameLocator, Page } from 'playwright-core';
import type { ApiKeyHistoryPage } from '#common/ledger';
import { button, screenshot, serverAnswer, useHarness } from './harness';
import { assertOnFirstScreen, boxInFrame, focusRingClipped, openSidebarAt, SIDEBAR_WIDTH, sidebarShot, VIEWPORTS } from './layout';
import { demoPeople, seedRequests } from './people';

/** The text of the focused element in a frame (a Crayons button reports its host). */
function focusedText(frame: FrameLocator): Promise<string> {
  return frame.locator('body').evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement;
    return (active?.textContent ?? '').trim();
  });
}

/**
 * An Account Admin learns of waiting requests during their normal work (the app sends no mail):
 * on any agent's page the sidebar says first how many wait, and its link opens the queue in
 * FDK's modal, which keeps the step's primary action in a footer that is always visible.
 */
describe('browser: an Account Admin on any user page, and the queue it opens', function () {
  this.timeout(240_000);
  const { ana, named } = demoPeople();
  const [chloe, rahul, kwame] = [named('Chloé'), named('Rahul'), named('Kwame')];
  const session = useHarness({ seedStore: seedRequests([chloe, rahul], 'Azure AD provisioning') });

  it('sees how many requests wait, on top, and the answer and primary action on the first screen', async () => {
    for (const viewport of VIEWPORTS) {
      const limit = viewport.sidebar === SIDEBAR_WIDTH ? 300 : 450;
      const other = await openSidebarAt(session.harness, viewport, ana.id, kwame.id);
      const banner = other.sidebar.locator('.queue-banner');
      assert.equal(await banner.locator('.queue-count').textContent(), '2 requests waiting');
      assert.ok((await boxInFrame(banner)).top < 20, 'the count is the first thing in the sidebar');
      await assertOnFirstScreen(other.page, button(banner, 'Work through them'), 80, 'the link to the queue');
      await assertOnFirstScreen(other.page, button(other.sidebar, 'Open API-key setting in Freshservice'), limit, 'the primary action');
      await sidebarShot(other.page, 'account-admin-other', viewport);
      await other.page.close();

      const requester = await openSidebarAt(session.harness, viewport, ana.id, chloe.id);
      const guidance = requester.sidebar.locator('.guidance');
      assert.equal(await guidance.locator('.api-key').getAttribute('data-state'), 'requested');
      assert.equal(await guidance.locator('.reason').textContent(), 'Reason: Azure AD provisioning');
      await assertOnFirstScreen(requester.page, guidance.locator('.reason'), limit, 'what was asked');
      await assertOnFirstScreen(requester.page, button(requester.sidebar, 'Open API-key setting in Freshservice'), limit, 'the primary action');
      await sidebarShot(requester.page, 'account-admin-request', viewport);
      await requester.page.close();
    }
  });

  async function openQueue(page: Page, sidebar: FrameLocator): Promise<FrameLocator> {
    await button(sidebar.locator('.queue-banner'), 'Work through them').click();
    const modal = page.frameLocator('#app-modal');
    await modal.locator('.queue-item .access-view').waitFor();
    return modal;
  }

  /** The footer is inside the modal's frame and the body scrolls above it. */
  async function footerAlwaysVisible(modal: FrameLocator): Promise<void> {
    const footer = await boxInFrame(modal.locator('.dialog-footer'));
    const height = await modal.locator('body').evaluate(() => (globalThis as unknown as { innerHeight: number }).innerHeight);
    assert.ok(footer.top >= 0 && footer.bottom <= height + 0.5, `the footer (${footer.top}..${footer.bottom}) is inside the modal (${height} px)`);
  }

  it('works through the queue from the sidebar: the primary action in the footer, focused, then the next request, then "All requests handled"', async () => {
    const viewport = VIEWPORTS[1];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, ana.id, kwame.id);
    const modal = await openQueue(page, sidebar);
    const title = modal.locator('#queue-title');
    assert.match((await title.textContent()) ?? '', /^Request 1 of 2: /);
    const first = await modal.locator('.queue-item').getAttribute('data-agent-id');
    const footer = modal.locator('.dialog-footer');
    await footer.locator('fw-button[color="primary"]', { hasText: 'Open API-key setting in Freshservice' }).waitFor();
    await modal.locator('body').evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Open API-key setting in Freshservice', 'the primary action has focus');
    assert.equal(await focusRingClipped(modal), null);
    await footerAlwaysVisible(modal);
    await screenshot(page.locator('.dialog.modal'), 'queue-modal-first');

    // Declining with a reason moves on by itself; the reason field takes the focus when it opens.
    await button(footer, 'Decline request…').click();
    await modal.locator('.decline-form fw-input').waitFor();
    await modal.locator('body').evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await modal.locator('body').evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName), 'FW-INPUT');
    await modal.locator('.decline-form fw-input input[type="text"]').fill('Use the shared integration account');
    await button(modal.locator('.decline-form'), 'Decline request').click();
    await modal.locator(`.queue-item:not([data-agent-id="${first ?? ''}"])`).waitFor();
    assert.match((await title.textContent()) ?? '', /^Request 2 of 2: /);
    assert.match((await modal.locator('.queue-status').textContent()) ?? '', /: declined\.$/);
    await footer.locator('fw-button[color="primary"]').waitFor();
    await modal.locator('body').evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Open API-key setting in Freshservice');
    await footerAlwaysVisible(modal);

    // $db allows 50 operations a minute and each decision costs about ten: the second is declined too, which ends the queue.
    // (Opening the page and "Mark as enabled" in a dialog's footer: tests/browser/console-queue.test.ts.)
    await button(footer, 'Decline request…').click();
    await button(modal.locator('.decline-form'), 'Decline request').click();
    await modal.locator('.queue-done').waitFor();
    assert.equal(await title.textContent(), 'Pending API-key requests');
    assert.equal(await modal.locator('.queue-done-title').textContent(), 'All requests handled');
    await modal.locator('body').evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Close');
    assert.equal(await focusRingClipped(modal), null);
    await screenshot(page.locator('.dialog.modal'), 'queue-modal-done');

    await button(footer, 'Close').click();
    await page.locator('#app-modal').waitFor({ state: 'detached' });
    const declines = [];
    for (const agent of [chloe, rahul]) {
      const history = await serverAnswer<ApiKeyHistoryPage>(session.harness, 'getApiKeyHistory', { agentId: agent.id });
      declines.push(...history.entries.filter((entry) => entry.action === 'declined'));
    }
    assert.deepEqual(declines.map((entry) => entry.target.id).sort(), [chloe.id, rahul.id].sort());
    assert.deepEqual(declines.map((entry) => entry.note ?? '(none)').sort(), ['(none)', 'Use the shared integration account']);
    await page.close();
  });
});
