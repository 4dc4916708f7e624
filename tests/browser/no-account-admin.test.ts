import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoAccount, demoAccountFacts } from '../../dev/simulator/index';
import { openAccessView, openConsole, screenshot, useHarness } from './harness';

/**
 * The demo account with every Account Admin demoted to Admin: the role still exists, nobody
 * holds it. The app's key stays with the former Account Admin (now Admin, enough to read).
 */
function accountWithoutAccountAdmin(): { file: string; dir: string; formerAdmin: number; viewer: number; viewed: number } {
  const facts = demoAccountFacts();
  const account = demoAccount();
  const accountAdminRole = facts.accountAdminRoleId;
  const adminRole = facts.adminRoleId;
  assert.ok(accountAdminRole !== null && adminRole !== null);
  for (const agent of account.agents) {
    agent.roles = agent.roles.map((role) => (role.role_id === accountAdminRole ? { ...role, role_id: adminRole } : role));
  }
  const formerAdmin = facts.activeAccountAdminIds[0] as number;
  account.apiKeys.sort((left, right) => Number(right.agentId === formerAdmin) - Number(left.agentId === formerAdmin));
  const dir = mkdtempSync(join(tmpdir(), 'widget-account-'));
  const file = join(dir, 'account.json');
  writeFileSync(file, JSON.stringify(account));
  const [viewer, viewed] = facts.adminsWithoutAccountAdminIds as [number, number];
  return { file, dir, formerAdmin, viewer, viewed };
}

describe('browser: an account without any Account Admin', function () {
  this.timeout(180_000);
  const setup = accountWithoutAccountAdmin();
  const session = useHarness({ runtimePer: 'file', simulator: { accountFile: setup.file } });

  after(() => {
    rmSync(setup.dir, { recursive: true, force: true });
  });

  it('says in the sidebar that support or the account owner must restore one', async () => {
    const { page, sidebar } = await openAccessView(session.harness, setup.viewer, setup.viewed);
    const warning = (await sidebar.locator('fw-inline-message.warning').textContent()) ?? '';
    assert.match(warning, /no active Account Admin/);
    assert.match(warning, /Freshservice support \(or the account owner\)/);
    await screenshot(page, '#app-contact_sidebar', 'sidebar-no-account-admin');
    await page.close();
  });

  it('says it in the console too', async () => {
    const { page, console } = await openConsole(session.harness, setup.formerAdmin);
    assert.match((await console.locator('.role-warning').textContent()) ?? '', /no active Account Admin/);
    assert.equal(await console.locator('[data-stat="accountAdmins"] .stat-value').textContent(), '0');
    await page.close();
  });
});
