import { strict as assert } from 'node:assert';
import type { ApiKeyRecord } from '#common/ledger';
import type { SimAgent } from '../../dev/simulator/index';
import { fulfillAnswer, fullName, interceptMethod, type MethodCall, runtimeLog, screenshot, sidebarFrame, useHarness } from './harness';

/**
 * The app's own storage ($db) allows 50 operations a minute. When it refuses for the minute, the
 * sidebar still shows the Freshservice facts, marks only the API-key part "unavailable for a
 * minute", never blames Freshservice, and reads that part again by itself (getApiKeyState), not
 * the whole view. The store's minute is real time here; the browser's clock is Playwright's, so
 * the retries can be stepped through.
 */
describe('browser: the app\'s storage refuses for the minute', function () {
  this.timeout(180_000);
  const session = useHarness();

  it('shows the Freshservice facts, marks the API-key part unavailable, and retries only that part by itself', async () => {
    const harness = session.harness;
    const agents = harness.runtime.simulator?.account.agents ?? [];
    const chloe = agents.find((agent) => agent.first_name === 'Chloé') as SimAgent;
    // Spend the minute's $db operations (each getApiKeyState reads one or two keys) until the store refuses.
    let refused = false;
    for (let call = 0; call < 60 && !refused; call += 1) {
      const result = await harness.runtime.engine.invokeServerMethod('getApiKeyState', { agentId: chloe.id });
      refused = !result.ok;
    }
    assert.ok(refused, 'the store refused within 60 calls');

    const page = await harness.context.newPage();
    await page.clock.install();
    const stateCalls: MethodCall[] = [];
    let answerNextWith: ApiKeyRecord | null = null;
    await interceptMethod(page, 'getApiKeyState', async (route, call) => {
      stateCalls.push(call);
      await (answerNextWith === null ? route.fallback() : fulfillAnswer(route, answerNextWith));
    });
    const profileCallsBefore = runtimeLog.filter((line) => line.startsWith('server-method getProfileAccess')).length;
    await page.goto(`${harness.runtime.shellUrl}/users/${chloe.id}?as=${chloe.id}`);
    const sidebar = await sidebarFrame(page);
    const unavailable = sidebar.locator('.api-key[data-state="unavailable"]');
    await unavailable.waitFor({ timeout: 30_000 });

    // The Freshservice facts are all there; the API-key part and the list of Account Admins (both kept in the app's storage) wait.
    assert.equal(await sidebar.locator('.you-hold').textContent(), 'You hold the Admin role. Admin is not Account Admin.');
    assert.match((await sidebar.locator('.helpers .people-status').textContent()) ?? '', /kept in the app's own storage, which is busy for a minute/);
    assert.match((await unavailable.textContent()) ?? '', /The app's record of this API key is unavailable for a minute: the app's own storage is busy/);
    assert.match((await unavailable.textContent()) ?? '', /It tries again by itself\./);
    assert.doesNotMatch((await sidebar.locator('.access-view').textContent()) ?? '', /Freshservice did not answer|Freshservice is busy/);
    assert.equal(await sidebar.locator('.request-form').count(), 0, 'no request while its state is unknown');
    await screenshot(page, '#app-contact_sidebar', 'sidebar-storage-busy');

    // After the minute the server asked for, only the API-key part is read again; the store is still busy (507).
    await page.clock.fastForward(61_000);
    await sidebar.locator('.access-view').evaluate(() => undefined);
    for (let wait = 0; wait < 50 && stateCalls.length < 1; wait += 1) {
      await page.waitForTimeout(100);
    }
    assert.equal(stateCalls.length, 1, 'one read of the API-key part after a minute');
    assert.deepEqual(stateCalls[0]?.payload, { agentId: chloe.id });
    await sidebar.locator('.api-key[data-state="unavailable"]').waitFor();

    // The next try waits longer (backoff), then shows the record it reads.
    answerNextWith = {
      agent: { id: chloe.id, name: fullName(chloe) },
      state: 'requested',
      requestedBy: { id: chloe.id, name: fullName(chloe) },
      requestedAt: new Date(Date.now() - 120_000).toISOString(),
      reason: 'Azure AD provisioning',
      openedBy: null,
      openedAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      canUndo: false,
      updatedAt: new Date().toISOString(),
      version: 1,
    };
    await page.clock.fastForward(61_000);
    await page.waitForTimeout(300);
    assert.equal(stateCalls.length, 1, 'the second try waits longer than the first');
    await page.clock.fastForward(60_000);
    await sidebar.locator('.guidance[data-state="requested"]').waitFor();
    assert.equal(stateCalls.length, 2);
    assert.equal(await sidebar.locator('.api-key[data-state="unavailable"]').count(), 0);
    const profileCalls = runtimeLog.filter((line) => line.startsWith('server-method getProfileAccess')).length - profileCallsBefore;
    assert.equal(profileCalls, 1, 'the view itself was read once: the retries read only the API-key part');
    await page.close();
  });
});
