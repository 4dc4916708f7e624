import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { agentIds, fullName, openConsole, screenshot, useHarness } from './harness';

/** The cells of a CSV whose every cell is quoted (quotes inside doubled), line by line. */
function csvCells(csv: string): string[][] {
  return csv
    .trim()
    .split('\r\n')
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((match) => (match[1] ?? '').replace(/""/g, '"')));
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

  it('lists exactly the simulator\'s agents without Account Admin under that filter, and exports them as a CSV Excel reads', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    await screenshot(page, '#app-full_page_app', 'console');
    const lacking = agents.filter((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
    assert.ok(lacking.length > 50, 'the demo account needs two pages of them');

    await console.locator('button[data-filter="lacking"]').click();
    await console.locator(`#app[data-rows="${lacking.length}"]`).waitFor();
    const firstPage = await agentIds(console.locator('tbody tr'));
    assert.equal(firstPage.length, 50);
    const expectedIds = new Set(lacking.map((agent) => String(agent.id)));
    assert.ok(firstPage.every((id) => expectedIds.has(id)));
    assert.equal(await console.locator('[data-stat="lackingAccountAdmin"] .stat-value').textContent(), String(lacking.length));

    const download = page.waitForEvent('download');
    await console.locator('fw-button', { hasText: 'Export view to CSV' }).click();
    const bytes = readFileSync((await (await download).path()) ?? '');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark, so Excel reads "Chloé" as written');
    const csv = bytes.toString('utf8').slice(1);
    assert.ok(csv.split('\r\n').filter((line) => line !== '').every((line) => /^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$/.test(line)), 'every cell is quoted');
    const rows = csvCells(csv);
    assert.deepEqual(rows[0], ['Name', 'Email', 'Roles', 'Account Admin', 'Occasional', 'Active', 'Last login (UTC)', 'API key']);
    assert.deepEqual(rows.slice(1).map((row) => row[1]).sort(), lacking.map((agent) => agent.email).sort());
    const chloe = agents.find((agent) => agent.first_name === 'Chloé') as SimAgent;
    assert.deepEqual(rows.find((row) => row[1] === chloe.email)?.slice(0, 4), ['Chloé Dubois', chloe.email, 'Admin', 'No']);
    assert.ok(rows.slice(1).every((row) => row[7] === 'Nothing recorded'));
    await page.close();
  });

  it('searches, sorts and shows the HTML-named agent as text', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    await console.locator('fw-input input[type="text"]').fill('html.tester');
    await console.locator('#app[data-rows="1"]').waitFor();
    const name = console.locator(`tbody tr[data-agent-id="${facts.htmlNameAgentId}"] td.person .person-name`);
    assert.equal(await name.textContent(), '<img src=x onerror=alert(1)> Tester');
    assert.equal(await console.locator('img').count(), 0);
    assert.deepEqual(session.harness.dialogs, []);

    await console.locator('fw-input input[type="text"]').fill('');
    const active = agents.filter((agent) => agent.active);
    await console.locator(`#app[data-rows="${active.length}"]`).waitFor();
    await console.locator('button[data-sort="name"]').click();
    await console.locator('th[aria-sort="descending"] button[data-sort="name"]').waitFor();
    const names = active.map((agent) => fullName(agent).toLowerCase()).sort();
    const firstName = (await console.locator('tbody tr td.person .person-name').first().textContent())?.toLowerCase();
    assert.equal(firstName, names[names.length - 1]);
    await console.locator('button[data-sort="email"]').click();
    await console.locator('th[aria-sort="ascending"] button[data-sort="email"]').waitFor();
    const emails = active.map((agent) => agent.email.toLowerCase()).sort();
    assert.equal((await console.locator('tbody tr td.person .person-email').first().textContent())?.toLowerCase(), emails[0]);
    await page.close();
  });

  it('includes deactivated agents with one switch, and the summary still adds up', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    const active = agents.filter((agent) => agent.active);
    await console.locator(`#app[data-rows="${active.length}"]`).waitFor();
    const stat = async (key: string): Promise<number> => Number(await console.locator(`[data-stat="${key}"] .stat-value`).textContent());
    assert.equal(await stat('agents'), active.length);
    assert.equal((await stat('accountAdmins')) + (await stat('lackingAccountAdmin')), await stat('agents'), 'agents = Account Admins + without Account Admin');
    assert.equal(await console.locator('[data-stat="deactivated"]').count(), 0);

    await console.locator('[data-control="include-deactivated"]').click();
    await console.locator(`#app[data-rows="${agents.length}"][data-load-state="done"]`).waitFor();
    assert.ok((await console.locator('td.person .deactivated').count()) > 0, 'deactivated agents are marked');
    assert.equal(await stat('agents'), agents.length);
    assert.equal(await stat('deactivated'), facts.deactivatedIds.length);
    assert.equal(await stat('accountAdmins'), facts.activeAccountAdminIds.length);
    assert.equal((await stat('accountAdmins')) + (await stat('lackingAccountAdmin')) + (await stat('deactivated')), await stat('agents'), 'with deactivated agents too');
    await console.locator('button[data-filter="lacking"]').click();
    await console.locator(`#app[data-rows="${await stat('lackingAccountAdmin')}"]`).waitFor();
    await screenshot(page, '#app-full_page_app', 'console-deactivated-included');
    await page.close();
  });

  it('opens an agent\'s Permissions page from the row\'s actions menu', async () => {
    const { console } = await openConsole(session.harness, ana);
    const target = agents.find((agent) => agent.active && !facts.accountAdminIds.includes(agent.id));
    assert.ok(target);
    await console.locator('fw-input input[type="text"]').fill(target.email);
    await console.locator('#app[data-rows="1"]').waitFor();
    const row = console.locator(`tbody tr[data-agent-id="${target.id}"]`);
    assert.equal(await row.locator('.row-actions button, .row-actions fw-button').count(), 1, 'one actions menu per row');
    await row.locator('.menu-button').click();
    assert.equal(await row.locator('.menu-button').getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await console.locator('.row-menu .row-menu-item').allTextContents(), ['Open access view', 'Try the link to their Permissions page']);
    const opened = session.harness.context.waitForEvent('page');
    await console.locator('.row-menu-item', { hasText: 'Try the link to their Permissions page' }).click();
    const tab = await opened;
    await tab.waitForURL(`**/agents/${target.id}/edit`);
    assert.equal(tab.url(), `${session.harness.runtime.shellUrl}/agents/${target.id}/edit`);
  });
});
