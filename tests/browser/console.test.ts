import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { agentIds, openConsole, screenshot, useHarness } from './harness';

/** The emails column of the exported CSV (the console's current view, every page). */
function csvEmails(csv: string): string[] {
  const lines = csv.trim().split('\r\n').slice(1);
  return lines.map((line) => line.split(',')[1] ?? '');
}

describe('browser: the access console', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const session = useHarness();
  let agents: SimAgent[];

  beforeEach(() => {
    agents = session.harness.runtime.simulator?.account.agents ?? [];
  });

  it('lists exactly the simulator\'s agents lacking Account Admin under that filter, and exports them', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    await screenshot(page.locator('#app-full_page_app'), 'console');
    const lacking = agents.filter((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
    assert.ok(lacking.length > 50, 'the demo account needs two pages of them');

    await console.locator('fw-button[data-filter="lacking"]').click();
    await console.locator(`#app[data-rows="${lacking.length}"]`).waitFor();
    const firstPage = await agentIds(console.locator('tbody tr'));
    assert.equal(firstPage.length, 50);
    const expectedIds = new Set(lacking.map((agent) => String(agent.id)));
    assert.ok(firstPage.every((id) => expectedIds.has(id)));
    assert.equal(await console.locator('[data-stat="lackingAccountAdmin"] .stat-value').textContent(), String(lacking.length));

    const download = page.waitForEvent('download');
    await console.locator('fw-button', { hasText: 'Export view to CSV' }).click();
    const csv = readFileSync((await (await download).path()) ?? '', 'utf8');
    assert.deepEqual(csvEmails(csv).sort(), lacking.map((agent) => agent.email).sort());
    await page.close();
  });

  it('searches, sorts and shows the HTML-named agent as text', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    await console.locator('fw-input input[type="text"]').fill('html.tester');
    await console.locator('#app[data-rows="1"]').waitFor();
    const name = console.locator(`tbody tr[data-agent-id="${facts.htmlNameAgentId}"] td.name`);
    assert.equal(await name.textContent(), '<img src=x onerror=alert(1)> Tester');
    assert.equal(await console.locator('img').count(), 0);
    assert.deepEqual(session.harness.dialogs, []);

    await console.locator('fw-input input[type="text"]').fill('');
    const active = agents.filter((agent) => agent.active);
    await console.locator(`#app[data-rows="${active.length}"]`).waitFor();
    await console.locator('button[data-sort="name"]').click();
    await console.locator('th[aria-sort="descending"] button[data-sort="name"]').waitFor();
    const names = active.map((agent) => `${agent.first_name} ${agent.last_name ?? ''}`.trim().toLowerCase()).sort();
    const firstName = (await console.locator('tbody tr td.name').first().textContent())?.toLowerCase();
    assert.equal(firstName, names[names.length - 1]);
    await page.close();
  });

  it('includes deactivated agents with one switch', async () => {
    const { console } = await openConsole(session.harness, ana);
    const active = agents.filter((agent) => agent.active);
    await console.locator(`#app[data-rows="${active.length}"]`).waitFor();
    await console.locator('[data-control="include-deactivated"]').click();
    await console.locator(`#app[data-rows="${agents.length}"][data-load-state="done"]`).waitFor();
    assert.ok((await console.locator('td.name .muted').count()) > 0, 'deactivated agents are marked');
  });

  it('opens an agent\'s Permissions page from a row', async () => {
    const { console } = await openConsole(session.harness, ana);
    const target = agents.find((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
    assert.ok(target);
    await console.locator('fw-input input[type="text"]').fill(target.email);
    await console.locator('#app[data-rows="1"]').waitFor();
    const opened = session.harness.context.waitForEvent('page');
    await console.locator(`tbody tr[data-agent-id="${target.id}"] fw-button`, { hasText: 'Permissions' }).click();
    const tab = await opened;
    await tab.waitForURL(`**/agents/${target.id}/edit`);
    assert.equal(tab.url(), `${session.harness.runtime.shellUrl}/agents/${target.id}/edit`);
  });
});
