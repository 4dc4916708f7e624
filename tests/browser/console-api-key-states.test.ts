import { strict as assert } from 'node:assert';
import type { ApiKeyHistoryPage, ApiKeyRecord } from '#common/ledger';
import { demoAccount, demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { ApiKeyLedger } from '#server/ledger/api-key-ledger';

/** More later changes by other agents than the console's recent activity shows. */
const LATER_CHANGES = 14;
import { button, fullName, openConsole, screenshot, serverAnswer, useHarness } from './harness';

function person(agent: SimAgent): { id: number; name: string } {
  return { id: agent.id, name: fullName(agent) };
}

/**
 * The console's API-key column for an agent whose last change is older than everything the
 * recent activity shows: the ledger is written through the real ledger before the runtime
 * starts, so the changes cost none of the runtime's 50 $db operations a minute.
 */
describe('browser: the console shows every agent\'s API-key state, however old', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const agents = demoAccount().agents;
  const others = agents.filter((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
  const [enabledAgent, ...requesters] = others.slice(0, LATER_CHANGES + 1) as [SimAgent, ...SimAgent[]];
  const admin = agents.find((agent) => agent.id === ana) as SimAgent;
  const session = useHarness({
    seedStore: async (storage) => {
      const ledger = new ApiKeyLedger(storage);
      await ledger.apply({ action: 'enabled', actor: person(admin), target: person(enabledAgent), note: 'service account' });
      // More later changes by other agents than the recent activity lists.
      for (const requester of requesters) {
        await ledger.apply({ action: 'requested', actor: person(requester), target: person(requester), targetEmail: requester.email, note: 'reports' });
      }
    },
  });

  it('shows "Marked as enabled" for an agent enabled before many other changes, and counts and filters the pending ones', async () => {
    const history = await serverAnswer<ApiKeyHistoryPage>(session.harness, 'getApiKeyHistory', { agentId: enabledAgent.id });
    assert.deepEqual(history.entries.map((entry) => entry.action), ['enabled'], 'the enabled agent\'s own history');

    const { page, console } = await openConsole(session.harness, ana);
    await console.locator('[data-stat="pending"] .stat-value', { hasText: String(requesters.length) }).waitFor();
    await console.locator('fw-input input[type="text"]').fill(enabledAgent.email);
    await console.locator('#app[data-rows="1"]').waitFor();
    const cell = console.locator(`tbody tr[data-agent-id="${enabledAgent.id}"] .api-key-state[data-state="enabled"]`);
    await cell.waitFor();
    assert.equal(await cell.locator('fw-label').getAttribute('value'), 'Marked as enabled');
    await screenshot(page, '#app-full_page_app', 'console-old-enabled-state');
    // The recent activity lists the latest change of the ten agents changed last, from the same one read.
    await console.locator('.trail-list li').nth(9).waitFor();
    assert.equal(await console.locator('.trail-list li').count(), 10);

    await console.locator('fw-input input[type="text"]').fill('');
    await console.locator('button[data-filter="pending"]').click();
    await console.locator(`#app[data-rows="${requesters.length}"]`).waitFor();
    await page.close();
  });

  it('updates an agent\'s state in the table after an action in the console\'s queue', async () => {
    const { console } = await openConsole(session.harness, ana);
    await console.locator('button[data-filter="pending"]').click();
    await console.locator(`#app[data-rows="${requesters.length}"]`).waitFor();
    const dialog = console.locator('dialog.app-dialog');
    await button(console, `Work through ${requesters.length} requests`).click();
    const declinedId = await dialog.locator('.queue-item').getAttribute('data-agent-id');
    await button(dialog, 'Decline request…').click();
    await button(dialog.locator('.dialog-footer'), /^Decline request$/).click();
    // A decision moves on to the next request by itself.
    await dialog.locator(`.queue-item:not([data-agent-id="${declinedId ?? ''}"])`).waitFor();
    await button(dialog, 'Close').click();

    await console.locator(`#app[data-rows="${requesters.length - 1}"]`).waitFor();
    await console.locator('[data-stat="pending"] .stat-value', { hasText: String(requesters.length - 1) }).waitFor();
    const declined = agents.find((agent) => String(agent.id) === declinedId);
    assert.ok(declined, 'the queue showed a known agent');
    await console.locator('button[data-filter="all"]').click();
    await console.locator('fw-input input[type="text"]').fill(declined.email);
    await console.locator(`tbody tr[data-agent-id="${declined.id}"] .api-key-state[data-state="declined"]`).waitFor();
    // The runtime's $db allows 50 operations a minute, and this console load and decline used most of them: one cheap read.
    const record = await serverAnswer<ApiKeyRecord>(session.harness, 'getApiKeyState', { agentId: declined.id });
    assert.equal(record.state, 'declined');
  });
});
