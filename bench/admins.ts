/**
 * Account Admins bench: how long after installation the list of Account Admins is complete,
 * for accounts of 1,000, 10,000 and 50,000 agents, at the real platform pace (each template
 * request takes TEMPLATE_LATENCY_MS; scheduled events fire at their time on a virtual clock, so
 * nothing sleeps); the template requests spent, the busiest minute (FDK allows 50 a minute per
 * app: it must stay well under, leaving room for people using the app), and what a sidebar view
 * costs afterwards (target: at most 2 template requests).
 *
 *   npx tsc -p tsconfig.json && npx tsc -p tsconfig.server.json && node build/bench/admins.js
 *   (npm run bench:admins builds first)
 */
import { profileAccess } from '#server/profile/profileAccess';
import { FakeAccount } from '../tests/server/audit/account';
import { busiestMinute, timedClient } from '../tests/server/audit/run';
import { testStorage } from '../tests/server/fakes/storage';
import { emailOf } from '../tests/server/freshservice/fixtures';
import { VirtualInstallation } from '../tests/server/methods/virtual-installation';

const SIZES = [1_000, 10_000, 50_000];
const TEMPLATE_LATENCY_MS = 400;
/** Realistic: a handful of Account Admins whatever the size (every n-th agent: 6 or 7 of them). */
const ACCOUNT_ADMINS = 6;
const PLATFORM_LIMIT = 50;
const HOURS_LIMIT = 24;

interface Result {
  agents: number;
  minutes: number;
  requests: number;
  busiestMinute: number;
  admins: number;
  viewRequests: number;
}

async function measure(agents: number): Promise<Result> {
  const account = new FakeAccount({ agents, accountAdminEvery: Math.floor(agents / ACCOUNT_ADMINS) });
  const installation = new VirtualInstallation(account.request(), TEMPLATE_LATENCY_MS);
  const installedAt = installation.clock.time;
  await installation.install();
  let head = await installation.head();
  for (let minute = 0; minute < HOURS_LIMIT * 60 && head.accountAdmins?.complete !== true; minute += 1) {
    await installation.runUntil(installation.clock.time + 60_000);
    head = await installation.head();
  }
  const minutes = ((head.scan?.steppedAt ?? installation.clock.time) - installedAt) / 60_000;
  // A sidebar view afterwards: a plain agent looking at another agent's page.
  const viewRequests: number[] = [];
  const request = timedClient(account.request(), installation.clock, viewRequests, TEMPLATE_LATENCY_MS);
  await profileAccess({ viewedId: 21000000002, viewedEmail: emailOf(21000000002), viewerId: 21000000003, viewerEmail: emailOf(21000000003) }, { request, storage: testStorage(installation.store), now: installation.clock.now });
  return {
    agents,
    minutes,
    requests: installation.requestTimes.length,
    busiestMinute: busiestMinute(installation.requestTimes),
    admins: head.accountAdmins?.admins.length ?? 0,
    viewRequests: viewRequests.length,
  };
}

async function main(): Promise<void> {
  console.log(`Account Admins bench: from installation to a complete list, at ${TEMPLATE_LATENCY_MS} ms a template request (FDK allows ${PLATFORM_LIMIT} a minute)\n`);
  console.log('| agents | complete after | template requests | busiest minute | Account Admins listed | template requests per sidebar view after |');
  console.log('|---|---|---|---|---|---|');
  let ok = true;
  for (const agents of SIZES) {
    const result = await measure(agents);
    ok = ok && result.busiestMinute <= 40 && result.viewRequests <= 2 && result.admins >= ACCOUNT_ADMINS;
    console.log(`| ${agents.toLocaleString('en-US')} | ${result.minutes.toFixed(1)} min | ${result.requests} | ${result.busiestMinute} | ${result.admins} | ${result.viewRequests} |`);
  }
  console.log(ok ? '\nEvery run kept the busiest minute at 40 or fewer and a view at 2 template requests or fewer.' : '\nA run went over: see the table.');
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
