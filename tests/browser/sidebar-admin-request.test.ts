import { strict as assert } from 'node:assert';
import { demoAccountFacts } from '../../dev/simulator/index';
import { ApiKeyLedger } from '../../server/src/ledger/api-key-ledger';
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
    assert.match((await sidebar.locator('.guidance .explain').textContent()) ?? '', /"Admin" is not "Account Admin"/);
    assert.deepEqual((await sidebar.locator('.helpers .person-name').allTextContents()).sort(), [...accountAdminNames].sort());
    assert.equal(await button(sidebar, 'Open API-key setting in Freshservice').count(), 0);
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-admin-not-account-admin');
    await page.close();
  });

  it('files a request that an Account Admin then finds in the console pending list', async () => {
    const { page, sidebar } = await openAccessView(session.harness, chloe, chloe);
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('fw-textarea[state="error"]').waitFor();
    await sidebar.locator('fw-textarea textarea').fill('Nightly asset import script');
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('.status-note', { hasText: 'waiting for an Account Admin' }).waitFor();
    await screenshot(page.locator('#app-contact_sidebar'), 'sidebar-admin-self-requested');
    await page.close();

    const { page: consolePage, console } = await openConsole(session.harness, ana);
    await console.locator('.pending-body li[data-agent-id]').first().waitFor();
    assert.deepEqual(await agentIds(console.locator('.pending-body li[data-agent-id]')), [String(chloe)]);
    assert.match((await console.locator('.pending-body').textContent()) ?? '', /Nightly asset import script/);
    await button(console.locator(`.pending-body li[data-agent-id="${chloe}"]`), 'Access').click();
    await console.locator(`fw-modal .access-view[data-viewed-id="${chloe}"]`).waitFor();
    await console.locator('fw-modal .guidance[data-step="open"]').waitFor();
    await consolePage.keyboard.press('Escape');

    await console.locator('fw-button[data-filter="pending"]').click();
    await console.locator('#app[data-rows="1"]').waitFor();
    assert.deepEqual(await agentIds(console.locator('tbody tr')), [String(chloe)]);
    assert.equal(await console.locator(`tbody tr[data-agent-id="${chloe}"] .api-key-state`).getAttribute('data-state'), 'requested');
    const chloeName = (await console.locator(`tbody tr[data-agent-id="${chloe}"] td.name`).getAttribute('title')) ?? '';
    await console.locator('.trail-list li').first().waitFor();
    assert.match((await console.locator('.trail-list li').first().textContent()) ?? '', new RegExp(`${chloeName} requested an API key \\(`), 'a request names its agent once');
    await screenshot(consolePage.locator('#app-full_page_app'), 'console-pending-filter');
    await consolePage.close();
  });

  it('takes an Account Admin through the pending requests one by one', async () => {
    // Filed before the runtime starts: the console load, the decline and the reads after it need most of $db's 50 operations a minute.
    const names = new Map((session.harness.runtime.simulator?.account.agents ?? []).map((agent) => [agent.id, fullName(agent)]));
    const harness = await session.restart({
      seedStore: async (storage) => {
        const ledger = new ApiKeyLedger(storage);
        for (const actorId of [chloe, rahul]) {
          const requester = { id: actorId, name: names.get(actorId) ?? '' };
          await ledger.apply({ action: 'requested', actor: requester, target: requester, note: 'Reporting export' });
        }
      },
    });
    const { page, console } = await openConsole(harness, ana);
    const modal = console.locator('fw-modal');
    await button(console, 'Work through pending requests (2)').click();
    const first = await modal.locator('.access-view').getAttribute('data-viewed-id');
    assert.equal(await button(modal, 'Next request').getAttribute('color'), 'secondary', 'the agent\'s own step keeps the only primary button');
    await button(modal, 'Decline request').click();
    await modal.locator('.api-key fw-label[value="Declined"]').waitFor();
    // Crayons' own red (#d72d30 on #ffecf0) is 4.3:1, below WCAG AA; the widget's is 5.2:1.
    const declinedColor = await modal.locator('.api-key fw-label[value="Declined"] .label').evaluate((node) => (globalThis as unknown as BrowserStyles).getComputedStyle(node).color);
    assert.equal(declinedColor, 'rgb(192, 38, 42)');
    assert.equal(await modal.locator('.guidance').getAttribute('data-step'), 'declined');
    assert.match((await modal.locator('.guidance .explain').textContent()) ?? '', /declined, so there is nothing to switch on/);
    assert.equal(await button(modal, 'Mark as enabled').count(), 0, 'a declined request cannot be marked enabled');
    await screenshot(page.locator('#app-full_page_app'), 'console-queue');
    await button(modal, 'Next request').click();
    await modal.locator(`.access-view:not([data-viewed-id="${first ?? ''}"])`).waitFor();
    const second = await modal.locator('.access-view').getAttribute('data-viewed-id');
    assert.deepEqual([first, second].sort(), [String(chloe), String(rahul)].sort());
    await button(modal, 'Previous request').waitFor();
    assert.equal(await button(modal, 'Next request').count(), 0, 'the last request has no Next');
    assert.equal(await modal.locator('.queue-end').textContent(), 'This is the last pending request.');
    await button(modal, 'Close queue').click();
    await console.locator('.pending-body li[data-agent-id]').first().waitFor();
    assert.equal(await console.locator('.pending-body li[data-agent-id]').count(), 1, 'the declined request left the pending list');
    await page.close();
  });
});
