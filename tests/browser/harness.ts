/**
 * What every widget browser test needs: the local runtime on a free port with a temp data dir,
 * Chromium kept offline (./chromium), the app iframes of the shell, screenshots under
 * tests/artifacts/, a record of everything the browser received (responses and postMessages) so
 * tests can prove the API key never reaches it, and ways to answer one server method in the
 * browser without bending the backend.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Frame, Locator, Page, Route } from 'playwright-core';
import { startRuntime, type RunningRuntime } from '../../dev/runtime/index';
import { GENERATED_IPARAMS_FILE, SIMULATOR_TARGET_TAG, generatedSecrets } from '../../dev/runtime/config';
import { MemoryKeyValueStore } from '../../dev/runtime/kv-store';
import { type SimAgent, type SimulatorOptions } from '../../dev/simulator/index';
import { storageWith, type Storage } from '#server/store/storage';
import { COVERAGE_CHROMIUM_ARGS, trackAppCoverage } from './app-coverage';
import { launchChromium } from './chromium';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const artifactsDir = join(repoRoot, 'tests', 'artifacts');

export interface Harness {
  runtime: RunningRuntime;
  /** The runtime's data folder (db.json, generated_iparams.json, custom_configs.json). */
  dataDir: string;
  /** The process's browser context, shared with the tests before and after this one (see processContext). */
  context: BrowserContext;
  /** Every response body the browser saw, as text, when the harness was started with `recordTraffic` (empty otherwise). */
  received: string[];
  /** Dialogs (alert, confirm...) any page of this test opened: an injected script would show up here. */
  dialogs: string[];
  /** Adds a script to every page this test opens (before the page's own scripts), not to other tests' pages. */
  addInitScript(content: string): Promise<void>;
  /** Closes every page, clears the cookies and stops the runtime (the browser and its context stay for the next test). */
  close(): Promise<void>;
}

/** Records postMessage traffic in every frame (shell and app iframes alike); runs in the browser. */
const RECORD_MESSAGES = `window.addEventListener('message', (event) => {
  (window.__receivedMessages = window.__receivedMessages || []).push(JSON.stringify(event.data));
});`;

/**
 * Records the mail links the app follows (an anchor to mailto: it clicks, as app/src/ask.ts
 * openMail does) instead of handing them to a mail program, which a headless browser lacks, and
 * whether the click came inside the person's gesture (else a browser may block it).
 */
const RECORD_MAIL = `(() => {
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    if (this.protocol !== 'mailto:') { return click.call(this); }
    (window.__mailOpened = window.__mailOpened || []).push({ href: this.href, inGesture: navigator.userActivation.isActive });
  };
})();`;

/** The runtime's log lines (name, status, ms per call: no secrets), for diagnosing a failed test. */
export const runtimeLog: string[] = [];

/**
 * Writes the app's storage as the runtime's default installation has it: keyed by the storage
 * secret the runtime makes at its first start. `storage` reads the head once, as one server call
 * does; a seed of many changes takes `nextCall()` for each, as each call reads the head afresh.
 */
export type SeedStore = (storage: Storage, nextCall: () => Storage) => Promise<void>;

function runtimeStorage(store: MemoryKeyValueStore, dataDir: string): Storage {
  const secret = generatedSecrets(join(dataDir, GENERATED_IPARAMS_FILE), SIMULATOR_TARGET_TAG, ['storage_secret'])['storage_secret'] ?? '';
  return storageWith(store, { value: secret, source: 'storage_secret' });
}

/** The app's storage as the runtime holds it now, on a copy: reading it spends none of the runtime's 50 operations a minute. */
export async function storedNow(harness: Harness): Promise<Storage> {
  const copy = new MemoryKeyValueStore({ operationsPerMinute: 0 });
  for (const [key, value] of Object.entries(harness.runtime.store.snapshot())) {
    await copy.set(key, value);
  }
  return runtimeStorage(copy, harness.dataDir);
}

/**
 * Runs the background scan of Account Admins to its end, as its chained one-time schedules would
 * (6 minutes apart on Freshservice): onAppInstall reads only the first page of agents, so on an
 * account of more than 100 agents the list is complete only once the chains have run. Fires
 * chain 0 until the head says the scan is done (each run reads what the scan's pacing allows).
 */
export async function scanToTheEnd(harness: Harness, runs = 20): Promise<void> {
  for (let run = 0; run < runs; run += 1) {
    const head = await (await storedNow(harness)).head();
    if (head.scan?.done === true) {
      return;
    }
    await harness.runtime.engine.invokeEvent('onScheduledEvent', { data: { task: 'scan', chain: 0 } });
  }
  throw new Error(`the scan of Account Admins did not end after ${runs} chained steps`);
}

/**
 * What the process's shared browser context reports to the harness of the running test: the
 * pages it opens (for their dialogs and the test's own init scripts) and, when asked, every
 * response body.
 */
interface ContextListener {
  onPage(page: Page): void;
  onResponseBody?: (text: string) => void;
}

/**
 * One browser context for every test a process runs, one test at a time: opening a context costs
 * Chromium about as much again as the page it shows (docs/testing.md, How long things take). Tests
 * stay apart because each runtime listens on a port of its own (so every origin, its storage and
 * its cache are new), the harness closes every page and clears the cookies when its test ends, and
 * a test's own init scripts go on its own pages only (Harness.addInitScript).
 */
interface SharedContext {
  browser: Browser;
  context: BrowserContext;
  /** The blank page that keeps the context warm: never a test's page, never closed by one. */
  keptOpen: Page;
  /** Takes the coverage counted since the last take and writes the report (./app-coverage). */
  takeAppCoverage(): Promise<void>;
  listener: ContextListener | undefined;
}

let sharedContext: SharedContext | undefined;

async function processContext(browser: Browser): Promise<SharedContext> {
  if (sharedContext !== undefined && sharedContext.browser === browser && browser.isConnected()) {
    return sharedContext;
  }
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  // A blank page stays open for the context's whole life: a page opened while another is open
  // costs Chromium about 40% less than one opened after the last page closed (docs/testing.md),
  // and the app's coverage is measured through it (./app-coverage).
  const keptOpen = await context.newPage();
  const shared: SharedContext = { browser, context, keptOpen, takeAppCoverage: await trackAppCoverage(context, keptOpen), listener: undefined };
  await context.addInitScript({ content: RECORD_MESSAGES });
  await context.addInitScript({ content: RECORD_MAIL });
  context.on('page', (page) => {
    shared.listener?.onPage(page);
    page.on('dialog', (dialog) => {
      dialog.dismiss().catch(() => undefined);
    });
  });
  context.on('response', (response) => {
    const record = shared.listener?.onResponseBody;
    if (record !== undefined) {
      response.text().then(record, () => undefined);
    }
  });
  sharedContext = shared;
  return shared;
}

/** What a seed left in a data folder (db.json, and the storage secret its records are sealed with), by seed: see HarnessOptions.seedOnce. */
const seededFolders = new WeakMap<SeedStore, Map<string, Buffer>>();

async function seedInto(dataDir: string, seedStore: SeedStore, once: boolean): Promise<void> {
  const kept = once ? seededFolders.get(seedStore) : undefined;
  if (kept !== undefined) {
    kept.forEach((content, name) => writeFileSync(join(dataDir, name), content, { mode: 0o600 }));
    return;
  }
  const seeded = new MemoryKeyValueStore({ operationsPerMinute: 0 });
  await seedStore(runtimeStorage(seeded, dataDir), () => runtimeStorage(seeded, dataDir));
  seeded.saveTo(join(dataDir, 'db.json'));
  if (once) {
    seededFolders.set(seedStore, new Map(readdirSync(dataDir).map((name) => [name, readFileSync(join(dataDir, name))])));
  }
}

/**
 * `seedStore` writes the app's $db before the runtime starts (in memory, with no rate limit, then
 * its db.json at once), so a test can begin with ledger history without spending the runtime's 50
 * operations a minute.
 */
export async function startHarness(browser: Browser, simulator?: SimulatorOptions, seedStore?: SeedStore, recordTraffic = false, seedOnce = false): Promise<Harness> {
  mkdirSync(artifactsDir, { recursive: true });
  runtimeLog.length = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'widget-browser-'));
  if (seedStore !== undefined) {
    await seedInto(dataDir, seedStore, seedOnce);
  }
  const runtime = await startRuntime({ port: 0, appRoot: repoRoot, dataDir, ...(simulator === undefined ? {} : { simulator }), log: (line) => runtimeLog.push(line) });
  const shared = await processContext(browser);
  const { context } = shared;
  const received: string[] = [];
  const dialogs: string[] = [];
  const initScripts: string[] = [];
  const listener: ContextListener = {
    onPage: (page) => {
      page.on('dialog', (dialog) => dialogs.push(dialog.message()));
      for (const content of initScripts) {
        page.addInitScript({ content }).catch(() => undefined);
      }
    },
    // Reading every body costs each page load (a test that looks for a leaked key asks for it).
    ...(recordTraffic ? { onResponseBody: (text: string) => received.push(text) } : {}),
  };
  shared.listener = listener;
  const testPages = (): Page[] => context.pages().filter((page) => page !== shared.keptOpen);
  return {
    runtime,
    dataDir,
    context,
    received,
    dialogs,
    addInitScript: async (content) => {
      initScripts.push(content);
      await Promise.all(testPages().map((page) => page.addInitScript({ content })));
    },
    close: async () => {
      if (shared.listener === listener) {
        shared.listener = undefined;
      }
      // Each page's coverage is taken as it closes; then the report is written with all of it.
      await Promise.all(testPages().map((page) => page.close().catch(() => undefined)));
      await shared.takeAppCoverage();
      await context.clearCookies();
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Prints the runtime's last log lines when a test failed (names, statuses and times only). */
function logOnFailure(test: { state?: string } | undefined): void {
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

/**
 * The frame an app iframe of the page shows (`id`: app-contact_sidebar, app-full_page_app,
 * app-modal), once the shell has put the iframe in the page and it has begun to load. Tests read
 * the app through the Frame itself, not a FrameLocator: a FrameLocator finds the iframe again for
 * every read, which costs Chromium and playwright-core five times the read (docs/testing.md, How
 * long things take). A Frame follows its iframe's navigations; one whose iframe is removed fails
 * every later read.
 *
 * Found by name, which for an iframe without a name attribute is its id (playwright-core's
 * Frame.name()), never through the iframe element: reaching an element of the shell page makes
 * playwright-core put its injected script (about 350 KB) into two of the shell's worlds first, a
 * tenth of what a page load costs. The name is reported only for an iframe in its page's process:
 * the harness's browser runs without site isolation (COVERAGE_CHROMIUM_ARGS); with it, as in
 * tests/dev/runtime/browser.test.ts, a frame has to be found through its element.
 */
export async function appFrame(page: Page, id: string): Promise<Frame> {
  const present = page.frame({ name: id });
  if (present !== null) {
    return present;
  }
  try {
    return await page.waitForEvent('framenavigated', { predicate: (candidate) => candidate.name() === id, timeout: 30_000 });
  } catch (error) {
    throw new Error(`the page has no frame in iframe#${id}: ${(error as Error).message}`);
  }
}

export function sidebarFrame(page: Page): Promise<Frame> {
  return appFrame(page, 'app-contact_sidebar');
}

export function consoleFrame(page: Page): Promise<Frame> {
  return appFrame(page, 'app-full_page_app');
}

/** Opens a user's page signed in as `viewerId` and waits until the access view has loaded. */
export async function openSidebar(harness: Harness, viewerId: number, viewedId: number): Promise<{ page: Page; sidebar: Frame }> {
  const page = await harness.context.newPage();
  await page.goto(`${harness.runtime.shellUrl}/users/${viewedId}?as=${viewerId}`);
  const sidebar = await sidebarFrame(page);
  await sidebar.locator('.access-view, .error-panel').first().waitFor({ timeout: 30_000 });
  return { page, sidebar };
}

/** Like openSidebar, but fails with the panel's words when the view shows an error instead. */
export async function openAccessView(harness: Harness, viewerId: number, viewedId: number): Promise<{ page: Page; sidebar: Frame }> {
  const opened = await openSidebar(harness, viewerId, viewedId);
  const failure = opened.sidebar.locator('.error-panel');
  if ((await failure.count()) > 0) {
    throw new Error(`the sidebar showed an error: ${(await failure.first().textContent()) ?? ''}`);
  }
  return opened;
}

/** Opens the console signed in as `viewerId` and waits until every slice has arrived. */
export async function openConsole(harness: Harness, viewerId: number): Promise<{ page: Page; console: Frame }> {
  const page = await harness.context.newPage();
  await page.goto(`${harness.runtime.shellUrl}/apps/full_page_app?as=${viewerId}`);
  const frame = await consoleFrame(page);
  await frame.locator('#app[data-load-state="done"]').waitFor({ timeout: 120_000 });
  return { page, console: frame };
}

/** A Crayons button by its words (a RegExp for an exact match: "Decline request" is also in "Decline request…"). */
export function button(scope: Frame | Locator, text: string | RegExp): Locator {
  return scope.locator('fw-button', { hasText: text });
}

/** A mailto: link's parts, decoded. */
export function mailParts(href: string): { to: string[]; subject: string; body: string } {
  assert.match(href, /^mailto:/);
  const [address, query] = href.slice('mailto:'.length).split('?') as [string, string];
  const fields = new URLSearchParams(query.replace(/\+/g, '%2B'));
  return { to: address.split(',').map(decodeURIComponent), subject: fields.get('subject') ?? '', body: fields.get('body') ?? '' };
}

/**
 * The height of the document's body in a frame: `frame.evaluate(bodyHeight)` (it runs in the page).
 * A frame's own evaluate, never a Locator's: a Locator's evaluate makes playwright-core inject its
 * 345 KB script into the page's main world first.
 */
export function bodyHeight(): number {
  return (globalThis as unknown as { document: { body: { getBoundingClientRect(): { height: number } } } }).document.body.getBoundingClientRect().height;
}

/** A mail link the app opened: its address, and whether it was followed inside the person's click. */
export interface OpenedMail {
  href: string;
  inGesture: boolean;
}

/** The mail links the app opened in this frame (its mail program, recorded), in order. */
export function mailOpened(frame: Frame): Promise<OpenedMail[]> {
  return frame.evaluate(() => (globalThis as unknown as { __mailOpened?: OpenedMail[] }).__mailOpened ?? []);
}

/**
 * The box of the shell page's element `selector` in the browser's viewport, once it is scrolled
 * into view; null when the page has no such element. Read with an evaluation in the shell page,
 * never a shell Locator: a Locator makes playwright-core inject its 345 KB script into the shell
 * first, which costs as much again as the screenshot. (It waits for no animation frame: a test
 * may hold the page's clock, and with it requestAnimationFrame.)
 */
export async function shellBox(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number } | null> {
  return page.evaluate((wanted: string) => {
    interface Shell {
      document: { querySelector(selector: string): { scrollIntoView(options: object): void; getBoundingClientRect(): { x: number; y: number; width: number; height: number } } | null };
    }
    const element = (globalThis as unknown as Shell).document.querySelector(wanted);
    if (element === null) {
      return null;
    }
    element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
  }, selector);
}

/** Saves a screenshot of the shell page's element `selector` (an app iframe, a dialog) under tests/artifacts/. */
export async function screenshot(page: Page, selector: string, name: string): Promise<void> {
  const box = await shellBox(page, selector);
  assert.ok(box !== null && box.width > 0 && box.height > 0, `nothing to photograph at ${selector}`);
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), clip: box });
}

export interface HarnessOptions {
  /** 'test' (default): a fresh runtime for every test; 'file': one runtime shared by the file's tests. */
  runtimePer?: 'test' | 'file';
  simulator?: SimulatorOptions;
  seedStore?: SeedStore;
  /**
   * Seed once per process, and start each test's runtime from a copy of what the seed wrote (its
   * records, and the storage secret they are sealed with) instead of seeding again: for a seed
   * that takes seconds and depends on nothing a test changes.
   */
  seedOnce?: boolean;
  /** Keep every response body in `harness.received` (for tests that look for what must never reach the browser). */
  recordTraffic?: boolean;
}

/** The running harness of the current test; `restart` replaces it (another account, or $db seeded). */
export interface HarnessSession {
  readonly harness: Harness;
  restart(options: Pick<HarnessOptions, 'simulator' | 'seedStore'>): Promise<Harness>;
}

/** The Chromium this process's browser test files share (see processBrowser). */
let sharedBrowser: Promise<Browser | undefined> | undefined;

/**
 * One Chromium for all the browser test files a process runs: a mocha parallel worker
 * (MOCHA_WORKER_ID set) runs many and keeps it until the worker exits (playwright-core closes it
 * then), with one browser context (processContext). A browser that died is replaced.
 */
async function processBrowser(): Promise<Browser> {
  const current = await sharedBrowser;
  if (current?.isConnected() === true) {
    return current;
  }
  const launched = launchChromium(COVERAGE_CHROMIUM_ARGS);
  sharedBrowser = launched.catch(() => undefined);
  return launched;
}

/** A serial mocha run closes the browser after each file: an open one would keep mocha from exiting. */
async function releaseProcessBrowser(): Promise<void> {
  if (process.env['MOCHA_WORKER_ID'] === undefined) {
    const browser = await sharedBrowser;
    sharedBrowser = undefined;
    sharedContext = undefined;
    await browser?.close();
  }
}

/**
 * Registers the mocha hooks every browser test file repeats: the process's Chromium, a runtime
 * per test by default (the app's $db allows 50 operations a minute) or one per file, the
 * runtime's log printed when a test fails, everything closed after. Call it inside the describe.
 */
export function useHarness(options: HarnessOptions = {}): HarnessSession {
  const perTest = (options.runtimePer ?? 'test') === 'test';
  let browser: Browser | undefined;
  let current: Harness | undefined;
  const start = async ({ simulator, seedStore } = options): Promise<Harness> => {
    assert.ok(browser, 'Chromium is not running');
    current = await startHarness(browser, simulator, seedStore, options.recordTraffic === true, options.seedOnce === true);
    return current;
  };
  const stop = async (): Promise<void> => {
    await current?.close();
    current = undefined;
  };

  before(async () => {
    browser = await processBrowser();
    if (!perTest) {
      await start();
    }
  });
  if (perTest) {
    beforeEach(() => start());
  }
  afterEach(async function () {
    logOnFailure(this.currentTest);
    if (perTest) {
      await stop();
    }
  });
  after(async () => {
    await stop();
    await releaseProcessBrowser();
  });

  return {
    get harness(): Harness {
      assert.ok(current, 'no harness is running (useHarness hooks run around each test)');
      return current;
    },
    restart: async (replacement) => {
      await stop();
      return start(replacement);
    },
  };
}

/** "First Last" as the app shows an agent (no trailing space without a last name). */
export function fullName(agent: SimAgent): string {
  return `${agent.first_name} ${agent.last_name ?? ''}`.trim();
}

/** The data-agent-id of every element the locator matches (table rows, list items), in page order. */
export function agentIds(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements: { getAttribute(name: string): string | null }[]) => elements.map((element) => element.getAttribute('data-agent-id') ?? ''));
}

/** Calls a server method through the runtime's engine (not the browser) and returns its answer. */
export async function serverAnswer<T>(harness: Harness, method: string, payload: Record<string, unknown>): Promise<T> {
  const result = await harness.runtime.engine.invokeServerMethod(method, payload);
  assert.ok(result.ok, `${method} failed: ${JSON.stringify(result.body)}`);
  return (result.body as { response: T }).response;
}

/** One call of a server method as the shell's bridge receives it; `number` counts that method's calls from 1. */
export interface MethodCall {
  payload: Record<string, unknown>;
  number: number;
}

/**
 * Lets `handle` answer every call of one server method from this page (the shell's bridge route);
 * other methods, and calls `handle` passes on with route.fallback(), reach the runtime.
 */
export async function interceptMethod(page: Page, method: string, handle: (route: Route, call: MethodCall) => Promise<void>): Promise<void> {
  let calls = 0;
  await page.route('**/_shell/api/invoke', async (route: Route) => {
    const request = route.request().postDataJSON() as { name?: string; payload?: Record<string, unknown> };
    if (request.name !== method) {
      await route.fallback();
      return;
    }
    calls += 1;
    await handle(route, { payload: request.payload ?? {}, number: calls });
  });
}

/** Holds every call of one server method from this page until the returned release() is called, then lets them reach the runtime. */
export async function holdMethod(page: Page, method: string): Promise<() => void> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await interceptMethod(page, method, async (route) => {
    await held;
    await route.fallback();
  });
  return release;
}

/** Answers as FDK forwards a server method's success: `{ requestID, response }`. */
export function fulfillAnswer(route: Route, response: unknown): Promise<void> {
  return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, body: { requestID: 'test', response } }) });
}

/** Answers a 429 as a platform that forwards the code and the wait would (FDK documents only status and message). */
export function fulfillRateLimit(route: Route, code: 'RATE_LIMITED' | 'APP_RATE_LIMITED', retryAfterSeconds: number, message: string): Promise<void> {
  return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, body: { requestID: 'test', status: 429, code, retryAfterSeconds, message } }) });
}

/** Answers as FDK forwards a server method's failure: `{ requestID, status, message }`, without a code. */
export function fulfillFailure(route: Route, status: number, message: string): Promise<void> {
  return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, body: { requestID: 'test', status, message } }) });
}
