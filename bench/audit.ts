/**
 * Audit bench: runs the access overview end to end, slice after slice, the way the widget
 * does (honouring each slice's waitMs), for accounts of 1,000, 10,000 and 50,000 agents, twice:
 * - against the scripted fake $request (realistic Freshservice pages: 100 per page, Link and
 *   X-RateLimit headers, ids above 2^31);
 * - against the Freshservice simulator (dev/simulator) over loopback HTTP, with the templates of
 *   config/requests.json rendered and sent by the local runtime's template executor, which also
 *   enforces FDK's 50 requests a minute (it would answer 429 if the pacing were wrong).
 * Waits run on a VIRTUAL clock: nothing sleeps, and the "duration at real pace" is the virtual
 * time the audit took, each template request assumed to take TEMPLATE_LATENCY_MS.
 *
 *   npx tsc -p tsconfig.json && node build/bench/audit.js [--fake-only]
 *   (npm run bench:audit builds first)
 */
import { resolve } from 'node:path';
import type { AccessOverviewSlice } from '#common/audit';
import { loadAppPackage } from '../dev/runtime/engine/app-package';
import { FDK_LIMITS, PerMinuteLimit, realTimers } from '../dev/runtime/engine/limits';
import { TemplateExecutor } from '../dev/runtime/engine/template-executor';
import { TemplateTransport } from '../dev/runtime/engine/template-transport';
import { startSimulator, type RunningSimulator } from '../dev/simulator/index';
import { cursorKeyOf } from '#server/audit/cursor';
import { accessOverviewSlice } from '#server/audit/overview';
import { PLATFORM_REQUESTS_PER_MINUTE } from '#server/audit/pacing';
import { jsonBytes } from '#server/audit/size';
import type { TemplateClient, TemplateResponse } from '#server/platform';
import { FakeAccount } from '../tests/server/audit/account';
import { MemoryStore } from '../tests/server/audit/memoryStore';
import { VirtualClock, busiestMinute } from '../tests/server/audit/run';
import { testStorage } from '../tests/server/fakes/storage';

const SIZES = [1_000, 10_000, 50_000];
const CUSTOM_ROLES = 20;
const TEMPLATE_LATENCY_MS = 400;
const PAGE_SIZE = 100;
/** Cursors are signed as in the app: HMAC-SHA256 under a key derived from the api_key iparam. */
const BENCH_CURSOR_KEY = cursorKeyOf({ iparams: { api_key: 'bench-api-key' } });

interface BenchResult {
  agents: number;
  roles: number;
  requests: number;
  minimumRequests: number;
  methodCalls: number;
  largestResponseKb: number;
  serverCpuMsPer1000: number;
  busiestMinute: number;
  storeOperations: number;
  durationMs: number;
  agentsListed: number;
  activeAgents: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Stamps each request on the virtual clock and keeps the fake's own CPU out of the server's figure. */
function measuredClient(inner: TemplateClient, clock: VirtualClock, requestTimes: number[], fakeCpu: { ms: number }): TemplateClient {
  return {
    invokeTemplate(name, invocation) {
      requestTimes.push(clock.time);
      clock.advance(TEMPLATE_LATENCY_MS);
      const started = cpuMs();
      const answer = inner.invokeTemplate(name, invocation);
      fakeCpu.ms += cpuMs() - started;
      return answer;
    },
  };
}

interface BenchTarget {
  request: TemplateClient;
  /** Template requests actually sent. */
  requestCount: () => number;
  roles: number;
  /** Agents the overview should list (the active ones). */
  activeAgents: number;
}

async function runOverviewMeasured(agents: number, target: BenchTarget, clock: VirtualClock, fakeCpu: { ms: number }, requestTimes: number[]): Promise<BenchResult> {
  const store = new MemoryStore();
  const startedAt = clock.time;
  let cpu = 0;
  let largest = 0;
  let methodCalls = 0;
  let agentsListed = 0;
  let cursor: string | null = null;
  do {
    const before = cpuMs();
    const slice: AccessOverviewSlice = await accessOverviewSlice({ cursor }, { request: target.request, storage: testStorage(store), now: clock.now, cursorKey: BENCH_CURSOR_KEY });
    cpu += cpuMs() - before;
    const size = jsonBytes(slice);
    methodCalls += 1;
    largest = Math.max(largest, size);
    agentsListed += slice.agents.length;
    cursor = slice.cursor;
    clock.advance(slice.waitMs);
  } while (cursor !== null);
  return {
    agents,
    roles: target.roles,
    requests: target.requestCount(),
    minimumRequests: Math.ceil(target.activeAgents / PAGE_SIZE) + Math.ceil(target.roles / PAGE_SIZE),
    methodCalls,
    largestResponseKb: largest / 1024,
    serverCpuMsPer1000: ((cpu - fakeCpu.ms) / agents) * 1000,
    busiestMinute: busiestMinute(requestTimes),
    storeOperations: store.operations,
    durationMs: clock.time - startedAt,
    agentsListed,
    activeAgents: target.activeAgents,
  };
}

async function benchWithFake(agents: number): Promise<BenchResult> {
  const clock = new VirtualClock();
  const account = new FakeAccount({ agents, customRoles: CUSTOM_ROLES, now: clock.now, rateLimitPerMinute: 500 });
  const fake = account.request();
  const requestTimes: number[] = [];
  const fakeCpu = { ms: 0 };
  const target = { request: measuredClient(fake, clock, requestTimes, fakeCpu), requestCount: () => fake.calls.length, roles: account.roles.length, activeAgents: agents };
  return runOverviewMeasured(agents, target, clock, fakeCpu, requestTimes);
}

const APP_ROOT = resolve(__dirname, '..', '..');

/** $request as the local runtime implements it: templates rendered from config/requests.json, sent to the simulator, paced at FDK's 50 a minute on the virtual clock. */
function runtimeTemplateClient(sim: RunningSimulator, clock: VirtualClock, transport: TemplateTransport): TemplateClient {
  const owner = sim.keys.find((key) => key.label === 'Account Admin') ?? sim.keys[0];
  const executor = new TemplateExecutor({
    app: loadAppPackage(APP_ROOT),
    iparams: () => ({ freshservice_domain: sim.account.domain, api_key: owner?.key ?? '' }),
    freshserviceUrl: sim.url,
    transport,
    pace: new PerMinuteLimit(FDK_LIMITS.templateRequestsPerMinute, clock.now),
    timers: realTimers,
  });
  return {
    async invokeTemplate(name, invocation): Promise<TemplateResponse> {
      const outcome = await executor.invoke(name, invocation, 'server');
      if (!outcome.ok) {
        throw outcome.body;
      }
      return outcome.body;
    },
  };
}

async function benchWithSimulator(agents: number): Promise<BenchResult> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ agents, seed: 7, plan: 'pro', now: clock.now });
  const transport = new TemplateTransport({ timeoutMs: FDK_LIMITS.templateTimeoutMs, maxResponseBytes: FDK_LIMITS.templateResponseBytes, timers: realTimers });
  try {
    const requestTimes: number[] = [];
    // The simulator's CPU cannot be told apart (same process): it is counted with the server's.
    const request = measuredClient(runtimeTemplateClient(sim, clock, transport), clock, requestTimes, { ms: 0 });
    const activeAgents = sim.account.agents.filter((agent) => agent.active).length;
    const target = { request, requestCount: () => requestTimes.length, roles: sim.account.roles.length, activeAgents };
    return await runOverviewMeasured(agents, target, clock, { ms: 0 }, requestTimes);
  } finally {
    transport.close();
    await sim.stop();
  }
}

function minutes(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

function report(result: BenchResult): string {
  const overLimit = result.busiestMinute > PLATFORM_REQUESTS_PER_MINUTE;
  return [
    `${result.agents.toLocaleString('en-US')} agents, ${result.roles} roles (listed ${result.agentsListed.toLocaleString('en-US')} active)`,
    `  template requests       ${result.requests} (minimum ${result.minimumRequests}: ceil(active agents/100) + ceil(roles/100))${result.requests === result.minimumRequests ? '' : '  ABOVE MINIMUM'}`,
    `  server-method calls     ${result.methodCalls}`,
    `  largest response        ${result.largestResponseKb.toFixed(1)} KB (limit 100 KB)`,
    `  server CPU              ${result.serverCpuMsPer1000.toFixed(1)} ms per 1,000 agents`,
    `  busiest 60 s window     ${result.busiestMinute} template requests: ${overLimit ? `EXCEEDS ${PLATFORM_REQUESTS_PER_MINUTE}` : `never over ${PLATFORM_REQUESTS_PER_MINUTE}`}`,
    `  $db operations          ${result.storeOperations}`,
    `  duration at real pace   ${minutes(result.durationMs)} (virtual clock)`,
  ].join('\n');
}

/** The issue's targets: requests = the minimum, every response under 100 KB, never over 50 requests in a minute, everyone listed. */
function missesTargets(result: BenchResult): boolean {
  const overPace = result.busiestMinute > PLATFORM_REQUESTS_PER_MINUTE;
  return overPace || result.largestResponseKb >= 100 || result.agentsListed !== result.activeAgents || result.requests !== result.minimumRequests;
}

/** Benches every account size one after another, printing each report; true when any size misses a target. */
async function benchEverySize(bench: (agents: number) => Promise<BenchResult>): Promise<boolean> {
  let failed = false;
  for (const agents of SIZES) {
    const result = await bench(agents);
    console.log(report(result));
    console.log('');
    failed ||= missesTargets(result);
  }
  return failed;
}

async function main(): Promise<void> {
  console.log(`Clock: VIRTUAL. waitMs is honoured by advancing the clock, not by sleeping; each template request is assumed to take ${TEMPLATE_LATENCY_MS} ms.`);
  console.log('');
  console.log('== Scripted fake $request serving Freshservice-shaped pages ==');
  let failed = await benchEverySize(benchWithFake);
  if (process.argv.includes('--fake-only')) {
    process.exitCode = failed ? 1 : 0;
    return;
  }
  console.log('== Freshservice simulator over loopback HTTP, templates sent by the local runtime (FDK pace enforced) ==');
  console.log('(server CPU here also counts the in-process simulator and HTTP handling)');
  failed = (await benchEverySize(benchWithSimulator)) || failed;
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
