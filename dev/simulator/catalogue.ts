import type { AgentPredicate } from './agent-query';
import type { SimAccount, SimAgent, SimRequester } from './schema';
import { isAdminLevelRole } from './role-type';

/**
 * The account prepared for serving: each record is serialized once, the first time it is
 * served, and kept, so a page is a slice and a join rather than a hundred JSON.stringify
 * calls, and starting with 50,000 agents does not pay for pages nobody reads.
 */

export type AgentState = 'fulltime' | 'occasional';

/** Filters both lists take: exact email (any case) and phone numbers, and active. */
interface UserFilter {
  active?: boolean | undefined;
  email?: string | undefined;
  mobile_phone_number?: string | undefined;
  work_phone_number?: string | undefined;
}

export interface AgentFilter extends UserFilter {
  state?: AgentState | undefined;
  /** The parsed `query` filter (agent-query.ts). */
  query?: AgentPredicate | undefined;
}

export type RequesterFilter = UserFilter;

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
  /** Requesters matching the filter, in account order. */
  requesters(filter: RequesterFilter): Listing;
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

/** active and the phone numbers; the email is looked up by the caller (agents) or here (requesters). */
function matchesUser(user: SimAgent | SimRequester, filter: UserFilter): boolean {
  const samePhone = (field: 'mobile_phone_number' | 'work_phone_number') => filter[field] === undefined || user[field] === filter[field];
  return (filter.active === undefined || user.active === filter.active) && samePhone('mobile_phone_number') && samePhone('work_phone_number');
}

function matches(agent: SimAgent, filter: AgentFilter): boolean {
  const sameState = filter.state === undefined || agent.occasional === (filter.state === 'occasional');
  return sameState && matchesUser(agent, filter) && (filter.query === undefined || filter.query(agent));
}

/** A requester's email filter matches the primary or a secondary address, in any case. */
function hasEmail(requester: SimRequester, email: string): boolean {
  const wanted = email.toLowerCase();
  const secondary = Array.isArray(requester['secondary_emails']) ? requester['secondary_emails'] : [];
  return [requester.primary_email, ...secondary].some((address) => typeof address === 'string' && address.toLowerCase() === wanted);
}

function matchesRequester(requester: SimRequester, filter: RequesterFilter): boolean {
  return (filter.email === undefined || hasEmail(requester, filter.email)) && matchesUser(requester, filter);
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
    if (filter.email !== undefined) {
      const sameEmail = byEmail.get(filter.email.toLowerCase()) ?? [];
      return listing(sameEmail.filter((entry) => matches(entry.record, filter)));
    }
    const { mobile_phone_number: mobile, work_phone_number: work, query } = filter;
    const onlyCachedFilters = mobile === undefined && work === undefined && query === undefined;
    return onlyCachedFilters ? filtered(filter) : listing(agentEntries.filter((entry) => matches(entry.record, filter)));
  };

  const single = <T>(entry: Entry<T> | undefined): string | undefined => (entry === undefined ? undefined : jsonOf(entry));

  return {
    agents,
    agent: (id) => single(agentsById.get(id)),
    roles: () => listing(roleEntries),
    role: (id) => single(rolesById.get(id)),
    requesters: (filter) => listing(requesterEntries.filter((entry) => matchesRequester(entry.record, filter))),
    requester: (id) => single(requestersById.get(id)),
    keyOwner: (key) => owners.get(key),
  };
}
