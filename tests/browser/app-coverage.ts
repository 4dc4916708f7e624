/**
 * Coverage of the shipped app/scripts while the browser tests drive the app: this project's
 * local measure of what FDK 10.1.9's `fdk pack` calls *simulation coverage* (at least 50% on all
 * four figures, gathered while the app is used through `fdk run`; docs/platform-contract.md).
 *
 * Chromium's own JavaScript coverage (V8 block coverage, through one DevTools session: see
 * trackAppCoverage) is converted to istanbul's format with v8-to-istanbul and merged across every
 * page of every test. Files that no page loaded count as not covered. After each harness closes, coverage/browser-app/ gets
 * coverage-final.json and coverage-summary.json; `npm test` prints the figures at the end
 * (tools/coverage/report.ts). A figure, not an assertion: nothing fails on it.
 *
 * Test files run side by side (mocha --parallel): each process keeps what it measured in its own
 * part file (coverage/browser-app/parts/<run>-<pid>.json), and the report merges every part of
 * the same mocha run under a lock, so no process overwrites another's figures.
 *
 * The app's pages sit in cross-origin iframes, and each test opens its own pages. Chromium would
 * put those in processes of their own, out of reach of one session's coverage, so the browser
 * runs without site isolation and with one renderer process (COVERAGE_CHROMIUM_ARGS): every
 * page runs in the same V8. The same-origin policy between the shell and the app still holds.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCoverageMap, type CoverageMap } from 'istanbul-lib-coverage';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import v8ToIstanbul = require('v8-to-istanbul');
import { coverageFigures } from '../../tools/coverage/figures';

/** build/tests/browser/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const APP_SCRIPTS = join(REPO_ROOT, 'app', 'scripts');
const SCRIPTS_ROUTE = '/app/scripts/';
export const APP_COVERAGE_DIR = join(REPO_ROOT, 'coverage', 'browser-app');
const PARTS_DIR = join(APP_COVERAGE_DIR, 'parts');
const LOCK_DIR = join(APP_COVERAGE_DIR, '.lock');
/** A lock older than this was left by a process that died holding it. */
const STALE_LOCK_MS = 60_000;
/** One mocha run: this process, or in a parallel worker (MOCHA_WORKER_ID set) the mocha process that forked it. */
const RUN_ID = process.env['MOCHA_WORKER_ID'] === undefined ? process.pid : process.ppid;

/**
 * Puts cross-origin iframes in their page's process, and every page in one renderer process, where
 * one session's coverage sees them. One renderer also makes a page cheaper to open: it finds V8
 * and Blink already running (with a page kept open, about a quarter less; docs/testing.md).
 */
export const COVERAGE_CHROMIUM_ARGS = ['--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process', '--renderer-process-limit=1'];

/** What V8's precise coverage reports for one script (Chrome DevTools Protocol, Profiler.takePreciseCoverage). */
interface ScriptCoverage {
  url: string;
  functions: { functionName: string; isBlockCoverage: boolean; ranges: { startOffset: number; endOffset: number; count: number }[] }[];
}

/** Everything measured in this process so far. */
const measured: CoverageMap = createCoverageMap({});

/** The shipped file an app-script URL serves, e.g. http://127.0.0.1:PORT/app/scripts/kit.js -> app/scripts/kit.js. */
function shippedFile(url: string): string | null {
  if (!URL.canParse(url)) {
    return null; // a script without an address (evaluated code)
  }
  const path = new URL(url).pathname;
  if (!path.startsWith(SCRIPTS_ROUTE) || !path.endsWith('.js')) {
    return null;
  }
  const name = path.slice(SCRIPTS_ROUTE.length);
  return /^[\w.-]+$/.test(name) ? join(APP_SCRIPTS, name) : null;
}

/** The shipped scripts' sources, read once: coverage is taken before every page closes, and the files do not change during a run. */
const sources = new Map<string, string | null>();

function shippedSource(file: string): string | null {
  if (!sources.has(file)) {
    sources.set(file, existsSync(file) ? readFileSync(file, 'utf8') : null);
  }
  return sources.get(file) ?? null;
}

/** The whole script as one top level that did not run. */
function notRun(source: string): ScriptCoverage['functions'][number] {
  return { functionName: '', isBlockCoverage: true, ranges: [{ startOffset: 0, endOffset: source.length, count: 0 }] };
}

/**
 * The script's source is read from the shipped file it was served from (the runtime serves
 * app/scripts as they are), so the browser never has to hand sources over: playwright-core's
 * page.coverage would turn on the debugger and copy every script's source, Crayons' included, for
 * each page, which slowed every browser test by about a sixth.
 */
async function addScript(entry: ScriptCoverage): Promise<void> {
  const file = shippedFile(entry.url);
  const source = file === null ? null : shippedSource(file);
  if (file === null || source === null) {
    return;
  }
  // A script whose page has gone may come without its top level (V8 let go of that code) and only
  // the functions still held: v8-to-istanbul would then count every line outside them as run.
  // Its top level counts as not run since the last take; the functions count as reported.
  const topLevel = entry.functions.some((fn) => fn.ranges[0]?.startOffset === 0);
  const functions = topLevel ? entry.functions : [notRun(source), ...entry.functions];
  const converter = v8ToIstanbul(file, 0, { source });
  await converter.load();
  converter.applyCoverage(functions);
  measured.merge(converter.toIstanbul());
}

/** Starts V8's precise coverage (block level, with counts) in the page's process, for every page that process runs. */
async function startMeasuring(context: BrowserContext, page: Page): Promise<CDPSession | undefined> {
  try {
    const session = await context.newCDPSession(page);
    await session.send('Profiler.enable');
    await session.send('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    return session;
  } catch {
    return undefined;
  }
}

/** Adds what V8 counted since the last take (it then counts from zero again). */
async function takeCoverage(session: CDPSession): Promise<void> {
  try {
    const { result } = (await session.send('Profiler.takePreciseCoverage')) as { result: ScriptCoverage[] };
    for (const entry of result) {
      await addScript(entry);
    }
  } catch {
    // A browser that is already gone has nothing left to report.
  }
}

/** A shipped script no page loaded: every statement, branch and function counts as not run. */
async function unloaded(file: string): Promise<ReturnType<ReturnType<typeof v8ToIstanbul>['toIstanbul']>> {
  const source = shippedSource(file) ?? '';
  const converter = v8ToIstanbul(file, 0, { source });
  await converter.load();
  converter.applyCoverage([notRun(source)]);
  return converter.toIstanbul();
}

/** Writes through a temporary file renamed into place: a reader never sees half a file. */
function replaceFile(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` while holding coverage/browser-app/.lock (mkdir either creates it or fails: one holder at a time). */
async function underLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      if (Date.now() - (statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > STALE_LOCK_MS) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
      }
      await new Promise((resume) => setTimeout(resume, 20));
    }
  }
  try {
    await work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Every part this mocha run wrote, merged; parts left by runs that ended are removed. */
function mergedParts(): CoverageMap {
  const merged = createCoverageMap({});
  for (const name of readdirSync(PARTS_DIR).filter((candidate) => candidate.endsWith('.json'))) {
    const run = Number(name.split('-')[0]);
    if (run === RUN_ID) {
      merged.merge(JSON.parse(readFileSync(join(PARTS_DIR, name), 'utf8')) as Parameters<CoverageMap['merge']>[0]);
    } else if (!isRunning(run)) {
      rmSync(join(PARTS_DIR, name), { force: true });
    }
  }
  return merged;
}

/** Writes this process's part, then coverage-final.json and coverage-summary.json for every script under app/scripts. */
export async function writeAppCoverage(): Promise<void> {
  mkdirSync(PARTS_DIR, { recursive: true });
  replaceFile(join(PARTS_DIR, `${RUN_ID}-${process.pid}.json`), JSON.stringify(measured.toJSON()));
  await underLock(async () => {
    const report = mergedParts();
    const shipped = readdirSync(APP_SCRIPTS).filter((name) => name.endsWith('.js')).map((name) => join(APP_SCRIPTS, name));
    for (const file of shipped.filter((candidate) => !report.files().includes(candidate))) {
      report.merge(await unloaded(file));
    }
    replaceFile(join(APP_COVERAGE_DIR, 'coverage-final.json'), JSON.stringify(report.toJSON()));
    replaceFile(join(APP_COVERAGE_DIR, 'coverage-summary.json'), `${JSON.stringify({ total: coverageFigures(report.toJSON()) }, null, 2)}\n`);
  });
}

/**
 * Starts Chromium's coverage once, through the DevTools session of `keptOpen`, a page that stays
 * open as long as the context. With one renderer process (COVERAGE_CHROMIUM_ARGS) every page of
 * the browser runs in the same V8, so that one session counts the scripts of every page. It is
 * taken before each page closes, since V8 may let go of a closed page's code; a script whose top
 * level has gone counts only the functions reported (see addScript). Starting it again for each page, as this did
 * before, made V8 drop and recompile what it had compiled: a page load cost about 15% more.
 * Returns what adds the coverage so far and writes the report.
 */
export async function trackAppCoverage(context: BrowserContext, keptOpen: Page): Promise<() => Promise<void>> {
  const session = await startMeasuring(context, keptOpen);
  if (session !== undefined) {
    // Taken again before a page closes, while V8 still holds all of its code.
    context.on('page', (page) => {
      const close = page.close.bind(page);
      page.close = async (options) => {
        await takeCoverage(session);
        return close(options);
      };
    });
  }
  return async () => {
    if (session !== undefined) {
      await takeCoverage(session);
    }
    await writeAppCoverage();
  };
}
