import type { SimAccount, SimAgent, SimRequester } from './schema';
import { isAdminLevelRole } from './role-type';

/**
 * The account prepared for serving: each record is serialized once, the first time it is
 * served, and kept, so a page is a slice and a join rather than a hundred JSON.stringify
 * calls, and starting with 50,000 agents does not pay for pages nobody reads.
 */

export type AgentState = 'fulltime' | 'occasional';

export interface AgentFilter {
  active: boolean | undefined;
  state: AgentState | undefined;
  email: string | undefined;
}

/** An ordered list of records, serialized on demand. */
export interface Listing {
  count: number;
  /** Serialized records from `start` (inclusive) to `end` (exclusive). */
  slice(start: number, end: number): string[];
}

export interface KeyOwner {
  agent: SimAgent;
  apiEnabled: boolean;
  /** Holds a role that may read agents and roles. */
  adminLevel: boolean;
}

export interface Catalogue {
  /** Agents matching the filter, in account order. */
  agents(filter: AgentFilter): Listing;
  agent(id: number): string | undefined;
  roles(): Listing;
  role(id: number): string | undefined;
  requesters(): Listing;
  requester(id: number): string | undefined;
  keyOwner(key: string): KeyOwner | undefined;
}

interface Entry<T> {
  record: T;
  json: string | null;
}

function jsonOf<T>(entry: Entry<T>): string {
  entry.json ??= JSON.stringify(entry.record);
  return entry.json;
}

function listing<T>(entries: readonly Entry<T>[]): Listing {
  return { count: entries.length, slice: (start, end) => entries.slice(start, end).map(jsonOf) };
}

function matches(agent: SimAgent, filter: AgentFilter): boolean {
  if (filter.active !== undefined && agent.active !== filter.active) {
    return false;
  }
  return filter.state === undefined || agent.occasional === (filter.state === 'occasional');
}

function keyOwners(account: SimAccount): Map<string, KeyOwner> {
  const adminRoles = new Set(account.roles.filter(isAdminLevelRole).map((role) => role.id));
  const agentsById = new Map(account.agents.map((agent) => [agent.id, agent]));
  const owners = new Map<string, KeyOwner>();
  for (const apiKey of account.apiKeys) {
    const agent = agentsById.get(apiKey.agentId);
    if (agent !== undefined) {
      const adminLevel = agent.roles.some((assignment) => adminRoles.has(assignment.role_id));
      owners.set(apiKey.key, { agent, apiEnabled: apiKey.apiEnabled, adminLevel });
    }
  }
  return owners;
}

function groupByEmail(entries: readonly Entry<SimAgent>[]): Map<string, Entry<SimAgent>[]> {
  const byEmail = new Map<string, Entry<SimAgent>[]>();
  for (const entry of entries) {
    const email = entry.record.email.toLowerCase();
    const sameEmail = byEmail.get(email);
    if (sameEmail === undefined) {
      byEmail.set(email, [entry]);
    } else {
      sameEmail.push(entry);
    }
  }
  return byEmail;
}

export function buildCatalogue(account: SimAccount): Catalogue {
  const agentEntries: Entry<SimAgent>[] = account.agents.map((record) => ({ record, json: null }));
  const roleEntries = account.roles.map((record) => ({ record, json: null as string | null }));
  const agentsById = new Map(agentEntries.map((entry) => [entry.record.id, entry]));
  const rolesById = new Map(roleEntries.map((entry) => [entry.record.id, entry]));
  const requesterEntries: Entry<SimRequester>[] = account.requesters.map((record) => ({ record, json: null }));
  const requestersById = new Map(requesterEntries.map((entry) => [entry.record.id, entry]));
  const byEmail = groupByEmail(agentEntries);
  const views = new Map<string, Listing>();
  const owners = keyOwners(account);

  const filtered = (filter: AgentFilter): Listing => {
    const viewKey = `${String(filter.active)}|${String(filter.state)}`;
    const view = views.get(viewKey) ?? listing(agentEntries.filter((entry) => matches(entry.record, filter)));
    views.set(viewKey, view);
    return view;
  };

  const agents = (filter: AgentFilter): Listing => {
    if (filter.email === undefined) {
      return filtered(filter);
    }
    const sameEmail = byEmail.get(filter.email.toLowerCase()) ?? [];
    return listing(sameEmail.filter((entry) => matches(entry.record, filter)));
  };

  const single = <T>(entry: Entry<T> | undefined): string | undefined => (entry === undefined ? undefined : jsonOf(entry));

  return {
    agents,
    agent: (id) => single(agentsById.get(id)),
    roles: () => listing(roleEntries),
    role: (id) => single(rolesById.get(id)),
    requesters: () => listing(requesterEntries),
    requester: (id) => single(requestersById.get(id)),
    keyOwner: (key) => owners.get(key),
  };
}
