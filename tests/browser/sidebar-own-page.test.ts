import { strict as assert } from 'node:assert';
import type { Frame } from 'playwright-core';
import type { ApiKeyRecord } from '#common/ledger';
import { demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { button, fullName, mailOpened, mailParts, serverAnswer, useHarness } from './harness';
import { assertOnFirstScreen, openSidebarAt, SIDEBAR_WIDTH, sidebarShot, VIEWPORTS } from './layout';

/** The reason field's label and the marker Crayons draws after a required field's label (a ::after "*"). */
async function requiredMarker(scope: Frame): Promise<{ label: string; marker: string }> {
  return scope.locator('fw-textarea.request-reason').evaluate((host: { shadowRoot: { querySelector(selector: string): { textContent: string | null } | null } | null }) => {
    const label = host.shadowRoot?.querySelector('.field-control-label.required') ?? null;
    const style = (globalThis as unknown as { getComputedStyle(node: unknown, pseudo: string): { content: string } }).getComputedStyle(label, '::after');
    return { label: (label?.textContent ?? '').trim(), marker: label === null ? '' : style.content };
  });
}

async function hrefs(scope: Frame, selector: string): Promise<string[]> {
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
        // A condition, not a fact: the app cannot read whether their key is on (Ana's, the app's own, may well be).
        assert.equal(await sidebar.locator('.freshservice-says .says-who').textContent(), 'If Freshservice tells you:');
        assert.equal(await sidebar.locator('.freshservice-says q').textContent(), 'Your API key is disabled. Please contact your admin.');
        assert.equal(await sidebar.locator('.guidance .explain').first().textContent(), 'Only an Account Admin can switch it on, and nobody can switch on their own.');
        assert.equal(await sidebar.locator('.you-hold').textContent(), role.holds);
        assert.deepEqual(await sidebar.locator('.helpers a.person-name').allTextContents(), accountAdmins.map(fullName));

        // Who can do it: each name a mail link with a message naming the agent, the steps and the page.
        for (const [index, href] of (await hrefs(sidebar, '.helpers a.person-name')).entries()) {
          const mail = mailParts(href);
          assert.deepEqual(mail.to, [accountAdmins[index]?.email]);
          assert.match(mail.subject, new RegExp(fullName(agent)));
          assert.ok(mail.body.includes(`In Freshservice: Admin > Global Settings > User Management > Agents > ${fullName(agent)} > Permissions > API key.`), 'the menu path');
          assert.match(mail.body, new RegExp(`Direct link \\(the app's best guess: .*\\): ${session.harness.runtime.shellUrl}/agents/${agent.id}/edit`));
        }

        // The menu path is shown, in the same words; the app's own key is the evidence that API keys work on this account.
        assert.equal(await sidebar.locator('.access-view > .route').textContent(), `In Freshservice: Admin > Global Settings > User Management > Agents > ${fullName(agent)} > Permissions > API key.`);
        const evidence = sidebar.locator('.key-evidence');
        assert.equal(await evidence.getAttribute('data-evidence'), 'works');
        assert.match((await evidence.textContent()) ?? '', /^API keys work on this account: this app uses one, and Freshservice accepted it just now\. So they are not switched off account-wide or replaced by OAuth\.$/);

        // The reason is marked required before anything is submitted.
        const reason = sidebar.locator('fw-textarea.request-reason');
        assert.equal(await reason.getAttribute('required'), '');
        assert.deepEqual(await requiredMarker(sidebar), { label: 'What is the key for?', marker: '"*"' });
        // Its accessible name is its label (with the required marker), not its placeholder.
        assert.equal(await sidebar.getByRole('textbox', { name: /^What is the key for\? \*$/ }).count(), 1, 'the field is named by its label');
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

  it('asks in one gesture: the request is recorded and the ready message opens in the mail program, with copying as the fallback', async () => {
    const chloe = agentNamed('Chloé');
    const viewport = VIEWPORTS[0];
    // Headless Chromium gives a cross-origin iframe no clipboard: a stand-in records what is written.
    await session.harness.addInitScript('if (navigator.clipboard) { window.__copied = []; navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); }; }');
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, chloe.id, chloe.id);
    assert.equal(await sidebar.locator('.request-how').textContent(), 'Records your request here and opens a message to the Account Admins in your mail program.');
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('fw-textarea[state="error"]').waitFor();
    assert.deepEqual(await mailOpened(sidebar), [], 'nothing is mailed without a reason');
    await sidebar.locator('fw-textarea textarea').fill('Azure AD provisioning');
    await button(sidebar, 'Request API key').click();
    await sidebar.locator('.guidance[data-state="requested"]').waitFor();
    assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request is waiting');
    await assertOnFirstScreen(page, sidebar.locator('.answer-title'), 60, 'the outcome');

    // The same click recorded the request and opened the message in the mail program, inside the gesture (no blocker stops it).
    const record = await serverAnswer<ApiKeyRecord>(session.harness, 'getApiKeyState', { agentId: chloe.id });
    assert.equal(record.state, 'requested');
    const opened = await mailOpened(sidebar);
    assert.equal(opened.length, 1, 'one message');
    assert.equal(opened[0]?.inGesture, true, 'opened inside the click');
    const mail = mailParts(opened[0]?.href ?? '');
    const admins = (session.harness.runtime.simulator?.account.agents ?? []).filter((agent) => facts.activeAccountAdminIds.includes(agent.id));
    assert.deepEqual(mail.to.sort(), admins.map((admin) => admin.email).sort());
    assert.equal(mail.subject, 'Please switch on the Freshservice API key of Chloé Dubois');
    assert.match(mail.body, /Chloé Dubois \(chloe\.dubois@demo-corp\.example\)/);
    assert.match(mail.body, /What it is for: Azure AD provisioning/);
    assert.match(mail.body, /\r\nIn Freshservice: Admin > Global Settings > User Management > Agents > Chloé Dubois > Permissions > API key\.\r\n/);
    assert.match(mail.body, new RegExp(`: ${session.harness.runtime.shellUrl}/agents/${chloe.id}/edit`));

    // What happened, recorded in this app as the person named, and the fallback when no mail program opened.
    assert.match((await sidebar.locator('.outcome').textContent()) ?? '', /^Request recorded in this app as Chloé Dubois, just now\. /);
    assert.equal(await sidebar.locator('.mail-status').getAttribute('data-mail'), 'opened');
    assert.equal(
      await sidebar.locator('.mail-status').textContent(),
      'A message to the Account Admins opened in your mail program: send it. No mail program opened? Copy the message and send it to them another way (chat, a ticket).',
    );
    const [mailAgain] = await hrefs(sidebar, '.ask-message a.link-button');
    assert.deepEqual(mailParts(mailAgain ?? ''), mail, 'the same message, to send again');
    assert.equal(await sidebar.locator('.ask-message a.link-button').getAttribute('class'), 'link-button', 'sent already: not the primary action any more');
    await assertOnFirstScreen(page, button(sidebar, 'Copy message'), 300, 'the fallback');

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
    assert.deepEqual(await sidebar.evaluate(() => (globalThis as unknown as { __copied: string[] }).__copied), [shown]);
    await sidebarShot(page, 'own-requested', viewport);
    await page.close();
  });
});
