import { z } from 'zod';
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

const pagingSchema = z.object({
  page: z.string().regex(/^0*[1-9]\d*$/, positiveNumber).transform(Number).optional(),
  per_page: z
    .string()
    .regex(/^\d+$/, perPageMessage)
    .transform(Number)
    .refine((value) => value >= 1 && value <= 100, perPageMessage)
    .optional(),
});

const agentFilterSchema = pagingSchema.extend({
  active: z.enum(['true', 'false'], "It should be one of these values: 'true,false'").transform((value) => value === 'true').optional(),
  state: z.enum(['fulltime', 'occasional'], "It should be one of these values: 'fulltime,occasional'").optional(),
  email: z.email("It should be in the 'valid email address' format").optional(),
  query: z.never('The simulator does not support the query filter; use active, state or email').optional(),
});

type Parsed<T> = { ok: true; value: T } | { ok: false; reply: SimReply };

/** Query values become Freshservice's 400 body, one error per bad field. */
function parseQuery<T>(schema: z.ZodType<T>, url: URL): Parsed<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const byField = new Map<string, FieldError>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    byField.set(field, byField.get(field) ?? { field, message: issue.message, code: 'invalid_value' });
  }
  const errors = [...byField.values()];
  return { ok: false, reply: validationFailed(errors) };
}

/** The next page as Freshservice writes it: the request's own query with page moved on. */
function nextLink(context: ApiContext, url: URL, page: number): string {
  const next = new URLSearchParams(url.searchParams);
  next.set('page', String(page + 1));
  return `<${context.baseUrl}${url.pathname}?${next.toString()}>; rel="next"`;
}

function pageReply(context: ApiContext, url: URL, key: string, items: Listing, paging: { page?: number | undefined; per_page?: number | undefined }): SimReply {
  const page = paging.page ?? 1;
  const perPage = paging.per_page ?? 30;
  const start = (page - 1) * perPage;
  const body = `{"${key}":[${items.slice(start, start + perPage).join(',')}]}`;
  const hasNext = start + perPage < items.count;
  return jsonReply(200, body, hasNext ? { Link: nextLink(context, url, page) } : {});
}

function listAgents(context: ApiContext, url: URL): SimReply {
  const query = parseQuery(agentFilterSchema, url);
  if (!query.ok) {
    return query.reply;
  }
  const { active, state, email } = query.value;
  return pageReply(context, url, 'agents', context.catalogue.agents({ active, state, email }), query.value);
}

/** A list with no filters, only paging: roles and requesters. */
function listAll(context: ApiContext, url: URL, key: 'roles' | 'requesters'): SimReply {
  const query = parseQuery(pagingSchema, url);
  return query.ok ? pageReply(context, url, key, context.catalogue[key](), query.value) : query.reply;
}

function single(key: string, json: string | undefined): SimReply {
  return json === undefined ? notFound() : jsonReply(200, `{"${key}":${json}}`);
}

interface Route {
  pattern: RegExp;
  /** /agents/me answers any valid key; everything else needs an admin-level role. */
  anyAgent: boolean;
  answer(context: ApiContext, url: URL, owner: KeyOwner, id: number): SimReply;
}

const routes: readonly Route[] = [
  { pattern: /^\/agents$/, anyAgent: false, answer: (context, url) => listAgents(context, url) },
  { pattern: /^\/agents\/me$/, anyAgent: true, answer: (_context, _url, owner) => jsonReply(200, `{"agent":${JSON.stringify(owner.agent)}}`) },
  { pattern: /^\/agents\/(\d+)$/, anyAgent: false, answer: (context, _url, _owner, id) => single('agent', context.catalogue.agent(id)) },
  { pattern: /^\/roles$/, anyAgent: false, answer: (context, url) => listAll(context, url, 'roles') },
  { pattern: /^\/roles\/(\d+)$/, anyAgent: false, answer: (context, _url, _owner, id) => single('role', context.catalogue.role(id)) },
  { pattern: /^\/requesters$/, anyAgent: false, answer: (context, url) => listAll(context, url, 'requesters') },
  { pattern: /^\/requesters\/(\d+)$/, anyAgent: false, answer: (context, _url, _owner, id) => single('requester', context.catalogue.requester(id)) },
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
