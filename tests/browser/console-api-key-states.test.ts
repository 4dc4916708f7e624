import { strict as assert } from 'node:assert';
import type { AuditTrailPage } from '../../common/ledger';
import { demoAccount, demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { ApiKeyLedger } from '../../server/src/ledger/api-key-ledger';
import { TRAIL_PAGE_CAPACITY } from '../../server/src/ledger/limits';
import { button, fullName, openConsole, screenshot, serverAnswer, useHarness } from './harness';

function person(agent: SimAgent): { id: number; name: string } {
  return { id: agent.id, name: fullName(agent) };
}

/**
 * The console's API-key column for an agent whose last change is older than the newest trail
 * page: the ledger is written through the real ledger before the runtime starts, so the changes
 * cost none of the runtime's 50 $db operations a minute.
 */
describe('browser: the console shows every agent\'s API-key state, however old', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const agents = demoAccount().agents;
  const others = agents.filter((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
  const [enabledAgent, ...requesters] = others.slice(0, TRAIL_PAGE_CAPACITY + 2) as [SimAgent, ...SimAgent[]];
  const admin = agents.find((agent) => agent.id === ana) as SimAgent;
  const session = useHarness({
    seedStore: async (store) => {
      const ledger = new ApiKeyLedger(store);
      await ledger.apply({ action: 'enabled', actor: person(admin), target: person(enabledAgent), note: 'service account' });
      // More than a whole trail page of later changes by other agents.
      for (const requester of requesters) {
        await ledger.apply({ action: 'requested', actor: person(requester), target: person(requester), note: 'reports' });
      }
    },
  });

  it('shows "Marked as enabled" for an agent enabled before a trail page of other changes, and counts and filters the pending ones', async () => {
    const trail = await serverAnswer<AuditTrailPage>(session.harness, 'getAuditTrail', {});
    assert.ok(!trail.entries.some((entry) => entry.target.id === enabledAgent.id), 'the enabled agent is not on the newest trail page');

    const { page, console } = await openConsole(session.harness, ana);
    await console.locator('[data-stat="pending"] .stat-value', { hasText: String(requesters.length) }).waitFor();
    await console.locator('fw-input input[type="text"]').fill(enabledAgent.email);
    await console.locator('#app[data-rows="1"]').waitFor();
    const cell = console.locator(`tbody tr[data-agent-id="${enabledAgent.id}"] .api-key-state[data-state="enabled"]`);
    await cell.waitFor();
    assert.equal(await cell.locator('fw-label').getAttribute('value'), 'Marked as enabled');
    await screenshot(page.locator('#app-full_page_app'), 'console-old-enabled-state');
    // The newest trail page holds only the last changes: the activity list is filled from the page before it.
    assert.ok(trail.entries.length < 10, `the newest trail page holds ${trail.entries.length} entries`);
    await console.locator('.trail-list li').nth(9).waitFor();
    assert.equal(await console.locator('.trail-list li').count(), 10);

    await console.locator('fw-input input[type="text"]').fill('');
    await console.locator('fw-button[data-filter="pending"]').click();
    await console.locator(`#app[data-rows="${requesters.length}"]`).waitFor();
    await page.close();
  });

  it('updates an agent\'s state in the table after an action in the console\'s queue', async () => {
    const { console } = await openConsole(session.harness, ana);
    await console.locator('fw-button[data-filter="pending"]').click();
    await console.locator(`#app[data-rows="${requesters.length}"]`).waitFor();
    const dialog = console.locator('dialog.app-dialog');
    await button(console, `Work through ${requesters.length} requests`).click();
    const declinedId = await dialog.locator('.queue-item').getAttribute('data-agent-id');
    await button(dialog, 'Decline request…').click();
    await button(dialog.locator('.decline-form'), 'Decline request').click();
    // A decision moves on to the next request by itself.
    await dialog.locator(`.queue-item:not([data-agent-id="${declinedId ?? ''}"])`).waitFor();
    await button(dialog, 'Close').click();

    await console.locator(`#app[data-rows="${requesters.length - 1}"]`).waitFor();
    await console.locator('[data-stat="pending"] .stat-value', { hasText: String(requesters.length - 1) }).waitFor();
    const declined = agents.find((agent) => String(agent.id) === declinedId);
    assert.ok(declined, 'the queue showed a known agent');
    await console.locator('fw-button[data-filter="all"]').click();
    await console.locator('fw-input input[type="text"]').fill(declined.email);
    await console.locator(`tbody tr[data-agent-id="${declined.id}"] .api-key-state[data-state="declined"]`).waitFor();
    // No read of the ledger here: the console's load, the decline and the next request's view spent the minute's 50 $db operations.
  });
});
