import { strict as assert } from 'node:assert';
import type { ApiKeyRecord } from '#common/ledger';
import { button, consoleFrame, fullName, screenshot, serverAnswer, useHarness } from './harness';
import { boxOnPage, focusRingClipped } from './layout';
import { demoPeople, seedRequests } from './people';

/**
 * The console's queue dialog at 1024x768: the step's primary action sits in a footer that stays
 * on screen, has focus, and its focus ring is never cut; a decision moves on by itself and the
 * queue ends with "All requests handled". One request: $db's 50 operations a minute cover the
 * console's load, opening the page, marking it enabled and the reads after.
 */
describe('browser: the console\'s queue dialog', function () {
  this.timeout(180_000);
  const { ana, named } = demoPeople();
  const chloe = named('Chloé');
  const session = useHarness({ seedStore: seedRequests([chloe], 'Azure AD provisioning') });

  it('keeps the primary action in a visible footer with focus, and ends with "All requests handled"', async () => {
    const page = await session.harness.context.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${session.harness.runtime.shellUrl}/apps/full_page_app?as=${ana.id}`);
    const console = await consoleFrame(page);
    await console.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
    await console.locator('li.pending-item').first().waitFor();
    await button(console, 'Work through 1 request').click();
    const dialog = console.locator('dialog.app-dialog');
    await dialog.locator('.queue-item .access-view').waitFor();
    assert.equal(await dialog.locator('.dialog-title').textContent(), `Request 1 of 1: ${fullName(chloe)}`);
    const footer = dialog.locator('.dialog-footer');
    const open = footer.locator('fw-button[color="primary"]', { hasText: 'Try the direct link' });
    await open.waitFor();
    await page.waitForTimeout(300);
    assert.equal(await console.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } } }).document.activeElement.textContent?.trim()), 'Try the direct link');
    assert.equal(await focusRingClipped(console), null);
    const footerBox = await boxOnPage(footer);
    assert.ok(footerBox.bottom <= 768, `the footer is on screen (${Math.round(footerBox.bottom)} px)`);
    await screenshot(page, '#app-full_page_app', 'console-queue-1024x768');

    const popup = session.harness.context.waitForEvent('page');
    await button(footer, 'Try the direct link').click();
    await (await popup).close();
    const mark = footer.locator('fw-button[color="primary"]', { hasText: 'Mark as enabled' });
    await mark.waitFor();
    await page.waitForTimeout(300);
    assert.equal(await console.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } } }).document.activeElement.textContent?.trim()), 'Mark as enabled');
    assert.equal(await focusRingClipped(console), null);
    await mark.click();

    await dialog.locator('.queue-done').waitFor();
    assert.equal(await dialog.locator('.queue-done-title').textContent(), 'All requests handled');
    assert.equal(await dialog.locator('.queue-status').textContent(), `${fullName(chloe)}: marked as enabled.`);
    await page.waitForTimeout(300);
    assert.equal(await focusRingClipped(console), null);
    await screenshot(page, '#app-full_page_app', 'console-queue-done');
    await button(footer, 'Close').click();
    await dialog.waitFor({ state: 'hidden' });

    // The table knew at once; the pending list is read again once the dialog closed.
    await console.locator(`tbody tr[data-agent-id="${chloe.id}"] .api-key-state[data-state="enabled"]`).waitFor();
    await console.locator('.pending-body .empty', { hasText: 'No requests are waiting.' }).waitFor();
    const record = await serverAnswer<ApiKeyRecord>(session.harness, 'getApiKeyState', { agentId: chloe.id });
    assert.equal(record.state, 'enabled');
    await page.close();
  });
});
