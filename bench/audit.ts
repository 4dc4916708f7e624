/**
 * Audit bench: runs the access overview end to end, slice after slice, the way the widget
 * does (honouring each slice's waitMs), for accounts of 1,000, 10,000 and 50,000 agents served
 * by the scripted fake $request (realistic Freshservice pages: 100 per page, Link and
 * X-RateLimit headers, ids above 2^31). Waits run on a VIRTUAL clock: nothing sleeps, and the
 * "duration at real pace" is the virtual time the audit took, each template request assumed
 * to take TEMPLATE_LATENCY_MS.
 *
 *   npx tsc -p tsconfig.json && node build/bench/audit.js   (npm run bench:audit builds first)
 */
import type { AccessOverviewSlice } from '../common/audit';
import { accessOverviewSlice } from '../server/src/audit/overview';
import { PLATFORM_REQUESTS_PER_MINUTE } from '../server/src/audit/pacing';
import { jsonBytes } from '../server/src/audit/size';
import type { TemplateClient } from '../server/src/platform';
import { FakeAccount } from '../tests/server/audit/account';
import { MemoryStore } from '../tests/server/audit/memoryStore';
import { VirtualClock, busiestMinute } from '../tests/server/audit/run';

const SIZES = [1_000, 10_000, 50_000];
const CUSTOM_ROLES = 20;
const TEMPLATE_LATENCY_MS = 400;
const PAGE_SIZE = 100;

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

async function benchOverview(agents: number): Promise<BenchResult> {
  const clock = new VirtualClock();
  const account = new FakeAccount({ agents, customRoles: CUSTOM_ROLES, now: clock.now, rateLimitPerMinute: 500 });
  const fake = account.request();
  const store = new MemoryStore();
  const requestTimes: number[] = [];
  const fakeCpu = { ms: 0 };
  const request = measuredClient(fake, clock, requestTimes, fakeCpu);
  const startedAt = clock.time;
  let cpu = 0;
  let largest = 0;
  let methodCalls = 0;
  let agentsListed = 0;
  let cursor: string | null = null;
  do {
    const before = cpuMs();
    const slice: AccessOverviewSlice = await accessOverviewSlice({ cursor }, { request, store, now: clock.now });
    const size = jsonBytes(slice);
    cpu += cpuMs() - before;
    methodCalls += 1;
    largest = Math.max(largest, size);
    agentsListed += slice.agents.length;
    cursor = slice.cursor;
    clock.advance(slice.waitMs);
  } while (cursor !== null);
  return {
    agents,
    roles: account.roles.length,
    requests: fake.calls.length,
    minimumRequests: Math.ceil(agents / PAGE_SIZE) + Math.ceil(account.roles.length / PAGE_SIZE),
    methodCalls,
    largestResponseKb: largest / 1024,
    serverCpuMsPer1000: ((cpu - fakeCpu.ms) / agents) * 1000,
    busiestMinute: busiestMinute(requestTimes),
    storeOperations: store.operations,
    durationMs: clock.time - startedAt,
    agentsListed,
  };
}

function minutes(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

function report(result: BenchResult): string {
  const overLimit = result.busiestMinute > PLATFORM_REQUESTS_PER_MINUTE;
  return [
    `${result.agents.toLocaleString('en-US')} agents, ${result.roles} roles (listed ${result.agentsListed.toLocaleString('en-US')})`,
    `  template requests       ${result.requests} (minimum ${result.minimumRequests}: ceil(agents/100) + ceil(roles/100))${result.requests === result.minimumRequests ? '' : '  ABOVE MINIMUM'}`,
    `  server-method calls     ${result.methodCalls}`,
    `  largest response        ${result.largestResponseKb.toFixed(1)} KB (limit 100 KB)`,
    `  server CPU              ${result.serverCpuMsPer1000.toFixed(1)} ms per 1,000 agents`,
    `  busiest 60 s window     ${result.busiestMinute} template requests: ${overLimit ? `EXCEEDS ${PLATFORM_REQUESTS_PER_MINUTE}` : `never over ${PLATFORM_REQUESTS_PER_MINUTE}`}`,
    `  $db operations          ${result.storeOperations}`,
    `  duration at real pace   ${minutes(result.durationMs)} (virtual clock)`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log('Access overview bench: scripted fake $request serving Freshservice-shaped pages.');
  console.log(`Clock: VIRTUAL. waitMs is honoured by advancing the clock, not by sleeping; each template request is assumed to take ${TEMPLATE_LATENCY_MS} ms.`);
  console.log('');
  let failed = false;
  for (const agents of SIZES) {
    const result = await benchOverview(agents);
    console.log(report(result));
    console.log('');
    failed ||= result.busiestMinute > PLATFORM_REQUESTS_PER_MINUTE || result.largestResponseKb >= 100 || result.agentsListed !== agents;
  }
  if (failed) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
