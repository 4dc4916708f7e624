/**
 * The account's agents and roles as the shell shows them (agents list, user pages, the
 * "Signed in as" switcher), read from the embedded simulator's account or, for another
 * Freshservice, through its API with the configured key, on the server side only.
 */
import { z } from 'zod';

const ShellAgentSchema = z.looseObject({
  id: z.number(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  email: z.string(),
  active: z.boolean().optional(),
  occasional: z.boolean().optional(),
  job_title: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  roles: z.array(z.looseObject({ role_id: z.number() })).optional(),
});

const RequesterSchema = z
  .looseObject({ id: z.number(), first_name: z.string().nullable().optional(), last_name: z.string().nullable().optional(), primary_email: z.string(), job_title: z.string().nullable().optional() })
  .transform((requester): ShellAgent => ({ ...requester, email: requester.primary_email, roles: [] }));

const ShellRoleSchema = z.looseObject({ id: z.number(), name: z.string(), default: z.boolean().optional() });

export type ShellAgent = z.infer<typeof ShellAgentSchema>;
export type ShellRole = z.infer<typeof ShellRoleSchema>;

export interface AccountDirectory {
  agents(): Promise<ShellAgent[]>;
  roles(): Promise<ShellRole[]>;
  /** Who is signed in when nobody picked anyone: the owner of the configured key, if known. */
  defaultAgentId(): Promise<number | null>;
  /** Users who are not agents, so their user page can be opened too (the simulator's only). */
  requesters?(): Promise<ShellAgent[]>;
}

/** What the shell needs of the simulator's account: its (live) agents and roles. */
export interface SimulatedAccount {
  account: { agents: unknown[]; roles: unknown[]; requesters?: unknown[] };
  keys: { key: string; agentId: number; label: string }[];
}

export function directoryOfSimulator(simulator: SimulatedAccount, apiKey: string): AccountDirectory {
  return {
    agents: () => Promise.resolve(z.array(ShellAgentSchema).parse(simulator.account.agents)),
    roles: () => Promise.resolve(z.array(ShellRoleSchema).parse(simulator.account.roles)),
    defaultAgentId: () => Promise.resolve(simulator.keys.find((entry) => entry.key === apiKey)?.agentId ?? null),
    // A requester's address is `primary_email` in Freshservice's API; the shell calls it email.
    requesters: () => Promise.resolve(z.array(RequesterSchema).parse(simulator.account.requesters ?? [])),
  };
}

const AgentsPageSchema = z.object({ agents: z.array(ShellAgentSchema) });
const RolesPageSchema = z.object({ roles: z.array(ShellRoleSchema) });
const MeSchema = z.object({ agent: ShellAgentSchema });

/** Enough for the shell of a demo or test account; the app itself pages through everything. */
const MAX_PAGES = 10;

export type Fetcher = (url: string, init: { headers: Record<string, string> }) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

function encodeKey(apiKey: string): string {
  return Buffer.from(`${apiKey}:X`).toString('base64');
}

export function directoryOfFreshservice(target: { url: string; apiKey: string }, fetcher: Fetcher = fetch): AccountDirectory {
  const headers = { Authorization: `Basic ${encodeKey(target.apiKey)}`, 'Content-Type': 'application/json' };

  async function read(path: string): Promise<unknown> {
    const response = await fetcher(`${target.url}${path}`, { headers });
    if (!response.ok) {
      throw new Error(`Freshservice answered ${response.status} to GET ${path.replace(/\?.*/, '')}`);
    }
    return response.json();
  }

  async function pages<T>(path: string, pick: (body: unknown) => T[]): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const items = pick(await read(`${path}?per_page=100&page=${page}`));
      all.push(...items);
      if (items.length < 100) {
        break;
      }
    }
    return all;
  }

  return {
    agents: () => pages('/api/v2/agents', (body) => AgentsPageSchema.parse(body).agents),
    roles: () => pages('/api/v2/roles', (body) => RolesPageSchema.parse(body).roles),
    defaultAgentId: async () => MeSchema.parse(await read('/api/v2/agents/me')).agent.id,
  };
}

export function agentName(agent: ShellAgent): string {
  const name = [agent.first_name, agent.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return name === '' ? agent.email : name;
}

/**
 * client.data.get('loggedInUser'): Freshservice's shape nests the agent's fields under
 * `user` (Freshworks' own Freshservice data-method sample reads loggedInUser.user.name and
 * .email). We return only that, never a top-level copy, so code reading other shapes fails here.
 */
export function loggedInUserOf(agent: ShellAgent): { user: Record<string, unknown> } {
  return { user: userFields(agent) };
}

/** client.data.get('requester') on the user page: the viewed user's fields at the top level. */
export function requesterOf(agent: ShellAgent): Record<string, unknown> {
  return userFields(agent);
}

function userFields(agent: ShellAgent): Record<string, unknown> {
  return {
    id: agent.id,
    name: agentName(agent),
    first_name: agent.first_name ?? null,
    last_name: agent.last_name ?? null,
    email: agent.email,
    job_title: agent.job_title ?? null,
    active: agent.active ?? true,
    created_at: agent.created_at ?? null,
    updated_at: agent.updated_at ?? null,
  };
}
