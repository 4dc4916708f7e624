/**
 * Start-up benchmark: how long `npm start` takes to serve its first page (the agents page the
 * shell's / redirects to), from the moment npm is launched.
 *
 *   cold: a fresh copy of this working tree (git's tracked and untracked, not ignored, files;
 *         node_modules linked, the vendored Crayons icons copied so nothing is fetched): nothing
 *         is built and the runtime installs the app (onAppInstall);
 *   warm: the same copy started again with nothing changed (no set-up event), best of three.
 *
 *   node build/bench/start.js                  # cold and warm starts (npm run bench:widget runs this first)
 *   node build/bench/start.js --while-testing  # npm start here, polled while npm test runs in this folder
 *
 * `--while-testing` proves that a running `npm start` keeps serving while `npm test` builds and
 * tests in the same folder: it starts the runtime from this repository, requests its pages and
 * every app script and runtime script every 250 ms while `npm test` runs, and counts failures.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** build/bench/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..');
const WARM_RUNS = 3;
const START_DEADLINE_MS = 10 * 60_000;
const POLL_INTERVAL_MS = 250;

/** Settings that would start something other than the default demo account. */
const UNSET = ['PORT', 'FRESHSERVICE_URL', 'FRESHSERVICE_DOMAIN', 'FRESHSERVICE_API_KEY', 'SIMULATOR_AGENTS', 'SIMULATOR_SEED', 'SIMULATOR_PLAN'];

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A copy of the working tree as a fresh clone plus `npm install` would have it, in a temp folder. */
function freshCopy(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'bench-start-')), 'app');
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
  for (const path of listed.split('\0').filter((entry) => entry !== '' && existsSync(join(REPO_ROOT, entry)))) {
    mkdirSync(dirname(join(copy, path)), { recursive: true });
    copyFileSync(join(REPO_ROOT, path), join(copy, path));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const icons = join(REPO_ROOT, '.fdk', 'vendor');
  if (existsSync(icons)) {
    cpSync(icons, join(copy, '.fdk', 'vendor'), { recursive: true });
  }
  return copy;
}

interface RunningStart {
  child: ChildProcess;
  /** Resolves with the shell's URL once npm start printed it. */
  url: Promise<string>;
  /** Milliseconds from launching npm to the first line our scripts print (npm's own "> ..." banner aside). */
  firstOutput: Promise<number>;
}

/** `npm start` in `folder` on a free port, in its own process group (so stop() ends npm, sh and node). */
function launchStart(folder: string): RunningStart {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UNSET.includes(name)));
  const started = performance.now();
  const child = spawn('npm', ['start'], { cwd: folder, env: { ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let saidSomething: (ms: number) => void = () => undefined;
  const firstOutput = new Promise<number>((resolveFirst) => {
    saidSomething = resolveFirst;
  });
  const url = new Promise<string>((resolveUrl, reject) => {
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.split('\n').some((line) => line.trim() !== '' && !line.startsWith('> '))) {
        saidSomething(performance.now() - started);
      }
      const printed = /Open (http:\/\/localhost:\d+)/.exec(output)?.[1];
      if (printed !== undefined) {
        resolveUrl(printed);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => reject(new Error(`npm start exited (${String(code)}) before printing its URL:\n${output}`)));
  });
  return { child, url, firstOutput };
}

function stop(start: RunningStart): Promise<void> {
  return new Promise((resolveStop) => {
    if (start.child.exitCode !== null || start.child.pid === undefined) {
      resolveStop();
      return;
    }
    start.child.once('exit', () => resolveStop());
    process.kill(-start.child.pid, 'SIGTERM');
  });
}

/** Milliseconds from launching `npm start` in `folder` to the first page it served (200). */
async function timeToFirstPage(folder: string): Promise<{ firstOutput: number; firstPage: number }> {
  const started = performance.now();
  const start = launchStart(folder);
  const deadline = setTimeout(() => void stop(start), START_DEADLINE_MS);
  try {
    const url = await start.url;
    const response = await fetch(`${url}/`);
    await response.text();
    if (response.status !== 200) {
      throw new Error(`the first page answered ${response.status}`);
    }
    return { firstOutput: await start.firstOutput, firstPage: performance.now() - started };
  } finally {
    clearTimeout(deadline);
    await stop(start);
  }
}

export interface StartTimes {
  cold: { firstOutput: number; firstPage: number };
  warm: number[];
}

/** Cold, then warm starts of a fresh copy of this working tree. */
export async function measureStartTimes(): Promise<StartTimes> {
  const copy = freshCopy();
  try {
    const cold = await timeToFirstPage(copy);
    const warm: number[] = [];
    for (let run = 0; run < WARM_RUNS; run += 1) {
      warm.push((await timeToFirstPage(copy)).firstPage);
    }
    return { cold, warm };
  } finally {
    rmSync(dirname(copy), { recursive: true, force: true });
  }
}

export function printStartTimes(times: StartTimes): void {
  const sorted = [...times.warm].sort((left, right) => left - right);
  print('npm start -> first page served (a fresh copy of this working tree, demo account, PORT=0):');
  print(`  cold (nothing built, onAppInstall):   ${seconds(times.cold.firstPage)} (first output after ${seconds(times.cold.firstOutput)})`);
  print(`  warm (nothing changed, best of ${sorted.length}):    ${seconds(sorted[0] ?? Number.NaN)} (all: ${times.warm.map(seconds).join(', ')})`);
}

/** Everything npm start serves from files the build writes: pages, app scripts, the runtime's client library. */
function servedFiles(shellUrl: string): string[] {
  const appOrigin = shellUrl.replace('localhost', '127.0.0.1');
  const scripts = readdirSync(join(REPO_ROOT, 'app', 'scripts'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'));
  return [
    `${shellUrl}/agents`,
    `${appOrigin}/_runtime/client.js`,
    ...['sidebar.html', 'console.html', 'queue.html'].map((page) => `${appOrigin}/app/${page}`),
    ...scripts.map((name) => `${appOrigin}/app/scripts/${name}`),
  ];
}

/** Runs `npm test` here while polling a running `npm start` of this folder; fails on any failed request. */
async function serveWhileTesting(): Promise<boolean> {
  const start = launchStart(REPO_ROOT);
  try {
    const urls = servedFiles(await start.url);
    const failures: string[] = [];
    let requests = 0;
    let testing = true;
    const poll = async (): Promise<void> => {
      while (testing) {
        for (const url of urls) {
          requests += 1;
          const response = await fetch(url).catch((error: unknown) => ({ status: 0, statusText: String(error), text: () => Promise.resolve('') }));
          const body = await response.text();
          if (response.status !== 200 || body.length === 0) {
            failures.push(`${url}: ${response.status} ${response.statusText}`);
          }
        }
        await new Promise((resume) => setTimeout(resume, POLL_INTERVAL_MS));
      }
    };
    const polling = poll();
    const testStarted = performance.now();
    const testCode = await new Promise<number | null>((done) => spawn('npm', ['test'], { cwd: REPO_ROOT, stdio: 'inherit' }).on('exit', done));
    testing = false;
    await polling;
    print(`npm test exited ${String(testCode)} after ${seconds(performance.now() - testStarted)}; npm start answered ${requests - failures.length} of ${requests} requests (${urls.length} URLs polled every ${POLL_INTERVAL_MS} ms)`);
    failures.slice(0, 20).forEach((failure) => print(`  failed: ${failure}`));
    return failures.length === 0 && start.child.exitCode === null;
  } finally {
    await stop(start);
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--while-testing')) {
    process.exitCode = (await serveWhileTesting()) ? 0 : 1;
    return;
  }
  printStartTimes(await measureStartTimes());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
