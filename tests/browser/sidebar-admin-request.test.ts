import { strict as assert } from 'node:assert';
import { demoAccountFacts } from '../../dev/simulator/index';
import { ApiKeyLedger } from '#server/ledger/api-key-ledger';
import { agentIds, button, fullName, openAccessView, openConsole, screenshot, useHarness } from './harness';

/** The browser's getComputedStyle, typed here: the tests compile without the DOM library. */
interface BrowserStyles {
  getComputedStyle(node: unknown): { color: string };
}

describe('browser: an Admin without Account Admin asks for a key', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const session = useHarness();
  let chloe: number;
  let rahul: number;
  let accountAdminNames: string[];

  beforeEach(() => {
    const agents = session.harness.runtime.simulator?.account.agents ?? [];
    const idOf = (first: string): number => agents.find((agent) => agent.first_name === first)?.id ?? 0;
    chloe = idOf('Chloé');
    rahul = idOf('Rahul');
    assert.ok(facts.adminsWithoutAccountAdminIds.includes(chloe) && facts.adminsWithoutAccountAdminIds.includes(rahul));
    accountAdminNames = agents.filter((agent) => facts.activeAccountAdminIds.includes(agent.id)).map(fullName);
  });

  it('says that Admin is not Account Admin and who can enable keys', async () => {
    const { page, sidebar } = await openAccessView(session.harness, chloe, rahul);
    assert.equal(await sidebar.locator('.guidance .you-hold').textContent(), 'You hold an admin role, but Admin is not Account Admin.');
    assert.deepEqual((await sidebar.locator('.helpers .person-name').allTextContents()).sort(), [...accountAdminNames].sort());
    assert.equal(await button(sidebar, 'Try the direct link').count(), 0);
    await screenshot(page, '#app-contact_sidebar', 'sidebar-admin-not-account-admin');
    await page.close();
  });

  it('files a request that an Account Admin then finds in the console pending list', async () => {
    const { page, sidebar } = await openAccessView(session.harness, chloe, chloe);
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('fw-textarea[state="error"]').waitFor();
    await sidebar.locator('fw-textarea textarea').fill('Nightly asset import script');
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('.guidance[data-state="requested"] .answer-title', { hasText: 'Your request is waiting' }).waitFor();
    await screenshot(page, '#app-contact_sidebar', 'sidebar-admin-self-requested');
    await page.close();

    const { page: consolePage, console } = await openConsole(session.harness, ana);
    await console.locator('.pending-body li[data-agent-id]').first().waitFor();
    assert.deepEqual(await agentIds(console.locator('.pending-body li[data-agent-id]')), [String(chloe)]);
    assert.doesNotMatch((await console.locator('.pending-body').textContent()) ?? '', /Nightly asset import script/, 'the list holds nothing a person typed');
    await button(console.locator(`.pending-body li[data-agent-id="${chloe}"]`), 'Open access view').click();
    await console.locator(`dialog.app-dialog .access-view[data-viewed-id="${chloe}"]`).waitFor();
    await console.locator('dialog.app-dialog .guidance[data-step="open"]').waitFor();
    assert.match((await console.locator('dialog.app-dialog').textContent()) ?? '', /Nightly asset import script/, 'the reason is in the request itself');
    await consolePage.keyboard.press('Escape');
    await console.locator('dialog.app-dialog').waitFor({ state: 'hidden' });

    await console.locator('button[data-filter="pending"]').click();
    await console.locator('#app[data-rows="1"]').waitFor();
    assert.deepEqual(await agentIds(console.locator('tbody tr')), [String(chloe)]);
    assert.equal(await console.locator(`tbody tr[data-agent-id="${chloe}"] .api-key-state`).getAttribute('data-state'), 'requested');
    const chloeName = (await console.locator(`tbody tr[data-agent-id="${chloe}"] td.person .person-name`).textContent()) ?? '';
    await console.locator('.trail-list li').first().waitFor();
    assert.match((await console.locator('.trail-list li').first().textContent()) ?? '', new RegExp(`Recorded in this app as ${chloeName}: requested an API key \\(now: Requested\\)$`), 'a request names its agent once; its reason is in the request');
    await screenshot(consolePage, '#app-full_page_app', 'console-pending-filter');
    await consolePage.close();
  });

  it('takes an Account Admin through the pending requests one by one, moving on after each decision', async () => {
    // Filed before the runtime starts: the console load, the decline and the reads after it need most of $db's 50 operations a minute.
    const agents = new Map((session.harness.runtime.simulator?.account.agents ?? []).map((agent) => [agent.id, agent]));
    const harness = await session.restart({
      seedStore: async (storage) => {
        const ledger = new ApiKeyLedger(storage);
        for (const actorId of [chloe, rahul]) {
          const agent = agents.get(actorId);
          const requester = { id: actorId, name: agent === undefined ? '' : fullName(agent) };
          await ledger.apply({ action: 'requested', actor: requester, target: requester, targetEmail: agent?.email ?? '', note: 'Reporting export' });
        }
      },
    });
    const { page, console } = await openConsole(harness, ana);
    const dialog = console.locator('dialog.app-dialog');
    await button(console, 'Work through 2 requests').click();
    const first = await dialog.locator('.queue-item').getAttribute('data-agent-id');
    const footer = dialog.locator('.dialog-footer');
    await footer.locator('fw-button[color="primary"]').waitFor();
    assert.equal(await footer.locator('fw-button[color="primary"]').count(), 1, 'one primary button: the agent\'s own step');
    assert.equal(await button(footer, 'Skip').getAttribute('color'), 'text');
    await button(footer, 'Decline request…').click();
    await button(dialog.locator('.dialog-footer'), /^Decline request$/).click();
    await dialog.locator(`.queue-item:not([data-agent-id="${first ?? ''}"])`).waitFor();
    const second = await dialog.locator('.queue-item').getAttribute('data-agent-id');
    assert.deepEqual([first, second].sort(), [String(chloe), String(rahul)].sort());
    assert.match((await dialog.locator('.queue-status').textContent()) ?? '', /: declined\.$/);
    await screenshot(page, '#app-full_page_app', 'console-queue');
    await button(footer, 'Skip').click();
    await dialog.locator('.queue-done').waitFor();
    assert.equal(await dialog.locator('.queue-done-title').textContent(), 'End of the queue', 'a skipped request is not "handled"');
    assert.equal(await dialog.locator('.queue-done .hint').textContent(), '1 skipped request is still waiting.');
    await button(footer, 'Close').click();
    // The lists are read again once the dialog closed: the activity then leads with the decline.
    await console.locator('.trail-list li', { hasText: 'declined the API-key request of' }).waitFor();
    assert.equal(await console.locator('.pending-body li[data-agent-id]').count(), 1, 'the declined request left the pending list');
    // Crayons' own red (#d72d30 on #ffecf0) is 4.3:1, below WCAG AA; the widget's is 5.2:1.
    const declinedEmail = (harness.runtime.simulator?.account.agents ?? []).find((agent) => String(agent.id) === first)?.email ?? '';
    await console.locator('fw-input input[type="text"]').fill(declinedEmail);
    const declinedLabel = console.locator(`tbody tr[data-agent-id="${first ?? ''}"] .api-key-state fw-label[value="Declined"]`);
    await declinedLabel.waitFor();
    const declinedColor = await declinedLabel.locator('.label').evaluate((node) => (globalThis as unknown as BrowserStyles).getComputedStyle(node).color);
    assert.equal(declinedColor, 'rgb(192, 38, 42)');
    await page.close();
  });
});
