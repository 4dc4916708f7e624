import { strict as assert } from 'node:assert';
import { demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { bodyHeight, button, useHarness } from './harness';
import { clippedIn, openSidebarAt, sidebarShot, type Viewport } from './layout';
import { demoPeople, person, seedRequests } from './people';

const NARROW: Viewport[] = [
  { name: 'sidebar200', width: 1024, height: 768, sidebar: 200 },
  { name: 'sidebar240', width: 1440, height: 900, sidebar: 240 },
];

/**
 * Freshservice's sidebar narrows with the window: at 200 and 240 px nothing may be clipped (no
 * sideways scrolling, no element past the edge, no button label cut with an ellipsis), and
 * buttons wrap their words onto a second line instead.
 */
describe('browser: the sidebar at 200 and 240 px', function () {
  this.timeout(240_000);
  const facts = demoAccountFacts();
  const { agents, ana, named } = demoPeople();
  const deactivated = agents.find((agent) => facts.deactivatedIds.includes(agent.id) && !facts.accountAdminIds.includes(agent.id)) as SimAgent;
  const [chloe, rahul, kwame, fatima] = [named('Chloé'), named('Rahul'), named('Kwame'), named('Fatima')];
  const session = useHarness({
    // Chloé's page was opened: "Mark as enabled", "Decline request…" and "Undo" wait next to the link; Fatima's key is marked enabled.
    seedStore: seedRequests([chloe, rahul, fatima], 'Azure AD provisioning for the HR onboarding workflow', async (ledger) => {
      await ledger.apply({ action: 'opened', actor: person(ana), target: person(chloe), note: null });
      await ledger.apply({ action: 'enabled', actor: person(ana), target: person(fatima), note: null });
    }),
  });

  const CASES: { name: string; viewer: () => number; viewed: () => number }[] = [
    { name: 'account-admin-mark', viewer: () => ana.id, viewed: () => chloe.id },
    { name: 'own-requested', viewer: () => chloe.id, viewed: () => chloe.id },
    { name: 'own-none', viewer: () => kwame.id, viewed: () => kwame.id },
    { name: 'own-enabled', viewer: () => fatima.id, viewed: () => fatima.id },
    { name: 'admin-on-other', viewer: () => rahul.id, viewed: () => kwame.id },
    { name: 'deactivated', viewer: () => ana.id, viewed: () => deactivated.id },
    { name: 'requester', viewer: () => ana.id, viewed: () => demoAccountFacts().requesterIds[0] as number },
  ];

  for (const viewport of NARROW) {
    it(`clips nothing at ${viewport.sidebar} px, and lets button labels wrap`, async () => {
      for (const { name, viewer, viewed } of CASES) {
        const { page, sidebar } = await openSidebarAt(session.harness, viewport, viewer(), viewed());
        await page.waitForTimeout(200);
        assert.deepEqual(await clippedIn(sidebar), [], `${name} at ${viewport.sidebar} px`);
        if (name === 'own-enabled') {
          // No English label is long enough to need it at 200 px any more; a longer one (a translation) wraps instead of being cut.
          const wraps = await button(sidebar, 'Still disabled? Ask again').evaluate((host: { shadowRoot: { querySelector(selector: string): unknown } | null }) => {
            const label = host.shadowRoot?.querySelector('.fw-btn--label');
            const style = (globalThis as unknown as { getComputedStyle(node: unknown): { whiteSpace: string; textOverflow: string } }).getComputedStyle(label);
            return [style.whiteSpace, style.textOverflow];
          });
          assert.deepEqual(wraps, ['normal', 'clip'], 'a button label wraps, never cut with an ellipsis');
        }
        if (name === 'account-admin-mark') {
          await button(sidebar, 'Decline request…').click();
          await sidebar.locator('.decline-form').waitFor();
          assert.deepEqual(await clippedIn(sidebar), [], `the decline form at ${viewport.sidebar} px`);
        }
        if (name === 'deactivated' || name === 'requester') {
          const height = await sidebar.evaluate(bodyHeight);
          assert.ok(height < 320, `a ${name}'s page stays short (${height} px at ${viewport.sidebar} px)`);
        }
                if (name === 'own-requested') {
          await sidebar.locator('.ask-details summary').click();
          assert.deepEqual(await clippedIn(sidebar), [], `the ready message at ${viewport.sidebar} px`);
        }
        await sidebarShot(page, name, viewport);
        await page.close();
      }
    });
  }
});
