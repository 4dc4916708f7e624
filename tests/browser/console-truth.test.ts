import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import type { ProfileAccess } from '#common/profile';
import { agentIds, button, consoleFrame, fulfillAnswer, fulfillFailure, fullName, holdMethod, interceptMethod, screenshot, useHarness } from './harness';
import { demoPeople, person, seedRequests } from './people';

/** The activity's lines without their times. */
async function activity(console: Frame): Promise<string[]> {
  const lines = await console.locator('.trail-list li').allTextContents();
  return lines.map((line) => line.replace(/^(just now|\d+ minutes? ago)\s+/, ''));
}

/**
 * The console tells the truth after every action: names wherever a person appears (the activity
 * is drawn again when the rows bring a name it lacked), counts that follow the queue's decisions,
 * the oldest request first, filters that say which is pressed, "at least" when only part of the
 * ledger was counted, and the title and explanation even when nothing could be read. Rahul asked
 * first, then Chloé, then Fatima (whatever their ids); Kwame, standing in for a former Account
 * Admin (in no list the console reads first), declined Fatima's request.
 */
describe('browser: the console stays true after every action', function () {
  this.timeout(300_000);
  const { ana, named } = demoPeople();
  const [chloe, rahul, fatima, kwame] = [named('Chloé'), named('Rahul'), named('Fatima'), named('Kwame')];
  const session = useHarness({
    seedStore: seedRequests([rahul, chloe, fatima], 'Azure AD provisioning', async (ledger) => {
      await ledger.apply({ action: 'declined', actor: person(kwame), target: person(fatima), note: null });
    }),
  });

  async function openConsolePage(): Promise<Page> {
    const page = await session.harness.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    return page;
  }

  it('names every person in the recent activity, also when the activity arrives before the agents', async () => {
    const page = await openConsolePage();
    // The agents are held until the activity has been drawn: the names it lacks come with them.
    const release = await holdMethod(page, 'getAccessOverview');
    await page.goto(`${session.harness.runtime.shellUrl}/apps/full_page_app?as=${ana.id}`);
    const console = await consoleFrame(page);
    await console.locator('.trail-list').waitFor();
    release();
    await console.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
    assert.deepEqual(await activity(console), [
      `Recorded in this app as ${fullName(kwame)}: declined the API-key request of ${fullName(fatima)} (now: Declined)`,
      `Recorded in this app as ${fullName(chloe)}: requested an API key (now: Requested)`,
      `Recorded in this app as ${fullName(rahul)}: requested an API key (now: Requested)`,
    ]);
    assert.doesNotMatch((await console.locator('.trail-body').textContent()) ?? '', /agent \d/, 'no id in place of a name');
    await page.close();
  });

  it('lists requests oldest first, says which filter is pressed, and every count follows a decision made in the queue', async () => {
    const page = await openConsolePage();
    await page.goto(`${session.harness.runtime.shellUrl}/apps/full_page_app?as=${ana.id}`);
    const console = await consoleFrame(page);
    await console.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
    await console.locator('li.pending-item').first().waitFor();
    assert.deepEqual(await agentIds(console.locator('li.pending-item')), [String(rahul.id), String(chloe.id)], 'oldest first');
    const pendingStat = console.locator('[data-stat="pending"] .stat-value');
    assert.equal(await pendingStat.textContent(), '2');

    // The filters are toggle buttons a screen reader announces as pressed or not.
    assert.equal(await console.getByRole('button', { name: 'All agents', pressed: true }).count(), 1);
    assert.equal(await console.getByRole('button', { name: 'Pending request', pressed: false }).count(), 1);
    await console.getByRole('button', { name: 'Pending request' }).click();
    await console.locator('#app[data-rows="2"]').waitFor();
    assert.equal(await console.getByRole('button', { name: 'Pending request', pressed: true }).count(), 1);
    assert.equal(await console.getByRole('button', { name: 'All agents', pressed: false }).count(), 1);

    await button(console, 'Work through 2 requests').click();
    const dialog = console.locator('dialog.app-dialog');
    const footer = dialog.locator('.dialog-footer');
    await dialog.locator('.queue-item .access-view').waitFor();
    assert.equal(await dialog.locator('.dialog-title').textContent(), `Request 1 of 2: ${fullName(rahul)}`, 'the oldest request first');
    assert.equal(await dialog.locator('h2', { hasText: 'Pending API-key requests' }).count(), 0, 'the dialog is titled once');
    await button(footer, 'Decline request…').click();
    assert.deepEqual(await footer.locator('fw-button[color="primary"]').allTextContents(), ['Decline request'], 'declining: the main button declines');
    await button(footer, /^Decline request$/).click();
    await dialog.locator(`.queue-item[data-agent-id="${chloe.id}"]`).waitFor();
    // Behind the dialog, the counts already follow.
    await console.locator(`.pending-body li.pending-item[data-agent-id="${rahul.id}"]`).waitFor({ state: 'detached' });
    assert.equal(await pendingStat.textContent(), '1');
    await button(footer, 'Close').click();
    await dialog.waitFor({ state: 'hidden' });

    await button(console, 'Work through 1 request').waitFor();
    assert.equal(await pendingStat.textContent(), '1');
    assert.deepEqual(await agentIds(console.locator('li.pending-item')), [String(chloe.id)]);
    await console.locator('.trail-list li', { hasText: `declined the API-key request of ${fullName(rahul)}` }).waitFor();
    assert.equal((await activity(console))[0], `Recorded in this app as ${fullName(ana)}: declined the API-key request of ${fullName(rahul)} (now: Declined)`);
    // What was recorded in Ana's name shows her own decision at once.
    const recorded = console.locator('.recorded-as-viewer');
    assert.match((await recorded.locator('.recorded-list li').first().textContent()) ?? '', new RegExp(`declined the API-key request of ${fullName(rahul)}$`));
    await screenshot(page, '#app-full_page_app', 'console-after-decision');
    await page.close();
  });

  it('says "at least" while only the ledger\'s first agents are counted, then the exact count', async () => {
    const page = await openConsolePage();
    await interceptMethod(page, 'getProfileAccess', async (route) => {
      const real = (await (await route.fetch()).json()) as { body: { response: ProfileAccess } };
      await fulfillAnswer(route, { ...real.body.response, pendingRequests: 100, pendingRequestsPartial: true });
    });
    const release = await holdMethod(page, 'listApiKeyIndex');
    await page.goto(`${session.harness.runtime.shellUrl}/apps/full_page_app?as=${ana.id}`);
    const console = await consoleFrame(page);
    await button(console, 'Work through at least 100 requests').waitFor();
    // The agents are listed before the API-key states arrive: each state cell says it is being read, and claims no state.
    const stateCells = console.locator('.agents-table tbody tr td.api-key-state');
    await stateCells.first().waitFor();
    const whileRead = await stateCells.evaluateAll((cells: { getAttribute(name: string): string | null; textContent: string | null }[]) =>
      cells.map((cell) => [cell.getAttribute('data-state'), cell.getAttribute('title'), cell.textContent]),
    );
    assert.ok(whileRead.length > 0);
    assert.deepEqual(new Set(whileRead.map(String)), new Set([String(['unknown', 'Reading API-key states…', '…'])]));
    release();
    await button(console, 'Work through 2 requests').waitFor();
    const states = await stateCells.evaluateAll((cells: { getAttribute(name: string): string | null }[]) => cells.map((cell) => cell.getAttribute('data-state')));
    assert.ok(!states.includes('unknown'), `every row has its state once they are read: ${states.join(', ')}`);
    assert.ok(states.includes('requested'), 'the seeded requests show as requested');
    await page.close();
  });

  it('keeps its title, the explanation and the menu path when nothing could be read, and says when the app\'s own key was refused', async () => {
    for (const [status, evidence] of [
      [503, null],
      [401, /^This app's own API key stopped working: Freshservice refused it just now\./],
    ] as const) {
      const page = await openConsolePage();
      await interceptMethod(page, 'getProfileAccess', (route) => fulfillFailure(route, status, `Failure ${status}.`));
      await page.goto(`${session.harness.runtime.shellUrl}/apps/full_page_app?as=${ana.id}`);
      const console = await consoleFrame(page);
      await console.locator('.failure-view .error-panel').waitFor();
      assert.equal(await console.locator('h1').textContent(), 'Account Admin access', `the title stays (${status})`);
      assert.equal(await console.locator('.standing-explanation .explain').textContent(), 'Only an Account Admin can switch on an agent\'s API key, and never their own. "Admin" is not "Account Admin".');
      assert.equal(await console.locator('.standing-explanation .route').textContent(), 'In Freshservice: Admin > Global Settings > User Management > Agents > the agent > Permissions > API key.');
      const said = console.locator('.key-evidence');
      if (evidence === null) {
        assert.equal(await said.count(), 0, 'a Freshservice outage says nothing about the key');
      } else {
        assert.equal(await said.getAttribute('data-evidence'), 'refused');
        assert.match((await said.textContent()) ?? '', evidence);
      }
      await screenshot(page, '#app-full_page_app', `console-failed-${status}`);
      await page.close();
    }
  });
});
