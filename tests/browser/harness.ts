/**
 * What every widget browser test needs: the local runtime on a free port with a temp data dir,
 * Debian's Chromium through playwright-core (never a downloaded browser), the app iframes of
 * the shell, screenshots under tests/artifacts/, and a record of everything the browser received
 * (responses and postMessages) so tests can prove the API key never reaches it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { startRuntime, type RunningRuntime } from '../../dev/runtime/index';
import { MemoryKeyValueStore } from '../../dev/runtime/kv-store';
import type { SimulatorOptions } from '../../dev/simulator/index';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const artifactsDir = join(repoRoot, 'tests', 'artifacts');

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Harness {
  runtime: RunningRuntime;
  context: BrowserContext;
  /** Every response body and postMessage payload the browser saw, as text. */
  received: string[];
  /** Dialogs (alert, confirm...) any page opened: an injected script would show up here. */
  dialogs: string[];
  /** Closes the browser context and stops the runtime (the browser stays for the next test). */
  close(): Promise<void>;
}

/** One browser per test file; each test gets a fresh runtime (the app's $db allows 50 operations a minute). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** Records postMessage traffic in every frame (shell and app iframes alike); runs in the browser. */
const RECORD_MESSAGES = `window.addEventListener('message', (event) => {
  (window.__receivedMessages = window.__receivedMessages || []).push(JSON.stringify(event.data));
});`;

/** The runtime's log lines (name, status, ms per call: no secrets), for diagnosing a failed test. */
export const runtimeLog: string[] = [];

/**
 * `seedStore` writes the app's $db before the runtime starts (its db.json, with no rate limit), so
 * a test can begin with ledger history without spending the runtime's 50 operations a minute.
 */
export async function startHarness(browser: Browser, simulator?: SimulatorOptions, seedStore?: (store: MemoryKeyValueStore) => Promise<void>): Promise<Harness> {
  mkdirSync(artifactsDir, { recursive: true });
  runtimeLog.length = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'widget-browser-'));
  await seedStore?.(new MemoryKeyValueStore({ file: join(dataDir, 'db.json'), operationsPerMinute: 0 }));
  const runtime = await startRuntime({ port: 0, appRoot: repoRoot, dataDir, ...(simulator === undefined ? {} : { simulator }), log: (line) => runtimeLog.push(line) });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.addInitScript({ content: RECORD_MESSAGES });
  const received: string[] = [];
  const dialogs: string[] = [];
  context.on('response', (response) => {
    response.text().then(
      (text) => received.push(text),
      () => undefined,
    );
  });
  context.on('page', (page) =>
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => undefined);
    }),
  );
  return {
    runtime,
    context,
    received,
    dialogs,
    close: async () => {
      await context.close();
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Prints the runtime's last log lines when a test failed (names, statuses and times only). */
export function logOnFailure(test: { state?: string } | undefined): void {
  if (test?.state === 'failed') {
    console.log(runtimeLog.slice(-30).join('\n'));
  }
}

/** The postMessage payloads every frame of the page has seen so far. */
export async function messagesSeen(page: Page): Promise<string[]> {
  const perFrame = await Promise.all(
    page.frames().map((frame: Frame) => frame.evaluate<string[]>('window.__receivedMessages || []').catch((): string[] => [])),
  );
  return perFrame.flat();
}

export function sidebarFrame(page: Page): FrameLocator {
  return page.frameLocator('#app-contact_sidebar');
}

export function consoleFrame(page: Page): FrameLocator {
  return page.frameLocator('#app-full_page_app');
}

/** Opens a user's page signed in as `viewerId` and waits until the access view has loaded. */
export async function openSidebar(harness: Harness, viewerId: number, viewedId: number): Promise<{ page: Page; sidebar: FrameLocator }> {
  const page = await harness.context.newPage();
  await page.goto(`${harness.runtime.shellUrl}/users/${viewedId}?as=${viewerId}`);
  const sidebar = sidebarFrame(page);
  await sidebar.locator('.access-view, .error-panel').first().waitFor({ timeout: 30_000 });
  return { page, sidebar };
}

/** Like openSidebar, but fails with the panel's words when the view shows an error instead. */
export async function openAccessView(harness: Harness, viewerId: number, viewedId: number): Promise<{ page: Page; sidebar: FrameLocator }> {
  const opened = await openSidebar(harness, viewerId, viewedId);
  const failure = opened.sidebar.locator('.error-panel');
  if ((await failure.count()) > 0) {
    throw new Error(`the sidebar showed an error: ${(await failure.first().textContent()) ?? ''}`);
  }
  return opened;
}

/** Opens the console signed in as `viewerId` and waits until every slice has arrived. */
export async function openConsole(harness: Harness, viewerId: number): Promise<{ page: Page; console: FrameLocator }> {
  const page = await harness.context.newPage();
  await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${viewerId}`);
  const frame = consoleFrame(page);
  await frame.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
  return { page, console: frame };
}

export function button(scope: FrameLocator | Locator, text: string): Locator {
  return scope.locator('fw-button', { hasText: text });
}

export async function screenshot(locator: Locator, name: string): Promise<void> {
  await locator.screenshot({ path: join(artifactsDir, `${name}.png`) });
}
