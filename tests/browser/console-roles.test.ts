import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import { demoAccountFacts } from '../../dev/simulator/index';
import { button, consoleFrame, fullName, type Harness, screenshot, useHarness } from './harness';
import { boxOnPage, VIEWPORTS } from './layout';
import { demoPeople, seedRequests } from './people';

async function openConsoleAt(harness: Harness, viewport: { width: number; height: number }, viewerId: number): Promise<{ page: Page; console: Frame }> {
  const page = await harness.context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${viewerId}`);
  const frame = await consoleFrame(page);
  await frame.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
  return { page, console: frame };
}

/** Cells whose text does not fit (cut or hidden): empty when every name and email is readable. */
async function unreadableCells(console: Frame): Promise<string[]> {
  return console.locator('tbody').evaluate((body: { querySelectorAll(selector: string): { scrollWidth: number; clientWidth: number; textContent: string | null }[] }) =>
    [...body.querySelectorAll('td.person .person-name, td.person .person-email')].filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent ?? ''),
  );
}

/**
 * The console by who is looking: an agent who is not an Account Admin sees who can enable keys,
 * their own request state and a request button, and no Permissions links; an Account Admin sees
 * the queue first. Tried at 1440x900 and 1024x768.
 */
describe('browser: the console, by who is looking', function () {
  this.timeout(240_000);
  const facts = demoAccountFacts();
  const { agents, ana, named } = demoPeople();
  const [chloe, kwame] = [named('Chloé'), named('Kwame')];
  const session = useHarness({ seedStore: seedRequests([chloe], 'Azure AD provisioning') });
  const desktops = VIEWPORTS.filter((viewport) => viewport.sidebar === 300);

  it('an agent who is not an Account Admin: who can enable keys, their own request state and a request button; no Permissions links', async () => {
    for (const viewport of desktops) {
      const { page, console } = await openConsoleAt(session.harness, viewport, kwame.id);
      assert.equal(await console.locator('#app').getAttribute('data-viewer'), 'agent');
      const yourKey = console.locator('.card.your-key');
      await yourKey.locator('.access-view[data-case="self"]').waitFor();
      assert.equal(await yourKey.locator('.guidance').getAttribute('data-state'), 'none');
      assert.equal(await yourKey.locator('.you-hold').textContent(), 'You hold SD Agent, which cannot switch keys on.');
      assert.equal(await button(yourKey, 'Request API key').getAttribute('color'), 'primary');
      assert.deepEqual(await console.locator('.card.admins .person-name').allTextContents(), agents.filter((agent) => facts.activeAccountAdminIds.includes(agent.id)).map(fullName));
      const request = await boxOnPage(button(yourKey, 'Request API key'));
      assert.ok(request.bottom <= viewport.height, `the request button is on the first screen (${Math.round(request.bottom)} px)`);

      assert.equal(await console.locator('.card.queue-card').count(), 0, 'no queue: they cannot act on requests');
      assert.equal(await console.locator('.menu-button, .row-menu-item').count(), 0);
      assert.equal(await console.locator('fw-button', { hasText: 'Permissions' }).count(), 0, 'no Permissions links they cannot use');
      assert.equal(await console.locator('tbody tr').first().locator('.row-actions fw-button').textContent(), 'View access');
      await screenshot(page, '#app-full_page_app', `console-agent-${viewport.name}`);
      await page.close();
    }
  });

  it('an Account Admin: the queue first, the summary as information, and a table readable at 1024 px', async () => {
    for (const viewport of desktops) {
      const { page, console } = await openConsoleAt(session.harness, viewport, ana.id);
      assert.equal(await console.locator('#app').getAttribute('data-viewer'), 'account-admin');
      const firstCard = console.locator('#app > section.card').first();
      assert.match((await firstCard.getAttribute('class')) ?? '', /queue-card/, 'the queue is the first card');
      await firstCard.locator('li.pending-item').first().waitFor();
      assert.deepEqual(await firstCard.locator('li.pending-item .person-name').allTextContents(), [fullName(chloe)]);
      assert.match((await firstCard.locator('li.pending-item time').textContent()) ?? '', /^(just now|\d+ minutes? ago)$/, 'recent times are relative');
      const start = button(firstCard, 'Work through 1 request');
      assert.equal(await start.getAttribute('color'), 'primary');
      assert.ok((await boxOnPage(start)).bottom <= viewport.height, 'the queue\'s button is on the first screen');
      assert.equal(await console.locator('.card.your-key').count(), 0);

      // "Without Account Admin" is information, next to what it means; the numbers add up.
      const lacking = console.locator('[data-stat="lackingAccountAdmin"]');
      assert.equal(await lacking.locator('.stat-title').textContent(), 'Without Account Admin');
      assert.equal(await lacking.locator('.stat-note').textContent(), 'the usual case; they ask an Account Admin');
      assert.equal(await console.locator('.stat-sum .stat-operator').allTextContents().then((signs) => signs.join(' ')), '= +');

      // The API-key column, dates in the viewer's time zone (relative when recent), one menu per row.
      const chloeRow = console.locator(`tbody tr[data-agent-id="${chloe.id}"]`);
      assert.equal(await chloeRow.locator('.api-key-state fw-label').getAttribute('value'), 'Requested');
      const kwameRow = console.locator(`tbody tr[data-agent-id="${kwame.id}"]`);
      assert.equal(await kwameRow.locator('.api-key-state').textContent(), 'Nothing recorded');
      const lastLogin = kwameRow.locator('td.date time');
      const exact = await lastLogin.getAttribute('title');
      assert.match(exact ?? '', /UTC|GMT/, 'the tooltip names the time zone');
      assert.equal(await lastLogin.getAttribute('datetime'), agents.find((agent) => agent.id === kwame.id)?.last_login_at);
      assert.deepEqual(await unreadableCells(console), [], `names and emails are readable at ${viewport.name}`);
      const table = await boxOnPage(console.locator('.agents-table'));
      const wrap = await boxOnPage(console.locator('.table-wrap'));
      assert.ok(table.right <= wrap.right + 1, `the table fits its card at ${viewport.name} (${Math.round(table.right)} > ${Math.round(wrap.right)})`);
      await screenshot(page, '#app-full_page_app', `console-account-admin-${viewport.name}`);
      await page.close();
    }
  });
});
