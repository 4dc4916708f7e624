/**
 * Freshservice's error bodies, in one place so a correction is one edit. Sources: platform
 * notes section 7. The 404 and 405 bodies and the validation messages follow the Freshworks
 * API v2 conventions and are unverified against a live Freshservice account. At the end, the
 * simulator's own answers to its control endpoints (not Freshservice's).
 */
import type { z } from 'zod';

export interface SimReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FieldError {
  field: string;
  message: string;
  code: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, body: string, headers: Record<string, string> = {}): SimReply {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body };
}

const bodies = {
  invalidCredentials: { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' },
  accessDenied: { code: 'access_denied', message: 'You are not authorized to perform this action.' },
  internalError: { code: 'internal_error', message: "We're sorry, but something went wrong." },
  rateLimited: { message: 'The API rate limit allotted for your Freshservice domain has been exhausted' },
  notFound: { code: 'not_found', message: 'The requested resource could not be found.' },
} as const;

export const invalidCredentials = (): SimReply => jsonReply(401, JSON.stringify(bodies.invalidCredentials));
export const accessDenied = (): SimReply => jsonReply(403, JSON.stringify(bodies.accessDenied));
export const internalError = (): SimReply => jsonReply(500, JSON.stringify(bodies.internalError));
export const notFound = (): SimReply => jsonReply(404, JSON.stringify(bodies.notFound));

export function rateLimited(retryAfterSeconds: number): SimReply {
  return jsonReply(429, JSON.stringify(bodies.rateLimited), { 'Retry-After': String(retryAfterSeconds) });
}

export function methodNotAllowed(method: string, allowed: readonly string[]): SimReply {
  const body = { code: 'method_not_allowed', message: `${method} method is not allowed. It should be one of these method(s): ${allowed.join(', ')}` };
  return jsonReply(405, JSON.stringify(body), { Allow: allowed.join(', ') });
}

export function validationFailed(errors: readonly FieldError[]): SimReply {
  return jsonReply(400, JSON.stringify({ description: 'Validation failed', errors }));
}

/** The body a status would carry when a fault forces it (a failing page, say). */
export function replyForStatus(status: number): SimReply {
  const known: Record<number, () => SimReply> = {
    401: invalidCredentials,
    403: accessDenied,
    404: notFound,
    429: () => rateLimited(1),
  };
  const reply = known[status]?.() ?? internalError();
  return { ...reply, status };
}

/** A control endpoint's answer: 200 with `value` as JSON. */
export function controlAnswer(value: unknown): SimReply {
  return jsonReply(200, JSON.stringify(value));
}

/** A control request the simulator refuses (its own body, not Freshservice's). */
export function controlRefusal(message: string): SimReply {
  return jsonReply(400, JSON.stringify({ code: 'invalid_simulator_request', message }));
}

/** A control endpoint's JSON body (empty = `{}`) checked with `schema`, or the 400 saying what is wrong with it. */
export function readControlBody<T>(schema: z.ZodType<T>, body: string, what: string): { ok: true; value: T } | { ok: false; reply: SimReply } {
  let json: unknown;
  try {
    json = JSON.parse(body === '' ? '{}' : body) as unknown;
  } catch {
    return { ok: false, reply: controlRefusal(`The body must be JSON: ${what}, see docs/simulator.md.`) };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) {
    return { ok: true, value: parsed.data };
  }
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  return { ok: false, reply: controlRefusal(`Invalid ${what}: ${problems}`) };
}
