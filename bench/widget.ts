/**
 * Widget benchmark: first how long `npm start` takes to serve its first page, cold and warm
 * (bench/start.ts), then the access console on a generated account (10,000 agents by default) in
 * headless Chromium against the local runtime and its simulator. Console timings come from inside
 * the page (the console's User Timing marks, performance.now()), so the browser's own clock
 * measures what the admin waits for.
 *
 *   npm run bench:widget                 # npm start cold and warm, then 10,000 agents
 *   node build/bench/widget.js --agents 1000 --seed 7
 *   node build/bench/start.js            # only the npm start figures
 *
 * Pacing is REAL: the server paces the overview (OVERVIEW_REQUESTS_PER_MINUTE template requests a minute, counting the background scan's; FDK allows 50)
 * with its own clock, which the bench cannot speed up, so 10,000 agents take about 3 minutes (184.7 s measured).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../tests/browser/chromium';
import { z } from 'zod';
import { startRuntime } from '../dev/runtime/index';
import { accountFacts } from '../dev/simulator/index';
import { measureStartTimes, printStartTimes } from './start';
import { OVERVIEW_REQUESTS_PER_MINUTE } from '#server/audit/pacing';

const ArgsSchema = z.object({
  agents: z.coerce.number().int().min(1).max(50_000).default(10_000),
  seed: z.coerce.number().int().default(7),
});

const REPEATS = 3;
const ARTIFACTS = resolve(__dirname, '..', '..', 'tests', 'artifacts');

function parseArgs(argv: string[]): z.infer<typeof ArgsSchema> {
  const pairs: Record<string, string> = {};
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index]?.replace(/^--/, '') ?? '';
    pairs[name] = argv[index + 1] ?? '';
  }
  const parsed = ArgsSchema.safeParse(pairs);
  if (!parsed.success) {
    throw new Error(`Usage: node build/bench/widget.js [--agents 1..50000] [--seed N]\n${parsed.error.message}`);
  }
  return parsed.data;
}

/** Durations of the console's User Timing measures with this name, oldest first. */
async function measures(page: Page, name: string): Promise<number[]> {
  const frame = page.frame({ url: /console\.html/ });
  if (frame === null) {
    throw new Error('The console frame is not loaded.');
  }
  return frame.evaluate<number[], string>((measureName) => {
    const timing = (globalThis as unknown as { performance: { getEntriesByName(n: string): { duration: number }[] } }).performance;
    return timing.getEntriesByName(measureName).map((entry) => entry.duration);
  }, measureName(name));
}

function measureName(name: string): string {
  return `console:${name}`;
}

/** Runs `act`, then returns the duration of the measure it produced. */
async function timed(page: Page, name: string, act: () => Promise<void>): Promise<number> {
  const before = (await measures(page, name)).length;
  await act();
  const after = await measures(page, name);
  const latest = after[after.length - 1];
  if (after.length <= before || latest === undefined) {
    throw new Error(`The console recorded no ${name} timing.`);
  }
  return latest;
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  const max = sorted[sorted.length - 1] ?? NaN;
  return `median ${median.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${values.length} runs`;
}

async function operations(page: Page, console: FrameLocator): Promise<Record<'filter' | 'sort' | 'search', number[]>> {
  const results = { filter: [] as number[], sort: [] as number[], search: [] as number[] };
  const search = console.locator('fw-input input[type="text"]');
  for (let round = 0; round < REPEATS; round += 1) {
    for (const filter of ['lacking', 'pending', 'all']) {
      results.filter.push(await timed(page, 'filter', () => console.locator(`button.filter-button[data-filter="${filter}"]`).click()));
    }
    for (const key of ['name', 'lastLogin', 'roles', 'email']) {
      results.sort.push(await timed(page, 'sort', () => console.locator(`button[data-sort="${key}"]`).click()));
    }
    for (const term of ['smith', 'admin', 'demo', '']) {
      results.search.push(await timed(page, 'search', () => search.fill(term)));
    }
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  printStartTimes(await measureStartTimes());
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-widget-'));
  const runtime = await startRuntime({ port: 0, appRoot: resolve(__dirname, '..', '..'), dataDir, simulator: { agents: args.agents, seed: args.seed }, log: () => undefined });
  const browser = await launchChromium();
  try {
    const account = runtime.simulator?.account;
    const viewer = account === undefined ? undefined : accountFacts(account).activeAccountAdminIds[0];
    if (viewer === undefined) {
      throw new Error('The generated account has no active Account Admin to sign in as.');
    }
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${runtime.shellUrl}/apps/full_page_app?as=${viewer}`);
    const console = page.frameLocator('#app-full_page_app');
    await console.locator('tbody tr').first().waitFor({ timeout: 120_000 });
    const firstRowsAfter = Date.now() - started;
    // A look at the console while slices are still arriving (progress bar, running counts).
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'bench-console-loading.png') });
    await console.locator('#app[data-load-state="done"]').waitFor({ timeout: 15 * 60_000 });
    const loadedAfter = Date.now() - started;
    const rows = await console.locator('#app').getAttribute('data-rows');
    const [firstRows] = await measures(page, 'first-rows');
    const [firstFrame] = await measures(page, 'first-rows-frame');
    const [allSlices] = await measures(page, 'all-slices');
    const timings = await operations(page, console);

    const print = (line: string): void => {
      process.stdout.write(`${line}\n`);
    };
    print(`Widget benchmark: access console, ${args.agents} generated agents (seed ${args.seed}), headless Chromium, local runtime`);
    print(`Pacing: real. The server paces the overview (${OVERVIEW_REQUESTS_PER_MINUTE} template requests a minute, counting the background scan's); nothing was scaled.`);
    print(`Agents listed (active, default view): ${rows ?? '?'}`);
    print(`First slice with agents -> first rows in the DOM: ${firstRows?.toFixed(1) ?? '?'} ms (to the next animation frame: ${firstFrame?.toFixed(1) ?? '?'} ms; target 300 ms)`);
    print(`Page opened -> first rows visible: ${firstRowsAfter} ms`);
    print(`Filter (all / lacking Account Admin / pending): ${summary(timings.filter)} (target 100 ms)`);
    print(`Sort (name, last login, roles, email):          ${summary(timings.sort)} (target 100 ms)`);
    print(`Search (fill a term, recompute and redraw):     ${summary(timings.search)} (target 100 ms)`);
    print(`Total load: ${(loadedAfter / 1000).toFixed(1)} s from opening the page (${((allSlices ?? NaN) / 1000).toFixed(1)} s of slices in the page)`);
  } finally {
    await browser.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
