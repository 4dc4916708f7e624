import type { AccessOverviewSlice, AccessSummary, AgentAccess } from '../../../common/audit';
import { AppError } from '../errors';
import { toAgentAccess } from '../freshservice/access';
import { readAgentPage } from '../freshservice/agents';
import { rateLimitRemaining } from '../freshservice/client';
import { nextPageAfter } from '../freshservice/pagination';
import { cacheRoles, compactRole, expandRole } from '../freshservice/roleCache';
import { MAX_ROLE_PAGES, catalogOf, readRolePage, roleListDidNotEnd, type RoleCatalog } from '../freshservice/roles';
import { consoleGoesOn, consoleOpens } from '../admins/presence';
import type { ScheduleClient, TemplateClient } from '../platform';
import type { Storage } from '../store/storage';
import { cursorBytes, decodeCursor, encodeCursor, firstCursor, type CursorKey, type OverviewCursor } from './cursor';
import { nextRequestNotBefore, requestsInWindow, waitForWindow } from './pacing';
import { jsonBytes } from './size';

/**
 * The access overview, one bounded slice per server-method call. Each call makes at most ONE
 * template request (so it ends inside 20 s even if Freshservice takes its full 15 s), answers
 * well under 100 KB, and says how long to wait before the next call.
 */

/** Target size of one slice's JSON, far under the platform's 100 KB. */
export const SLICE_BUDGET_BYTES = 60_000;
/** An account with more pages than this has a broken Link header (500,000 agents). */
export const MAX_AGENT_PAGES = 5_000;

export interface OverviewDeps {
  request: TemplateClient;
  storage: Storage;
  now: () => number;
  /** Signs the cursors this server issues and verifies those that come back. */
  cursorKey: CursorKey;
  /** To re-create the background refresh when the first slice finds it stopped. */
  schedule?: ScheduleClient;
}

export interface OverviewRequest {
  cursor?: string | null | undefined;
  includeDeactivated?: boolean | undefined;
}

interface Step {
  cursor: OverviewCursor;
  agents: AgentAccess[];
  done: boolean;
  remaining: number | null;
}

function catalogFor(cursor: OverviewCursor): RoleCatalog {
  return catalogOf(cursor.roles.map(expandRole));
}

/** `next` is the signed cursor to continue with, null once the overview is done. */
function sliceOf(cursor: OverviewCursor, agents: AgentAccess[], next: string | null, waitMs: number): AccessOverviewSlice {
  const done = next === null;
  return {
    agents,
    accountAdminRole: catalogFor(cursor).accountAdminRole,
    summary: cursor.summary,
    cursor: next,
    progress: { agentsLoaded: cursor.agentsLoaded, pagesLoaded: cursor.pagesLoaded, done },
    waitMs,
  };
}

async function readRolesStep(cursor: OverviewCursor, deps: OverviewDeps): Promise<Step> {
  const rolePage = await readRolePage(deps.request, cursor.page);
  const roles = [...cursor.roles, ...rolePage.roles.map(compactRole)];
  const remaining = rateLimitRemaining(rolePage.rateLimitHeaders);
  if (rolePage.nextPage !== null) {
    if (cursor.page >= MAX_ROLE_PAGES) {
      throw roleListDidNotEnd();
    }
    return { cursor: { ...cursor, roles, page: rolePage.nextPage }, agents: [], done: false, remaining };
  }
  // The sidebar and the ledger reuse the roles (one $db write per overview), but only roles this
  // call just read from Freshservice: never roles that came back in a cursor. So an account with
  // more than one page of roles is not cached here; the sidebar caches it on its next read.
  if (cursor.page === 1) {
    await cacheRoles(deps.storage, rolePage.roles, deps.now());
  }
  return { cursor: { ...cursor, roles, phase: 'active', page: 1 }, agents: [], done: false, remaining };
}

/** Takes agents in order while the slice (agents + the cursor) stays in budget; at least one. */
function takeWithinBudget(agents: AgentAccess[], cursor: OverviewCursor): AgentAccess[] {
  let bytes = cursorBytes(cursor) + 1_000;
  const taken: AgentAccess[] = [];
  for (const agent of agents) {
    const cost = jsonBytes(agent);
    if (taken.length > 0 && bytes + cost > SLICE_BUDGET_BYTES) {
      break;
    }
    bytes += cost;
    taken.push(agent);
  }
  return taken;
}

function tally(summary: AccessSummary, agents: readonly AgentAccess[]): AccessSummary {
  const active = agents.filter((agent) => agent.active);
  const accountAdmins = active.filter((agent) => agent.isAccountAdmin).length;
  return {
    agents: summary.agents + agents.length,
    accountAdmins: summary.accountAdmins + accountAdmins,
    lackingAccountAdmin: summary.lackingAccountAdmin + active.length - accountAdmins,
    deactivated: summary.deactivated + agents.length - active.length,
  };
}

type Position = Pick<OverviewCursor, 'phase' | 'page' | 'answered' | 'previous' | 'pagesLoaded'> & { done: boolean };

/** Where to continue after finishing a page: its next page, the deactivated agents, or the end. */
function afterPage(cursor: OverviewCursor, nextPage: number | null, pageAgents: readonly AgentAccess[]): Position {
  const pagesLoaded = cursor.pagesLoaded + 1;
  if (nextPage !== null && pagesLoaded >= MAX_AGENT_PAGES) {
    throw new AppError(502, 'BAD_RESPONSE', `Freshservice kept linking to more pages of agents after ${MAX_AGENT_PAGES} pages; the app stopped reading.`);
  }
  const previous = pageAgents.slice(-100).map((agent) => agent.id);
  if (nextPage !== null && pageAgents.length > 0) {
    return { phase: cursor.phase, page: nextPage, answered: [], previous, pagesLoaded, done: false };
  }
  if (cursor.phase === 'active' && cursor.includeDeactivated) {
    return { phase: 'deactivated', page: 1, answered: [], previous: [], pagesLoaded, done: false };
  }
  return { phase: cursor.phase, page: cursor.page, answered: [], previous, pagesLoaded, done: true };
}

async function readAgentsStep(cursor: OverviewCursor, deps: OverviewDeps): Promise<Step> {
  const answer = await readAgentPage(deps.request, cursor.page, cursor.phase === 'active');
  const catalog = catalogFor(cursor);
  const pageAgents = answer.data.agents.map((agent) => toAgentAccess(agent, catalog));
  // By id, not by position: pages shift when agents are added or removed during the overview.
  const unanswered = pageAgents.filter((agent) => !cursor.answered.includes(agent.id) && !cursor.previous.includes(agent.id));
  const taken = takeWithinBudget(unanswered, cursor);
  const nextPage = nextPageAfter(answer.headers, cursor.page, 'agents');
  const { done, ...position }: Position =
    taken.length < unanswered.length
      ? { phase: cursor.phase, page: cursor.page, answered: [...cursor.answered, ...taken.map((agent) => agent.id)], previous: cursor.previous, pagesLoaded: cursor.pagesLoaded, done: false }
      : afterPage(cursor, nextPage, pageAgents);
  const next: OverviewCursor = {
    ...cursor,
    ...position,
    summary: tally(cursor.summary, taken),
    agentsLoaded: cursor.agentsLoaded + taken.length,
  };
  return { cursor: next, agents: taken, done, remaining: rateLimitRemaining(answer.headers) };
}

function finishSlice(step: Step, deps: OverviewDeps): AccessOverviewSlice {
  const finishedAt = deps.now();
  const requestTimes = requestsInWindow([...step.cursor.requestTimes, finishedAt], finishedAt);
  const notBefore = nextRequestNotBefore(requestTimes, finishedAt, step.remaining);
  const cursor = { ...step.cursor, requestTimes, notBefore };
  if (step.done) {
    return sliceOf(cursor, step.agents, null, 0);
  }
  return sliceOf(cursor, step.agents, encodeCursor({ ...cursor, issuedAt: finishedAt }, deps.cursorKey), notBefore - finishedAt);
}

/** Reads the next slice of the overview, or answers an empty slice with the wait left when called too early. */
export async function accessOverviewSlice(request: OverviewRequest, deps: OverviewDeps): Promise<AccessOverviewSlice> {
  const startedAt = deps.now();
  // A new overview counts what the background spent in the last minute: both draw on one budget (pacing.ts).
  const cursor = request.cursor
    ? decodeCursor(request.cursor, deps.cursorKey, startedAt)
    : { ...firstCursor(request.includeDeactivated ?? false, startedAt), requestTimes: await consoleOpens(deps.storage, deps.schedule, deps.now) };
  const waitMs = Math.max(cursor.notBefore - startedAt, waitForWindow(cursor.requestTimes, startedAt));
  if (waitMs > 0) {
    // Called too early: nothing new happened, so the cursor goes back as it came (or as first issued).
    return sliceOf(cursor, [], request.cursor || encodeCursor(cursor, deps.cursorKey), waitMs);
  }
  const step = cursor.phase === 'roles' ? await readRolesStep(cursor, deps) : await readAgentsStep(cursor, deps);
  await consoleGoesOn(deps.storage, cursor.pagesLoaded, step.cursor.pagesLoaded, startedAt);
  return finishSlice(step, deps);
}
