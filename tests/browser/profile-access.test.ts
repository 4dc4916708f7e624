import { strict as assert } from 'node:assert';
import { demoAccountFacts } from '../../dev/simulator/index';
import { button, openAccessView, openConsole, runtimeLog, useHarness } from './harness';

/**
 * The sidebar opens on every user page any agent views, and FDK allows 50 server-method calls
 * a minute per installation: each view must cost exactly one (getProfileAccess). The runtime
 * logs one `server-method <name> <status> <ms>ms` line per call.
 */
function serverMethodsSince(start: number): string[] {
  return runtimeLog
    .slice(start)
    .filter((line) => line.startsWith('server-method '))
    .map((line) => line.split(' ').slice(1, 3).join(' '));
}

const VIEW_METHODS = /^(getProfileAccess|getUserAccess|listAccountAdmins|getApiKeyState) /;

describe('browser: one server-method call per profile view', function () {
  this.timeout(180_000);
  const facts = demoAccountFacts();
  const [ana] = facts.activeAccountAdminIds as [number];
  const [admin, otherAdmin] = facts.adminsWithoutAccountAdminIds as [number, number];
  const session = useHarness({ runtimePer: 'file' });

  const VIEWS: [string, () => [number, number], string][] = [
    ['an Account Admin on another agent', () => [ana, admin], 'enable'],
    ['an Admin on another agent', () => [admin, otherAdmin], 'ask'],
    ['an agent on their own page', () => [admin, admin], 'self'],
  ];
  for (const [who, people, viewCase] of VIEWS) {
    it(`opening a user page as ${who} makes exactly one server-method call`, async () => {
      const [viewer, viewed] = people();
      const start = runtimeLog.length;
      const { page, sidebar } = await openAccessView(session.harness, viewer, viewed);
      await sidebar.locator(`.access-view[data-case="${viewCase}"] .guidance`).waitFor();
      assert.deepEqual(serverMethodsSince(start), ['getProfileAccess 200']);
      await page.close();
    });
  }

  it('records an action with one call and shows the record it returns, without re-reading', async () => {
    const { page, sidebar } = await openAccessView(session.harness, ana, otherAdmin);
    const start = runtimeLog.length;
    const popup = session.harness.context.waitForEvent('page');
    await button(sidebar, 'Try the direct link').click();
    await (await popup).close();
    await button(sidebar, 'Mark as enabled').waitFor();
    assert.deepEqual(serverMethodsSince(start), ['recordApiKeyAction 200']);
    await page.close();
  });

  it('opens the console\'s per-agent Access modal with one call too', async () => {
    const { page, console } = await openConsole(session.harness, ana);
    const start = runtimeLog.length;
    await console.locator(`tbody tr[data-agent-id="${admin}"] .menu-button`).click();
    await console.locator('.row-menu-item', { hasText: 'Open access view' }).click();
    await console.locator(`dialog.app-dialog .access-view[data-viewed-id="${admin}"] .guidance`).waitFor();
    assert.deepEqual(serverMethodsSince(start).filter((call) => VIEW_METHODS.test(call)), ['getProfileAccess 200']);
    await page.close();
  });
});
