import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import type { ApiKeyHistoryPage } from '#common/ledger';
import { appFrame, button, fullName, screenshot, serverAnswer, useHarness } from './harness';
import { assertOnFirstScreen, boxInFrame, focusRingClipped, openSidebarAt, SIDEBAR_WIDTH, sidebarShot, VIEWPORTS } from './layout';
import { demoPeople, seedRequests } from './people';

/** The text of the focused element in a frame (a Crayons button reports its host). */
function focusedText(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement;
    return (active?.textContent ?? '').trim();
  });
}

/**
 * An Account Admin learns of waiting requests where they work in the app: on any agent's page the
 * sidebar says first how many wait, and its link opens the queue in FDK's modal (oldest request
 * first), which keeps the step's primary action in a footer that is always visible; the count
 * follows each decision made there. Rahul asked first, though Chloé's id is lower.
 */
describe('browser: an Account Admin on any user page, and the queue it opens', function () {
  this.timeout(240_000);
  const { ana, named } = demoPeople();
  const [chloe, rahul, kwame] = [named('Chloé'), named('Rahul'), named('Kwame')];
  const session = useHarness({ seedStore: seedRequests([rahul, chloe], 'Azure AD provisioning') });

  it('sees how many requests wait, on top, and the answer and primary action on the first screen', async () => {
    for (const viewport of VIEWPORTS) {
      const limit = viewport.sidebar === SIDEBAR_WIDTH ? 300 : 450;
      const other = await openSidebarAt(session.harness, viewport, ana.id, kwame.id);
      const banner = other.sidebar.locator('.queue-banner');
      assert.equal(await banner.locator('.queue-count').textContent(), '2 requests waiting');
      assert.ok((await boxInFrame(banner)).top < 20, 'the count is the first thing in the sidebar');
      await assertOnFirstScreen(other.page, button(banner, 'Work through them'), 80, 'the link to the queue');
      await assertOnFirstScreen(other.page, button(other.sidebar, 'Try the direct link'), limit, 'the primary action');
      await sidebarShot(other.page, 'account-admin-other', viewport);
      await other.page.close();

      const requester = await openSidebarAt(session.harness, viewport, ana.id, chloe.id);
      const guidance = requester.sidebar.locator('.guidance');
      assert.equal(await guidance.locator('.api-key').getAttribute('data-state'), 'requested');
      assert.match((await guidance.locator('.state-line').textContent()) ?? '', new RegExp(`recorded in this app as ${fullName(chloe)}, `));
      assert.equal(await guidance.locator('.typed-caption').textContent(), `${fullName(chloe)}'s reason, as typed:`);
      assert.equal(await guidance.locator('.typed-text').textContent(), 'Azure AD provisioning');
      assert.equal(await guidance.locator('.no-password').count(), 1);
      // A waiting request adds two things above the step: whose name it was recorded as, and the reason quoted as typed.
      await assertOnFirstScreen(requester.page, guidance.locator('.typed-text'), limit, 'what was asked');
      await assertOnFirstScreen(requester.page, button(requester.sidebar, 'Try the direct link'), limit + 60, 'the primary action');
      await sidebarShot(requester.page, 'account-admin-request', viewport);
      await requester.page.close();
    }
  });

  async function openQueue(page: Page, sidebar: Frame): Promise<Frame> {
    await button(sidebar.locator('.queue-banner'), 'Work through them').click();
    const modal = await appFrame(page, 'app-modal');
    await modal.locator('.queue-item .access-view').waitFor();
    return modal;
  }

  /** The footer is inside the modal's frame and the body scrolls above it. */
  async function footerAlwaysVisible(modal: Frame): Promise<void> {
    const footer = await boxInFrame(modal.locator('.dialog-footer'));
    const height = await modal.evaluate(() => (globalThis as unknown as { innerHeight: number }).innerHeight);
    assert.ok(footer.top >= 0 && footer.bottom <= height + 0.5, `the footer (${footer.top}..${footer.bottom}) is inside the modal (${height} px)`);
  }

  it('works through the queue from the sidebar, oldest first: the primary action in the footer, focused, then the next request, then "All requests handled"; the sidebar\'s count follows', async () => {
    const viewport = VIEWPORTS[1];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, ana.id, kwame.id);
    const modal = await openQueue(page, sidebar);
    const title = modal.locator('#queue-title');
    // FDK's modal names the queue; the page's own title says only where it stands (the name once, not twice).
    assert.equal(await page.locator('.dialog.modal .dialog-title').textContent(), 'Pending API-key requests');
    assert.equal(await title.textContent(), `Request 1 of 2: ${fullName(rahul)}`, 'the oldest request first');
    const first = await modal.locator('.queue-item').getAttribute('data-agent-id');
    assert.equal(first, String(rahul.id));
    const footer = modal.locator('.dialog-footer');
    await footer.locator('fw-button[color="primary"]', { hasText: 'Try the direct link' }).waitFor();
    await modal.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Try the direct link', 'the primary action has focus');
    assert.equal(await focusRingClipped(modal), null);
    await footerAlwaysVisible(modal);
    await screenshot(page, '.dialog.modal', 'queue-modal-first');

    // Declining with a note moves on by itself; the note field takes the focus when it opens, and the footer's primary action is "Decline request".
    await button(footer, 'Decline request…').click();
    await modal.locator('.decline-form fw-input').waitFor();
    await modal.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await modal.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName), 'FW-INPUT');
    assert.deepEqual(await footer.locator('fw-button[color="primary"]').allTextContents(), ['Decline request'], 'declining: the main button declines');
    assert.equal(await button(footer, 'Try the direct link').count(), 0);
    assert.equal(await modal.getByRole('textbox', { name: /^Note for Rahul/ }).count(), 1, 'the note field is named by its label');
    await modal.locator('.decline-form fw-input input[type="text"]').fill('Use the shared integration account');
    await button(footer, /^Decline request$/).click();
    await modal.locator(`.queue-item:not([data-agent-id="${first ?? ''}"])`).waitFor();
    assert.equal(await title.textContent(), `Request 2 of 2: ${fullName(chloe)}`);
    assert.match((await modal.locator('.queue-status').textContent()) ?? '', /: declined\.$/);
    // The sidebar behind the modal heard of the decision: one request waits now.
    await sidebar.locator('.queue-banner .queue-count', { hasText: '1 request waiting' }).waitFor();
    await footer.locator('fw-button[color="primary"]').waitFor();
    await modal.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Try the direct link');
    await footerAlwaysVisible(modal);

    // $db allows 50 operations a minute and each decision costs about ten: the second is declined too, which ends the queue.
    // (Opening the page and "Mark as enabled" in a dialog's footer: tests/browser/console-queue.test.ts.)
    await button(footer, 'Decline request…').click();
    await button(footer, /^Decline request$/).click();
    await modal.locator('.queue-done').waitFor();
    assert.equal(await title.isHidden(), true, 'the modal\'s own title names the queue');
    assert.equal(await modal.locator('.queue-done-title').textContent(), 'All requests handled');
    await modal.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    assert.equal(await focusedText(modal), 'Close');
    assert.equal(await focusRingClipped(modal), null);
    await screenshot(page, '.dialog.modal', 'queue-modal-done');

    await button(footer, 'Close').click();
    await page.locator('#app-modal').waitFor({ state: 'detached' });
    await sidebar.locator('.queue-banner').waitFor({ state: 'detached' });
    assert.equal(await sidebar.locator('.waiting-slot').textContent(), '', 'no request waits: the count is gone, without a reload');
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
