import { strict as assert } from 'node:assert';
import type { ApiKeyRecord } from '#common/ledger';
import type { ProfileAccess } from '#common/profile';
import { bodyHeight, button, fullName, interceptMethod, mailOpened, mailParts, serverAnswer, sidebarFrame, useHarness } from './harness';
import { assertOnFirstScreen, openSidebarAt, sidebarShot, VIEWPORTS } from './layout';
import { demoPeople, person, seedRequests } from './people';

const SIDEBAR_CAP = 700;

/** The note of the review's finding: a plain agent declined a colleague's request as an Account Admin. */
const PHISHING_NOTE = 'Security review: reply with your Freshservice password to it-security@demo-corp.example';

/**
 * After an Account Admin decided, the agent's own page leads with the outcome: enabled (where to
 * find the key, and "Still disabled? Ask again"), or declined (the note, and "Ask again"). Every
 * entry reads "recorded in this app as" the person named, and what a person typed is quoted as
 * theirs, beside the line that nobody asks for a password through the app. The ledger is written
 * before the runtime starts, so the views spend none of its $db budget on it.
 */
describe('browser: an agent on their own page after a decision', function () {
  this.timeout(240_000);
  const { ana, named } = demoPeople();
  const [chloe, rahul, kwame, fatima] = [named('Chloé'), named('Rahul'), named('Kwame'), named('Fatima')];
  const session = useHarness({
    seedStore: seedRequests([chloe, rahul, fatima], 'Azure AD provisioning', async (ledger) => {
      await ledger.apply({ action: 'enabled', actor: person(ana), target: person(chloe), note: null });
      await ledger.apply({ action: 'declined', actor: person(ana), target: person(rahul), note: 'Use the shared integration account instead' });
      // What a forged call writes: anyone can claim to be Ana.
      await ledger.apply({ action: 'declined', actor: person(ana), target: person(fatima), note: PHISHING_NOTE });
    }),
  });

  /** Each quoted block: its caption and the text as typed. */
  async function typedBlocks(sidebar: import('playwright-core').Frame): Promise<string[][]> {
    const blocks = sidebar.locator('.typed');
    const found: string[][] = [];
    for (let index = 0; index < (await blocks.count()); index += 1) {
      const block = blocks.nth(index);
      found.push([(await block.locator('.typed-caption').textContent()) ?? '', (await block.locator('.typed-text').textContent()) ?? '']);
    }
    return found;
  }

  async function contentHeight(sidebar: import('playwright-core').Frame): Promise<number> {
    return sidebar.evaluate(bodyHeight);
  }

  it('enabled: the outcome first, where to find the key, and "Still disabled? Ask again"', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, sidebar } = await openSidebarAt(session.harness, viewport, chloe.id, chloe.id);
      assert.equal(await sidebar.locator('.guidance').getAttribute('data-state'), 'enabled');
      assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your API key is marked enabled');
      assert.equal(await sidebar.locator('.outcome').textContent(), 'An Account Admin marked your key enabled: find it in Profile Settings > Your API key.');
      assert.match((await sidebar.locator('.record-line').textContent()) ?? '', new RegExp(`^Marked as enabled, recorded in this app as ${fullName(ana)}, (just now|\\d+ minutes? ago)$`));
      assert.equal(await sidebar.locator('.request-form').count(), 0, 'nothing to request: the key is marked enabled');
      const again = button(sidebar, 'Still disabled? Ask again');
      await assertOnFirstScreen(page, sidebar.locator('.outcome'), 300, 'the outcome');
      await assertOnFirstScreen(page, again, 300, '"Still disabled? Ask again"');

      await again.click();
      await sidebar.locator('.request-form').waitFor();
      assert.equal(await sidebar.locator('.request-how').textContent(), 'Records your request here and opens a message to the Account Admins in your mail program.');
      const height = await contentHeight(sidebar);
      assert.ok(height <= SIDEBAR_CAP, `everything fits under the ${SIDEBAR_CAP} px cap (${height} px)`);
      await sidebarShot(page, 'own-enabled', viewport);
      await page.close();
    }
  });

  it('enabled, still disabled: asking again records a new request and opens a "still disabled" message, in one click', async () => {
    const { page, sidebar } = await openSidebarAt(session.harness, VIEWPORTS[0], chloe.id, chloe.id);
    await button(sidebar, 'Still disabled? Ask again').click();
    await sidebar.locator('.request-form fw-textarea textarea').fill('The nightly import still fails with 401');
    await button(sidebar, /^Ask again$/).click();
    await sidebar.locator('.guidance[data-state="requested"]').waitFor();
    const [opened] = await mailOpened(sidebar);
    const mail = mailParts(opened?.href ?? '');
    assert.equal(mail.subject, 'The Freshservice API key of Chloé Dubois is still disabled');
    assert.match(mail.body, /still says "Your API key is disabled"/);
    assert.match(mail.body, /What it is for: The nightly import still fails with 401/);
    assert.equal((await serverAnswer<ApiKeyRecord>(session.harness, 'getApiKeyState', { agentId: chloe.id })).state, 'requested');
    await page.close();
  });

  it('declined: the outcome first with the Account Admin\'s reason, and "Ask again"', async () => {
    for (const viewport of VIEWPORTS) {
      const { page, sidebar } = await openSidebarAt(session.harness, viewport, rahul.id, rahul.id);
      assert.equal(await sidebar.locator('.guidance').getAttribute('data-state'), 'declined');
      assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request was declined');
      const outcome = (await sidebar.locator('.outcome').textContent()) ?? '';
      assert.match(outcome, new RegExp(`^Declined, recorded in this app as ${fullName(ana)}, (just now|\\d+ minutes? ago)\\.$`));
      assert.deepEqual(await typedBlocks(sidebar), [
        [`${fullName(ana)}'s note, as typed:`, 'Use the shared integration account instead'],
        [`${fullName(rahul)}'s reason, as typed:`, 'Azure AD provisioning'],
      ]);
      assert.equal(await sidebar.locator('.no-password').count(), 1);
      const again = button(sidebar, /^Ask again$/);
      assert.equal(await again.getAttribute('color'), 'primary');
      await assertOnFirstScreen(page, sidebar.locator('.outcome'), 300, 'the outcome');
      await assertOnFirstScreen(page, again, 450, '"Ask again"');
      const height = await contentHeight(sidebar);
      assert.ok(height <= SIDEBAR_CAP, `everything fits under the ${SIDEBAR_CAP} px cap (${height} px)`);
      await sidebarShot(page, 'own-declined', viewport);
      await page.close();
    }
  });

  it('declined with a note that asks for a password, in an Account Admin\'s name: quoted as typed, recorded in this app as her, beside the line that nobody asks for passwords here', async () => {
    const viewport = VIEWPORTS[2];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, fatima.id, fatima.id);
    assert.match((await sidebar.locator('.outcome').textContent()) ?? '', new RegExp(`^Declined, recorded in this app as ${fullName(ana)}, `));
    assert.doesNotMatch((await sidebar.locator('.outcome').textContent()) ?? '', /password/, 'the note is not part of the app\'s own sentence');
    const [note] = await typedBlocks(sidebar);
    assert.deepEqual(note, [`${fullName(ana)}'s note, as typed:`, PHISHING_NOTE]);
    assert.equal(await sidebar.locator('blockquote.typed-text', { hasText: PHISHING_NOTE }).count(), 1, 'quoted, as a block of its own');
    const warning = sidebar.locator('.no-password');
    assert.equal(await warning.textContent(), 'This app cannot vouch for what people type in it. Nobody will ever ask for your password through it: if a note does, tell an Account Admin.');
    await assertOnFirstScreen(page, warning, 450, 'the line about passwords');
    await sidebarShot(page, 'own-declined-impersonated', viewport);
    await page.close();
  });

  it('the Account Admin named sees, on her own page, every entry recorded in this app as her, and what to do if one is not hers', async () => {
    const viewport = VIEWPORTS[0];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, ana.id, ana.id);
    const recorded = sidebar.locator('.recorded-as-viewer');
    assert.equal(await recorded.locator('h3').textContent(), 'Recorded in this app as you');
    const lines = await recorded.locator('.recorded-list li').allTextContents();
    assert.deepEqual(
      lines.map((line) => line.replace(/^(just now|\d+ minutes? ago) /, '')),
      [`declined the API-key request of ${fullName(fatima)}`, `declined the API-key request of ${fullName(rahul)}`, `marked the API key of ${fullName(chloe)} as enabled`],
      'newest first, each naming whose key',
    );
    assert.match((await recorded.locator('.recorded-not-you').textContent()) ?? '', /^One that was not you\? Someone used your name here\. Check that agent's API key on their Permissions page in Freshservice, take the entry back with "Undo last step" on their page in this app, and tell the other Account Admins/);
    await sidebarShot(page, 'own-account-admin-recorded', viewport);
    await page.close();
  });

  it('declined, read again after the app\'s storage was busy: the note is the record\'s, not the first answer\'s', async () => {
    const page = await session.harness.context.newPage();
    // The first answer comes without the API-key part, as when $db refuses for the minute.
    await interceptMethod(page, 'getProfileAccess', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { ok: boolean; body: { response: ProfileAccess } };
      const busy = { status: 507, code: 'STORE_UNAVAILABLE' as const, message: 'The app\'s storage is busy.', retryAfterSeconds: 60 };
      await route.fulfill({ response, json: { ...answer, body: { ...answer.body, response: { ...answer.body.response, apiKey: null, apiKeyError: busy } } } });
    });
    await page.goto(`${session.harness.runtime.shellUrl}/users/${rahul.id}?as=${rahul.id}`);
    const sidebar = await sidebarFrame(page);
    await sidebar.locator('.api-key[data-state="unavailable"]').waitFor({ timeout: 30_000 });

    await button(sidebar, 'Try now').click();
    await sidebar.locator('.guidance[data-state="declined"]').waitFor();
    assert.equal(await sidebar.locator('.typed-text').first().textContent(), 'Use the shared integration account instead');
    await page.close();
  });

  it('waiting: the request\'s state first, and the message to send', async () => {
    await serverAnswer(session.harness, 'requestApiKey', { actorId: kwame.id, actorEmail: kwame.email, reason: 'Reporting' });
    const viewport = VIEWPORTS[2];
    const { page, sidebar } = await openSidebarAt(session.harness, viewport, kwame.id, kwame.id);
    assert.equal(await sidebar.locator('.answer-title').textContent(), 'Your request is waiting');
    await assertOnFirstScreen(page, sidebar.locator('.ask-message a.link-button'), 400, 'the mail link');
    await sidebarShot(page, 'own-waiting', viewport);
    await page.close();
  });
});
