/**
 * Storage bench: how many of FDK's 50 `$db` operations a minute each thing a user does costs,
 * measured through the shipped server/server.js on the FDK-like store (dev/runtime/kv-store),
 * and how many of each fit in a minute, alone and alongside a busy minute's other work.
 *
 *   npx tsc -p tsconfig.json && npx tsc -p tsconfig.server.json && node build/bench/storage.js
 *   (npm run bench:storage builds first)
 */
import { ANA, BJORN, CHLOE, Installation, RAHUL, accountAgents } from '../tests/server/methods/installation';

const PER_MINUTE = 50;
const REQUESTERS = Array.from({ length: 40 }, (_, i) => 21000070000 + i);

interface Row {
  what: string;
  operations: number;
}

async function measure(installation: Installation, what: string, work: () => Promise<unknown>): Promise<Row> {
  const before = installation.operations;
  await work();
  return { what, operations: installation.operations - before };
}

/** A warm installation: roles and Account Admins stored, a few records, some requests waiting. */
async function warmInstallation(): Promise<Installation> {
  const installation = new Installation({ agents: accountAgents(REQUESTERS) });
  await installation.ok('getProfileAccess', { viewedId: CHLOE, viewerId: CHLOE });
  for (const id of REQUESTERS.slice(0, 30)) {
    await installation.ok('requestApiKey', { actorId: id, reason: `integration ${id}` });
  }
  for (const id of REQUESTERS.slice(0, 20)) {
    await installation.ok('recordApiKeyAction', { actorId: ANA, targetId: id, action: 'enabled' });
  }
  return installation;
}

async function rows(): Promise<Row[]> {
  const installation = await warmInstallation();
  const [unrecorded, recorded, pending] = [RAHUL, REQUESTERS[0] as number, REQUESTERS[25] as number];
  return [
    await measure(installation, 'sidebar view, agent with nothing recorded', () => installation.ok('getProfileAccess', { viewedId: unrecorded, viewerId: CHLOE })),
    await measure(installation, 'sidebar view, agent with a record', () => installation.ok('getProfileAccess', { viewedId: recorded, viewerId: CHLOE })),
    await measure(installation, 'sidebar view by an Account Admin (with the waiting count)', () => installation.ok('getProfileAccess', { viewedId: pending, viewerId: BJORN })),
    await measure(installation, "an agent's first request", () => installation.ok('requestApiKey', { actorId: REQUESTERS[35], reason: 'integration' })),
    await measure(installation, 'a change (open the page, mark enabled, decline, undo)', () => installation.ok('recordApiKeyAction', { actorId: ANA, targetId: pending, action: 'opened' })),
    await measure(installation, 'a repeat or a refused change', () => installation.call('recordApiKeyAction', { actorId: ANA, targetId: pending, action: 'opened' })),
    await measure(installation, "console's first screen: queue and API-key column", () => installation.ok('listApiKeyIndex', {})),
    await measure(installation, "one agent's history page (1 + a read per change shown; this agent has 2)", () => installation.ok('getApiKeyHistory', { agentId: recorded })),
  ];
}

/** The $db operations of the row whose action starts with `what`; undefined when there is none. */
function operationsOf(table: Row[], what: string): number | undefined {
  return table.find((row) => row.what.startsWith(what))?.operations;
}

/**
 * A busy minute's other work: one console load (with the overview's 5: reading what the background
 * spent, the people mark, the roles, and its closing read and write), one request, two changes.
 */
function busyMinute(table: Row[]): number {
  const cost = (what: string): number => operationsOf(table, what) ?? 0;
  return cost("console's first screen") + 5 + cost("an agent's first request") + 2 * cost('a change');
}

async function main(): Promise<void> {
  const table = await rows();
  const busy = busyMinute(table);
  console.log('Storage bench: $db operations per action (FDK allows 50 a minute per installation)\n');
  console.log(`| action | $db operations | per minute alone | per minute alongside a busy minute (${busy} operations: a console load, a request, two changes) |`);
  console.log('|---|---|---|---|');
  for (const row of table) {
    const alone = row.operations === 0 ? '∞' : String(Math.floor(PER_MINUTE / row.operations));
    const alongside = row.operations === 0 ? '∞' : String(Math.floor((PER_MINUTE - busy) / row.operations));
    console.log(`| ${row.what} | ${row.operations} | ${alone} | ${alongside} |`);
  }
  const budgets: [string, number][] = [
    ['sidebar view, agent with nothing recorded', 1],
    ['sidebar view, agent with a record', 2],
    ['a change', 4],
    ["console's first screen", 3],
  ];
  const over = budgets.filter(([what, budget]) => (operationsOf(table, what) ?? Infinity) > budget);
  console.log(over.length === 0 ? '\nEvery budget is met (sidebar ≤ 2, 1 when nothing is recorded; change ≤ 4; console first screen ≤ 3).' : `\nOver budget: ${over.map(([what]) => what).join(', ')}`);
  process.exitCode = over.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
