import { strict as assert } from 'node:assert';
import type { FrameLocator } from 'playwright-core';
import { demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { button, fullName, useHarness } from './harness';
import { assertOnFirstScreen, openSidebarAt, SIDEBAR_WIDTH, sidebarShot, VIEWPORTS } from './layout';

/** A mailto: link's parts, decoded. */
function mailParts(href: string): { to: string[]; subject: string; body: string } {
  assert.match(href, /^mailto:/);
  const [address, query] = href.slice('mailto:'.length).split('?') as [string, string];
  const fields = new URLSearchParams(query.replace(/\+/g, '%2B'));
  return { to: address.split(',').map(decodeURIComponent), subject: fields.get('subject') ?? '', body: fields.get('body') ?? '' };
}

/** The reason field's label and the marker Crayons draws after a required field's label (a ::after "*"). */
async function requiredMarker(scope: FrameLocator): Promise<{ label: string; marker: string }> {
  return scope.locator('fw-textarea.request-reason').evaluate((host: { shadowRoot: { querySelector(selector: string): { textContent: string | null } | null } | null }) => {
    const label = host.shadowRoot?.querySelector('.field-control-label.required') ?? null;
    const style = (globalThis as unknown as { getComputedStyle(node: unknown, pseudo: string): { content: string } }).getComputedStyle(label, '::after');
    return { label: (label?.textContent ?? '').trim(), marker: label === null ? '' : style.content };
  });
}

async function hrefs(scope: FrameLocator, selector: string): Promise<string[]> {
  return scope.locator(selector).evaluateAll((links: { getAttribute(name: string): string | null }[]) => links.map((link) => link.getAttribute('href') ?? ''));
}

/**
 * The moment the app exists for: an agent opens their own profile because Freshservice said
 * "Your API key is disabled. Please contact your admin." Every role gets, first and within the
 * first 300 px of the sidebar: Freshservice's words, why, what they hold, who can switch it on
 * (each a mail link), and the request with its reason marked required.
 */
describe('browser: an agent on their own page, before any decision', function () {
  this.timeout(240_000);
  const facts = demoAccountFacts();
  const session = useHarness();
  const agentNamed = (first: string): SimAgent => {
    const agent = session.harness.runtime.simulator?.account.agents.find((candidate) => candidate.first_name === first);
    assert.ok(agent, `the demo account has ${first}`);
    return agent;
  };

  const ROLES: { who: string; first: string; holds: string }[] = [
    { who: 'an Admin without Account Admin', first: 'Chloé', holds: 'You hold the Admin role. Admin is not Account Admin.' },
    { who: 'a custom "Asset Admin"', first: 'Fatima', holds: 'You hold the Asset Admin role. Asset Admin is not Account Admin.' },
    { who: 'a plain agent', first: 'Kwame', holds: 'You hold SD Agent, which cannot switch keys on.' },
    { who: 'an Account Admin', first: 'Ana', holds: "You hold Account Admin: you can switch on other agents' keys, not your own." },
  ];

  for (const role of ROLES) {
    it(`answers ${role.who} first, with the request, at 1440x900, 1024x768 and in a 240 px sidebar`, async () => {
      const agent = agentNamed(role.first);
      const accountAdmins = (session.harness.runtime.simulator?.account.agents ?? []).filter((candidate) => facts.activeAccountAdminIds.includes(candidate.id) && candidate.id !== agent.id);
      for (const viewport of VIEWPORTS) {
        const { page, sidebar } = await openSidebarAt(session.harness, viewport, agent.id, agent.id);
        assert.equal(await sidebar.locator('.access-view').getAttribute('data-case'), 'self');
        assert.equal(await sidebar.locator('.freshservice-says q').textContent(), 'Your API key is disabled. Please contact your admin.');
        assert.equal(await sidebar.locator('.guidance .explain').first().textContent(), 'Only an Account Admin can switch it on, and nobody can switch on their own.');
        assert.equal(await sidebar.locator('.you-hold').textContent(), role.holds);
        assert.deepEqual(await sidebar.locator('.helpers a.person-name').allTextContents(), accountAdmins.map(fullName));

        // Who can do it: each name a mail link with a message naming the agent, the steps and the page.
        for (const [index, href] of (await hrefs(sidebar, '.helpers a.person-name')).entries()) {
          const mail = mailParts(href);
          assert.deepEqual(mail.to, [accountAdmins[index]?.email]);
          assert.match(mail.subject, new RegExp(fullName(agent)));
          assert.match(mail.body, new RegExp(`Admin > Agents > ${fullName(agent)} > Permissions > API key`));
          assert.match(mail.body, new RegExp(`${session.harness.runtime.shellUrl}/agents/${agent.id}/edit`));
        }

        // The reason is marked required before anything is submitted.
        const reason = sidebar.locator('fw-textarea.request-reason');
        assert.equal(await reason.getAttribute('required'), '');
        assert.deepEqual(await requiredMarker(sidebar), { label: 'What is the key for?', marker: '"*"' });
        const request = button(sidebar, 'Request API key');
        assert.equal(await request.getAttribute('color'), 'primary');

        // Within the first 300 px at the sidebar's usual width; on the first screen at every size.
        const limit = viewport.sidebar === SIDEBAR_WIDTH ? 300 : 400;
        for (const [what, selector] of [['Freshservice\'s message', '.freshservice-says'], ['why', '.guidance .explain'], ['what they hold', '.you-hold'], ['who can do it', '.helpers']] as const) {
          await assertOnFirstScreen(page, sidebar.locator(selector).first(), limit, what);
        }
        await assertOnFirstScreen(page, request, limit, 'the request button');
        // The longer explanation is collapsed below.
        assert.equal(await sidebar.locator('details.more').first().getAttribute('open'), null);
        await sidebarShot(page, `own-${role.first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase()}`, viewport);
        await page.close();
      }
    });
  }

  it('after the request, offers a ready message to the Account Admins (mail link and copy), naming the agent, the steps and the link', async () => {
    const chloe = agentNamed('Chloé');
    const viewport = VIEWPORTS[0];
    // Headless Chromium gives a cross-origin iframe no clipboard: a stand-in records what is written.
    await session.harness.context.addInitScript({ content: 'if (navigator.clipboard) { window.__copied = []; navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); }; }' });
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, chloe.id, chloe.id);
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('fw-textarea[state="error"]').waitFor();
    await sidebar.locator('fw-textarea textarea').fill('Azure AD provisioning');
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('.guidance[data-state="requested"]').waitFor();
    assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request is waiting');
    await assertOnFirstScreen(page, sidebar.locator('.answer-title'), 60, 'the outcome');

    const [mailAll] = await hrefs(sidebar, '.ask-message a.link-button');
    const mail = mailParts(mailAll ?? '');
    const admins = (session.harness.runtime.simulator?.account.agents ?? []).filter((agent) => facts.activeAccountAdminIds.includes(agent.id));
    assert.deepEqual(mail.to.sort(), admins.map((admin) => admin.email).sort());
    assert.equal(mail.subject, 'Please switch on the Freshservice API key of Chloé Dubois');
    assert.match(mail.body, /Chloé Dubois \(chloe\.dubois@demo-corp\.example\)/);
    assert.match(mail.body, /What it is for: Azure AD provisioning/);
    assert.match(mail.body, /\r\nIn Freshservice: Admin > Agents > Chloé Dubois > Permissions > API key\.\r\n/);
    assert.match(mail.body, new RegExp(`Direct link: ${session.harness.runtime.shellUrl}/agents/${chloe.id}/edit`));
    assert.equal(await sidebar.locator('.ask-message a.link-button').getAttribute('class'), 'link-button primary', 'sending it is the next action');
    await assertOnFirstScreen(page, sidebar.locator('.ask-message a.link-button'), 300, 'the mail link');

    // "Copy message" puts the same text on the clipboard (recorded by the stand-in clipboard installed above).
    await button(sidebar, 'Copy message').click();
    await sidebar.locator('.ask-status', { hasText: 'Copied.' }).waitFor();
    const shown = await sidebar.locator('.ask-text').inputValue();
    assert.match(shown, /^Please switch on the Freshservice API key of Chloé Dubois\n\nHello,/);
    // The message reads in the sidebar's small type (an invalid `font` shorthand once dropped the whole declaration).
    const messageType = await sidebar.locator('.ask-text').evaluate((node) => {
      const style = (globalThis as unknown as { getComputedStyle(element: unknown): { fontSize: string; lineHeight: string } }).getComputedStyle(node);
      return [style.fontSize, style.lineHeight];
    });
    assert.deepEqual(messageType, ['12px', '16.8px']);
    assert.deepEqual(await sidebar.locator('body').evaluate(() => (globalThis as unknown as { __copied: string[] }).__copied), [shown]);
    await sidebarShot(page, 'own-requested', viewport);
    await page.close();
  });
});
