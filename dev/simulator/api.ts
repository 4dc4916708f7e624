import { z } from 'zod';
import { parseAgentQuery } from './agent-query';
import type { Catalogue, KeyOwner, Listing } from './catalogue';
import type { Faults } from './faults';
import type { RateLimiter } from './rate-limits';
import {
  accessDenied,
  invalidCredentials,
  jsonReply,
  methodNotAllowed,
  notFound,
  rateLimited,
  validationFailed,
  type FieldError,
  type SimReply,
} from './responses';

/** Serves /api/v2 the way Freshservice does: rate limit, faults, auth, route, then the data. */

export const API_PREFIX = '/api/v2';

export interface ApiContext {
  catalogue: Catalogue;
  limiter: RateLimiter;
  faults: Faults;
  /** Where the simulator listens, for Link headers: http://127.0.0.1:4010 */
  baseUrl: string;
}

export interface ApiRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
}

const positiveNumber = 'It should be a Positive Number';
const perPageMessage = 'It should be a Positive Number less than or equal to 100';
/**
 * Freshservice's answer to a query parameter the endpoint does not take: 400 "Validation failed"
 * with this message and code `invalid_field` (a captured real answer:
 * jeffshurtliff/freshpy examples/api_responses/failed_invalid-field.json, commit f8d0cecb).
 */
const UNEXPECTED_FIELD = 'Unexpected/invalid field in request';

const pagingShape = {
  page: z.string().regex(/^0*[1-9]\d*$/, positiveNumber).transform(Number).optional(),
  per_page: z
    .string()
    .regex(/^\d+$/, perPageMessage)
    .transform(Number)
    .refine((value) => value >= 1 && value <= 100, perPageMessage)
    .optional(),
};
const activeFilter = z.enum(['true', 'false'], "It should be one of these values: 'true,false'").transform((value) => value === 'true').optional();
const emailFilter = z.email("It should be in the 'valid email address' format").optional();
const phoneFilters = { mobile_phone_number: z.string().optional(), work_phone_number: z.string().optional() };
const notSimulated = (name: string) => z.never(`The simulator does not answer ${name} on this endpoint (docs/simulator.md)`).optional();

/**
 * GET /agents: "List All Agents" filters email, mobile_phone_number, work_phone_number, active,
 * state, and "Filter Agents" `query` (api.freshservice.com #list_all_agents and #filter_agents,
 * restated in askasoft/pango sdk/fdk/freshservice/agents.go, commit 10f816cb: ListAgentsOption,
 * FilterAgents).
 */
const agentFilterSchema = z.strictObject({
  ...pagingShape,
  ...phoneFilters,
  active: activeFilter,
  state: z.enum(['fulltime', 'occasional'], "It should be one of these values: 'fulltime,occasional'").optional(),
  email: emailFilter,
  query: z
    .string()
    .transform((text, ctx) => {
      const parsed = parseAgentQuery(text);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed.matches;
    })
    .optional(),
});

/**
 * GET /requesters: email, mobile_phone_number and work_phone_number (Workato's Freshservice
 * "Search requester" action, https://docs.workato.com/connectors/freshservice/search-requester-action.html),
 * active (https://glama.ai/mcp/servers/angel-pandey/mcp-freshservice/tools/get_all_requesters),
 * `query` and `include_agents` (flycastpartnersinc/FreshservicePS
 * FreshservicePS/Public/Requesters/Get-FreshServiceRequester.ps1 sends both; not simulated: 400).
 */
const requesterFilterSchema = z.strictObject({
  ...pagingShape,
  ...phoneFilters,
  active: activeFilter,
  email: emailFilter,
  query: notSimulated('query'),
  include_agents: notSimulated('include_agents'),
});

/** GET /roles takes paging only; a single record (/agents/{id}, /agents/me, /roles/{id}, /requesters/{id}) takes nothing. */
const rolePagingSchema = z.strictObject(pagingShape);
const noQuerySchema = z.strictObject({});

type Parsed<T> = { ok: true; value: T } | { ok: false; reply: SimReply };

function fieldErrors(issue: z.core.$ZodIssue): FieldError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((field) => ({ field, message: UNEXPECTED_FIELD, code: 'invalid_field' }));
  }
  return [{ field: String(issue.path[0] ?? ''), message: issue.message, code: 'invalid_value' }];
}

/** The query as the endpoint takes it, or Freshservice's 400 body: one error per bad or unknown field, in the query's order. */
function parseQuery<T>(schema: z.ZodType<T>, url: URL): Parsed<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const byField = new Map<string, FieldError>();
  for (const error of parsed.error.issues.flatMap(fieldErrors)) {
    byField.set(error.field, byField.get(error.field) ?? error);
  }
  const order = [...url.searchParams.keys()];
  const errors = [...byField.values()].sort((left, right) => order.indexOf(left.field) - order.indexOf(right.field));
  return { ok: false, reply: validationFailed(errors) };
}

/** The next page as Freshservice writes it: the request's own query with page moved on. */
function nextLink(context: ApiContext, url: URL, page: number): string {
  const next = new URLSearchParams(url.searchParams);
  next.set('page', String(page + 1));
  return `<${context.baseUrl}${url.pathname}?${next.toString()}>; rel="next"`;
}

interface Paging {
  page?: number | undefined;
  per_page?: number | undefined;
}

function pageReply(context: ApiContext, url: URL, key: string, items: Listing, paging: Paging): SimReply {
  const page = paging.page ?? 1;
  const perPage = paging.per_page ?? 30;
  const start = (page - 1) * perPage;
  const body = `{"${key}":[${items.slice(start, start + perPage).join(',')}]}`;
  const hasNext = start + perPage < items.count;
  return jsonReply(200, body, hasNext ? { Link: nextLink(context, url, page) } : {});
}

/** A page of the records `select` picks with the parsed query, or the 400 for a query the endpoint does not take. */
function list<T extends Paging>(context: ApiContext, url: URL, key: string, schema: z.ZodType<T>, select: (query: T) => Listing): SimReply {
  const query = parseQuery(schema, url);
  return query.ok ? pageReply(context, url, key, select(query.value), query.value) : query.reply;
}

function single(url: URL, key: string, json: string | undefined): SimReply {
  const query = parseQuery(noQuerySchema, url);
  if (!query.ok) {
    return query.reply;
  }
  return json === undefined ? notFound() : jsonReply(200, `{"${key}":${json}}`);
}

interface Route {
  pattern: RegExp;
  /** /agents/me answers any valid key; everything else needs an admin-level role. */
  anyAgent: boolean;
  answer(context: ApiContext, url: URL, owner: KeyOwner, id: number): SimReply;
}

const routes: readonly Route[] = [
  { pattern: /^\/agents$/, anyAgent: false, answer: (context, url) => list(context, url, 'agents', agentFilterSchema, (query) => context.catalogue.agents(query)) },
  { pattern: /^\/agents\/me$/, anyAgent: true, answer: (_context, url, owner) => single(url, 'agent', JSON.stringify(owner.agent)) },
  { pattern: /^\/agents\/(\d+)$/, anyAgent: false, answer: (context, url, _owner, id) => single(url, 'agent', context.catalogue.agent(id)) },
  { pattern: /^\/roles$/, anyAgent: false, answer: (context, url) => list(context, url, 'roles', rolePagingSchema, () => context.catalogue.roles()) },
  { pattern: /^\/roles\/(\d+)$/, anyAgent: false, answer: (context, url, _owner, id) => single(url, 'role', context.catalogue.role(id)) },
  { pattern: /^\/requesters$/, anyAgent: false, answer: (context, url) => list(context, url, 'requesters', requesterFilterSchema, (query) => context.catalogue.requesters(query)) },
  { pattern: /^\/requesters\/(\d+)$/, anyAgent: false, answer: (context, url, _owner, id) => single(url, 'requester', context.catalogue.requester(id)) },
];

/** The key is the Basic username; Freshservice ignores the password ("X" by convention). */
function apiKeyFrom(authorization: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const key = decoded.split(':')[0] ?? '';
  return key === '' ? null : key;
}

function authenticate(context: ApiContext, authorization: string | undefined): KeyOwner | null {
  const key = apiKeyFrom(authorization);
  const owner = key === null ? undefined : context.catalogue.keyOwner(key);
  return owner !== undefined && owner.apiEnabled && owner.agent.active ? owner : null;
}

/** Why a known route refuses this request, or null when it may answer. */
function refusal(request: ApiRequest, found: Route, owner: KeyOwner): SimReply | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return methodNotAllowed(request.method, ['GET']);
  }
  return found.anyAgent || owner.adminLevel ? null : accessDenied();
}

function route(context: ApiContext, request: ApiRequest, owner: KeyOwner): SimReply {
  const path = request.url.pathname.slice(API_PREFIX.length);
  const found = routes.find((candidate) => candidate.pattern.test(path));
  if (found === undefined) {
    return notFound();
  }
  const id = Number(found.pattern.exec(path)?.[1] ?? 0);
  return refusal(request, found, owner) ?? found.answer(context, request.url, owner, id);
}

function requestedPage(url: URL): number {
  const page = Number(url.searchParams.get('page') ?? '1');
  return Number.isInteger(page) ? page : 0;
}

export function answerApi(context: ApiContext, request: ApiRequest): SimReply {
  const listsAgents = request.url.pathname === `${API_PREFIX}/agents`;
  const limit = context.limiter.record(listsAgents);
  const withLimits = (reply: SimReply): SimReply => ({ ...reply, headers: { ...reply.headers, ...limit.headers } });
  if (limit.limited) {
    return withLimits(rateLimited(limit.retryAfterSeconds));
  }
  const injected = context.faults.intercept(request.url.pathname, requestedPage(request.url));
  if (injected !== null) {
    return withLimits(injected);
  }
  const owner = authenticate(context, request.authorization);
  return withLimits(owner === null ? invalidCredentials() : route(context, request, owner));
}
