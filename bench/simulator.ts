/**
 * Benchmark of the Freshservice simulator (npm run bench:simulator): starts it with 10,000
 * agents on loopback, times 200 sequential 100-agent page requests (median, p95), then
 * fires 200 concurrent requests and counts errors. Bounded: it stops itself after
 * BENCH_DEADLINE_MS whatever happens.
 */
import { Agent, request } from 'node:http';
import { generateAccount, startSimulator, type RunningSimulator } from '../dev/simulator/index';

const AGENTS = 10_000;
const PER_PAGE = 100;
const SEQUENTIAL = 200;
const CONCURRENT = 200;
const BENCH_DEADLINE_MS = 60_000;

interface Timed {
  status: number;
  ms: number;
}

function fetchPage(sim: RunningSimulator, agent: Agent, key: string, page: number): Promise<Timed> {
  const started = performance.now();
  const authorization = `Basic ${Buffer.from(`${key}:X`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(`${sim.url}/api/v2/agents?per_page=${PER_PAGE}&page=${page}`, { agent, headers: { Authorization: authorization } }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, ms: performance.now() - started }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
}

function summary(label: string, times: readonly number[]): string {
  const sorted = [...times].sort((left, right) => left - right);
  return `${label}: median ${percentile(sorted, 0.5).toFixed(2)} ms, p95 ${percentile(sorted, 0.95).toFixed(2)} ms (${times.length} requests)`;
}

async function sequential(sim: RunningSimulator, agent: Agent, key: string): Promise<number[]> {
  const pages = AGENTS / PER_PAGE;
  const times: number[] = [];
  for (let index = 0; index < SEQUENTIAL; index += 1) {
    const { status, ms } = await fetchPage(sim, agent, key, (index % pages) + 1);
    if (status !== 200) {
      throw new Error(`sequential request ${index + 1} answered ${status}`);
    }
    times.push(ms);
  }
  return times;
}

async function concurrent(sim: RunningSimulator, agent: Agent, key: string): Promise<{ errors: number; wallMs: number; times: number[] }> {
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: CONCURRENT }, (_unused, index) => fetchPage(sim, agent, key, (index % 100) + 1)));
  const wallMs = performance.now() - started;
  const ok = results.flatMap((result) => (result.status === 'fulfilled' && result.value.status === 200 ? [result.value.ms] : []));
  return { errors: CONCURRENT - ok.length, wallMs, times: ok };
}

async function main(): Promise<void> {
  const generationStarted = performance.now();
  generateAccount({ agents: 50_000, seed: 1, plan: 'pro' });
  const generationMs = performance.now() - generationStarted;

  // A clock that moves a minute per request keeps every request in a fresh rate-limit
  // window: this measures serving, not the limiter (which the tests cover).
  let clock = 0;
  const startStarted = performance.now();
  const sim = await startSimulator({ agents: AGENTS, seed: 7, now: () => (clock += 60_000) });
  const startMs = performance.now() - startStarted;
  const agent = new Agent({ keepAlive: true });
  const deadline = setTimeout(() => {
    console.error(`bench:simulator gave up after ${BENCH_DEADLINE_MS} ms`);
    process.exit(1);
  }, BENCH_DEADLINE_MS);
  deadline.unref();
  try {
    const key = sim.keys.find((candidate) => candidate.label === 'Account Admin')?.key ?? '';
    const times = await sequential(sim, agent, key);
    const parallel = await concurrent(sim, agent, key);
    console.log(`Simulator benchmark (Node ${process.version}, loopback, keep-alive)`);
    console.log(`generate 50,000 agents: ${generationMs.toFixed(0)} ms; start with ${AGENTS} agents: ${startMs.toFixed(0)} ms`);
    console.log(summary(`sequential ${PER_PAGE}-agent pages, all`, times));
    console.log(summary('  first read of each page (serializes it)', times.slice(0, AGENTS / PER_PAGE)));
    console.log(summary('  second read of each page', times.slice(AGENTS / PER_PAGE)));
    console.log(`${CONCURRENT} concurrent requests: ${parallel.errors} errors, ${parallel.wallMs.toFixed(0)} ms wall clock; ${summary('latency', parallel.times)}`);
    process.exitCode = parallel.errors === 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    agent.destroy();
    await sim.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
