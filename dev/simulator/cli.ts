import { parseArgs } from 'node:util';
import { z } from 'zod';
import { stopOnSignals } from '../stop-on-signals';
import { SimulatorSetupError } from './account-file';
import { MAX_GENERATED_AGENTS } from './generate';
import { roleTypeSpellingSchema } from './role-type';
import { planSchema } from './schema';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from './server';

/**
 * `npm run simulator -- --port 4010 --agents 500 --seed 7 --plan pro`: starts the simulator,
 * prints where it listens and the demo API keys, and stops cleanly on Ctrl+C.
 */

export const usage = `Usage: npm run simulator -- [options]

  --port <n>             port to listen on (default 4010; 0 picks a free one)
  --host <address>       interface to listen on (default 127.0.0.1)
  --agents <n>           generate n agents (1..${MAX_GENERATED_AGENTS}) instead of the demo account
  --seed <n>             seed for generated agents and the fault error rate (default 1)
  --plan <plan>          starter | growth | pro | enterprise (default pro): sets the rate limits
  --account <file.json>  serve the account in this file (format: docs/simulator.md)
  --role-type <spelling> how roles spell role_type: absent (default) | admin-or-agent | admin_and_data | integer
  --latency-ms <n>       add n ms to every API response
  --error-rate <0..1>    answer this share of API requests with 500
  --help                 show this help`;

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} takes a whole number, e.g. ${flag} ${min === 0 ? 4010 : 500}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `${flag} must be between ${min} and ${max}`);

const cliSchema = z
  .object({
    port: wholeNumber('--port', 0, 65535).default(4010),
    host: z.string().min(1, '--host needs an address, e.g. --host 127.0.0.1').optional(),
    agents: wholeNumber('--agents', 1, MAX_GENERATED_AGENTS).optional(),
    seed: wholeNumber('--seed', 0, 2 ** 32 - 1).optional(),
    plan: z.enum(planSchema.options, `--plan must be one of ${planSchema.options.join(', ')}`).optional(),
    account: z.string().min(1, '--account needs a file path').optional(),
    'role-type': z.enum(roleTypeSpellingSchema.options, `--role-type must be one of ${roleTypeSpellingSchema.options.join(', ')}`).optional(),
    'latency-ms': wholeNumber('--latency-ms', 0, 600_000).optional(),
    'error-rate': z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, '--error-rate takes a share between 0 and 1, e.g. --error-rate 0.1')
      .transform(Number)
      .optional(),
    help: z.boolean().optional(),
  })
  .refine((args) => args.agents === undefined || args.account === undefined, {
    message: 'use either --agents (a generated account) or --account (a file), not both',
  });

export type CliCommand = { kind: 'help' } | { kind: 'start'; options: SimulatorOptions };

/** Drops absent values so the options hold only what was asked for. */
function present<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function toOptions(args: z.infer<typeof cliSchema>): SimulatorOptions {
  const faults = present({ latencyMs: args['latency-ms'], errorRate: args['error-rate'] });
  const chosen = present({ host: args.host, agents: args.agents, seed: args.seed, plan: args.plan, accountFile: args.account, roleType: args['role-type'] });
  return { port: args.port, ...chosen, faults };
}

function readFlags(argv: readonly string[]): Record<string, unknown> {
  const text = { type: 'string' } as const;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { port: text, host: text, agents: text, seed: text, plan: text, account: text, 'role-type': text, 'latency-ms': text, 'error-rate': text, help: { type: 'boolean' } },
    });
    return values;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SimulatorSetupError(`${reason}\n\n${usage}`);
  }
}

/** Turns command-line arguments into simulator options, or a clear error saying what to fix. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const parsed = cliSchema.safeParse(readFlags(argv));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.message}`).join('\n');
    throw new SimulatorSetupError(`Invalid arguments:\n${problems}\n\nRun with --help for all options.`);
  }
  return parsed.data.help === true ? { kind: 'help' } : { kind: 'start', options: toOptions(parsed.data) };
}

/** What the CLI prints once listening: where, which account, and a key for each case. */
export function describeRunning(simulator: RunningSimulator): string {
  const { account } = simulator;
  const keyWidth = Math.max(...simulator.keys.map((key) => key.key.length), 3);
  const keys = simulator.keys.map((key) => `  ${key.key.padEnd(keyWidth)}  agent ${key.agentId}  ${key.label}`);
  return [
    `Freshservice simulator listening on ${simulator.url}`,
    `  API:      ${simulator.url}/api/v2   (domain "${account.domain}", plan ${account.plan}, ${account.agents.length} agents, ${account.roles.length} roles, role_type ${account.roleType})`,
    `  Control:  ${simulator.url}/_simulator/faults, /_simulator/agents/<id>/roles|deactivate|reactivate   (docs/simulator.md)`,
    '            (agent changes send user events only to in-process listeners, such as npm start\'s runtime: here they go nowhere)',
    '',
    'API keys (Authorization: Basic base64(<key>:X)):',
    ...keys,
    '',
    `Try: curl -u ${simulator.keys[0]?.key ?? '<key>'}:X '${simulator.url}/api/v2/agents?per_page=2'`,
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const command = parseCliArgs(argv);
  if (command.kind === 'help') {
    console.log(usage);
    return;
  }
  console.log(command.options.agents === undefined ? 'Starting the Freshservice simulator …' : `Starting the Freshservice simulator: generating ${command.options.agents} agents …`);
  const simulator = await startSimulator(command.options);
  console.log(describeRunning(simulator));
  stopOnSignals(simulator);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    const message = error instanceof SimulatorSetupError ? error.message : `Unexpected failure: ${String(error)}`;
    console.error(message);
    process.exitCode = 2;
  });
}
