/**
 * Account Admins bench: the background list of Account Admins under FDK's strictest documented
 * rules, on a virtual clock (nothing sleeps), for accounts of 1,000, 10,000 and 50,000 agents at
 * 400 ms, 1 s and 2 s a template request, with 50 ms a `$schedule` call:
 *
 * - minutes from installation until the list is complete (goal: at most 30 at 50,000 agents and 1 s);
 * - the busiest minute of the background alone, and of the background with a console loading
 *   the account and ten sidebar views a minute at the same time (FDK allows 50 for everything);
 * - how long onAppInstall takes (in the simulation; and once more, timed for real, with
 *   server/server.js loaded the way FDK loads it, 5,000 agents, 2 s a request);
 * - one-time schedules the platform holds after 30 simulated days, under each reading of what a
 *   fired one leaves behind (its name and its place kept until deleted, or gone).
 *
 *   npx tsc -p tsconfig.json && npx tsc -p tsconfig.server.json && node build/bench/admins.js
 *   (npm run bench:admins builds first)
 */
import { createKeyValueStore } from '../dev/runtime/kv-store';
import { realTimers, sleep } from '../dev/runtime/engine/limits';
import type { ScheduleReadings } from '../dev/runtime/schedule-book';
import { LocalScheduler } from '../dev/runtime/scheduler';
import { CHAINS } from '#server/admins/schedules';
import { PLATFORM_REQUESTS_PER_MINUTE } from '#server/audit/pacing';
import type { TemplateClient } from '#server/platform';
import { FakeAccount } from '../tests/server/audit/account';
import { busiestMinute } from '../tests/server/audit/run';
import { TEST_IPARAMS } from '../tests/server/fakes/storage';
import { loadShippedServer } from '../tests/server/methods/shipped-server';
import { VirtualInstallation, VirtualTime, arrivingLate, type Actor } from '../tests/server/methods/virtual-installation';

const SIZES = [1_000, 10_000, 50_000];
const LATENCIES_MS = [400, 1_000, 2_000];
const SCHEDULE_LATENCY_MS = 50;
/** Realistic: a handful of Account Admins whatever the size. */
const ACCOUNT_ADMINS = 6;
/** People arrive when the scan is at full speed: a console load and ten sidebar views a minute for ten minutes. */
const PEOPLE_ARRIVE_MS = 7 * 60_000;
const VIEWS_PER_MINUTE = 10;
const VIEW_MINUTES = 10;
/** A plain agent viewing another agent's page: the view that costs the most (2 template requests). */
const VIEWED = 21000000002;
const VIEWER = 21000000003;
const DAY_MS = 24 * 60 * 60_000;
const GOAL_MINUTES_AT_50K_1S = 30;
const INSTALL_LIMIT_MS = 10_000;

function account(agents: number, now?: () => number): FakeAccount {
  return new FakeAccount({ agents, accountAdminEvery: Math.floor(agents / ACCOUNT_ADMINS), now });
}

/** An installation on a virtual clock the simulated account reads too (its X-RateLimit-Remaining counts a real minute). */
function installationOf(agents: number, latencyMs: number, readings?: ScheduleReadings): VirtualInstallation {
  const time = new VirtualTime();
  return new VirtualInstallation(account(agents, time.now).request(), { time, latencyMs, scheduleLatencyMs: SCHEDULE_LATENCY_MS, readings });
}

function busiest(installation: VirtualInstallation, actors: Actor[]): number {
  return busiestMinute(installation.requests.filter((request) => actors.includes(request.actor)).map((request) => request.at));
}

/** Runs until the list is complete (at most a day); answers the minutes since installation. */
async function untilComplete(installation: VirtualInstallation, installedAt: number): Promise<number> {
  for (let minute = 0; minute < 24 * 60; minute += 1) {
    const head = await installation.head();
    if (head.accountAdmins?.complete === true && head.scan?.done === true) {
      return (head.scan.steppedAt - installedAt) / 60_000;
    }
    await installation.runUntil(installation.time.now() + 60_000);
  }
  return Number.POSITIVE_INFINITY;
}

interface Run {
  minutes: number;
  scanBusiest: number;
  installMs: number;
  refusedSchedules: number;
}

async function scanAlone(agents: number, latencyMs: number): Promise<Run> {
  const installation = installationOf(agents, latencyMs);
  const installedAt = installation.time.now();
  const installMs = await installation.install();
  const minutes = await untilComplete(installation, installedAt);
  return { minutes, scanBusiest: busiest(installation, ['background']), installMs, refusedSchedules: installation.scheduleLog.filter((line) => / 4\d\d /.test(line) && line.includes('create')).length };
}

interface Together {
  busiest: number;
  refused: number;
  consoleMinutes: number;
}

async function withPeople(agents: number, latencyMs: number): Promise<Together> {
  const installation = installationOf(agents, latencyMs);
  await installation.install();
  await installation.runUntil(installation.time.now() + PEOPLE_ARRIVE_MS);
  const consoleStarted = installation.time.now();
  let consoleMinutes = 0;
  const people = Promise.all([
    installation.loadConsole().then(() => (consoleMinutes = (installation.time.now() - consoleStarted) / 60_000)),
    installation.viewSidebars(VIEWS_PER_MINUTE, VIEW_MINUTES, VIEWED, VIEWER),
  ]);
  await installation.time.finish(people);
  return {
    busiest: busiest(installation, ['background', 'console', 'views']),
    refused: installation.requests.filter((request) => request.refused).length,
    consoleMinutes,
  };
}

/** One-time schedules the platform holds after 30 days of refreshes and scans (a scan every 20 hours), under one reading: at the end, and the most at any hour. */
async function heldAfter30Days(agents: number, readings: ScheduleReadings): Promise<{ end: number; most: number }> {
  const installation = installationOf(agents, 400, readings);
  await installation.install();
  let most = 0;
  for (let hour = 0; hour < 30 * 24; hour += 1) {
    await installation.runUntil(installation.time.now() + DAY_MS / 24);
    most = Math.max(most, installation.oneTimeSchedulesHeld());
  }
  return { end: installation.oneTimeSchedulesHeld(), most };
}

/** onAppInstall of the shipped server.js, loaded as FDK loads it, timed for real: 2 s a request, 50 ms a schedule call. */
async function shippedInstallMs(agents: number, latencyMs: number): Promise<{ ms: number; refused: string[] }> {
  const fake = account(agents).request();
  const $request: TemplateClient = { invokeTemplate: (name, invocation) => sleep(realTimers, latencyMs).then(() => fake.invokeTemplate(name, invocation)) };
  const log: string[] = [];
  const scheduler = new LocalScheduler({ now: Date.now, timers: realTimers, log: (line) => log.push(line), fire: () => Promise.resolve() });
  const $schedule = arrivingLate(scheduler, () => sleep(realTimers, SCHEDULE_LATENCY_MS));
  let answered: () => void = () => undefined;
  const replied = new Promise<void>((resolve) => (answered = resolve));
  const methods = loadShippedServer({ $request, $db: createKeyValueStore({ operationsPerMinute: 0 }), $schedule, renderData: () => answered() });
  const started = Date.now();
  await methods['onAppInstall']?.({ iparams: TEST_IPARAMS });
  await replied;
  const ms = Date.now() - started;
  scheduler.close();
  return { ms, refused: log.filter((line) => / 4\d\d /.test(line) && line.includes('create')) };
}

function minutes(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} min` : 'not within a day';
}

async function main(): Promise<void> {
  console.log(`Account Admins bench: installation to a complete list, on a virtual clock; ${SCHEDULE_LATENCY_MS} ms a $schedule call; FDK allows ${PLATFORM_REQUESTS_PER_MINUTE} template requests a minute for everything`);
  console.log(`"with people": a console loading the whole account and ${VIEWS_PER_MINUTE} sidebar views a minute for ${VIEW_MINUTES} minutes, from ${PEOPLE_ARRIVE_MS / 60_000} minutes after installation\n`);
  console.log('| agents | per request | complete after | busiest minute: scan alone | busiest minute: scan + console + views | refused by FDK | console loaded in | onAppInstall |');
  console.log('|---|---|---|---|---|---|---|---|');
  let ok = true;
  for (const agents of SIZES) {
    for (const latencyMs of LATENCIES_MS) {
      const alone = await scanAlone(agents, latencyMs);
      const together = await withPeople(agents, latencyMs);
      ok = ok && together.busiest <= PLATFORM_REQUESTS_PER_MINUTE && together.refused === 0 && alone.refusedSchedules === 0 && alone.installMs < INSTALL_LIMIT_MS;
      ok = ok && !(agents === 50_000 && latencyMs === 1_000 && alone.minutes > GOAL_MINUTES_AT_50K_1S);
      console.log(
        `| ${agents.toLocaleString('en-US')} | ${latencyMs / 1000} s | ${minutes(alone.minutes)} | ${alone.scanBusiest} | ${together.busiest} | ${together.refused} | ${together.consoleMinutes.toFixed(1)} min | ${(alone.installMs / 1000).toFixed(2)} s |`,
      );
    }
  }
  console.log(`\n| agents | one-time schedules held after 30 days (most at any hour), fired ones kept until deleted | the same, fired ones gone |`);
  console.log('|---|---|---|');
  for (const agents of SIZES) {
    const kept = await heldAfter30Days(agents, { firedOneTime: 'kept', deleteMissing: 'reject' });
    const gone = await heldAfter30Days(agents, { firedOneTime: 'gone', deleteMissing: 'succeed' });
    ok = ok && kept.most <= CHAINS && gone.most <= CHAINS;
    console.log(`| ${agents.toLocaleString('en-US')} | ${kept.end} (${kept.most}) | ${gone.end} (${gone.most}) |`);
  }
  const shipped = await shippedInstallMs(5_000, 2_000);
  ok = ok && shipped.ms < INSTALL_LIMIT_MS && shipped.refused.length === 0;
  console.log(`\nonAppInstall of server/server.js loaded as FDK loads it, timed for real: 5,000 agents, 2 s a request, ${SCHEDULE_LATENCY_MS} ms a schedule call: ${(shipped.ms / 1000).toFixed(2)} s (${shipped.refused.length} schedules refused)`);
  console.log(ok ? '\nEvery figure is inside its limit.' : '\nA figure is over its limit: see the tables.');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
