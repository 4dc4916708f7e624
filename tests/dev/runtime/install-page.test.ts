/**
 * The real app's installation page as a new user meets it: a fresh runtime (what `npm start`
 * starts, with an empty data folder), /custom_configs, the demo subdomain and the Account Admin
 * demo key typed in. Its checks (config/assets/iparams.js) send the checkAgentsAccess and
 * checkRolesAccess templates with the typed values in context (host and Authorization), which
 * FDK allows for installation-page requests: they must pass, Save must work, and the app must
 * then run with the saved settings.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../../../dev/runtime/host';
import { startRuntime, type RunningRuntime } from '../../../dev/runtime/index';
import { COVERAGE_CHROMIUM_ARGS, trackAppCoverage } from '../../browser/app-coverage';
import { launchChromium } from '../../browser/chromium';
import { sidebarFrame } from '../../browser/harness';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

describe('the installation page of the real app, as a new user fills it in', function () {
  this.timeout(60_000);
  let dataDir: string;
  let runtime: RunningRuntime | undefined;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let takeAppCoverage: () => Promise<void>;
  const logs: string[] = [];

  function demoKey(label: string): string {
    const key = runtime?.simulator?.keys.find((candidate) => candidate.label === label);
    assert.ok(key, `the demo account has a key labelled ${label}`);
    return key.key;
  }

  const start = async (): Promise<RunningRuntime> => {
    runtime = await startRuntime({ port: 0, appRoot: REPO_ROOT, dataDir, log: (line) => logs.push(line) });
    return runtime;
  };

  /** The field's message once its check has answered with a verdict (empty when valid). */
  async function verdict(field: string): Promise<string> {
    await page.waitForFunction(`document.getElementById('iparam-${field}').getAttribute('aria-invalid') !== null && document.getElementById('save-note').textContent !== 'Checking…'`);
    return (await page.textContent(`#iparam-error-${field}`)) ?? '';
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'install-page-'));
    browser = await launchChromium(COVERAGE_CHROMIUM_ARGS);
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    takeAppCoverage = await trackAppCoverage(context, await context.newPage());
    page = await context.newPage();
  });

  after(async () => {
    await takeAppCoverage?.();
    await context?.close();
    await browser?.close();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') {
      console.log(logs.slice(-20).join('\n'));
    }
  });

  it('passes the checks with the demo subdomain and the Account Admin demo key, saves, and the app runs with them', async () => {
    const running = await start();
    const domain = running.simulator?.account.domain ?? '';
    await page.goto(`${running.shellUrl}/custom_configs`);
    await page.fill('#iparam-freshservice_domain', domain);
    await page.fill('#iparam-api_key', demoKey('API access switched off (401)'));
    assert.match(await verdict('api_key'), /Freshservice rejected this API key/);
    assert.equal(await page.isDisabled('#save-iparams'), true);

    const accountAdminKey = demoKey('Account Admin');
    await page.fill('#iparam-api_key', accountAdminKey);
    assert.equal(await verdict('api_key'), '');
    assert.equal(await verdict('freshservice_domain'), '');
    assert.equal(await page.isDisabled('#save-iparams'), false);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'install-page-checked.png') });
    assert.ok(logs.some((line) => line.startsWith('template checkAgentsAccess 200')), logs.join('\n'));
    assert.ok(logs.some((line) => line.startsWith('template checkRolesAccess 200')), logs.join('\n'));

    await Promise.all([page.waitForURL(/\/custom_configs\?saved=1$/), page.click('#save-iparams')]);
    assert.equal((await page.textContent('.saved'))?.trim(), 'Saved.');
    const saved = JSON.parse(readFileSync(join(dataDir, 'custom_configs.json'), 'utf8')) as { iparams: Record<string, unknown> };
    // The storage secret the runtime made at the first start (as the page's onFormLoad makes one) is kept, so the records stay readable.
    const generated = Object.values(JSON.parse(readFileSync(join(dataDir, 'generated_iparams.json'), 'utf8')) as Record<string, { storage_secret: string }>);
    assert.equal(generated.length, 1);
    assert.deepEqual(saved.iparams, { freshservice_domain: domain, api_key: accountAdminKey, storage_secret: generated[0]?.storage_secret });

    // As after the next `npm start`: the saved settings are loaded, and the sidebar reads Freshservice with them.
    await running.stop();
    const restarted = await start();
    assert.equal(restarted.engine.nonSecureIparams()['freshservice_domain'], domain);
    const viewed = restarted.simulator?.account.agents.find((agent) => agent.active);
    assert.ok(viewed);
    await page.goto(`${restarted.shellUrl}/users/${viewed.id}`);
    const sidebar = await sidebarFrame(page);
    await sidebar.locator('.access-view').waitFor({ timeout: 30_000 });
    assert.equal(await sidebar.locator('.error-panel').count(), 0);
  });
});
