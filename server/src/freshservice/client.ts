import type { z } from 'zod';
import { AppError } from '../errors';
import type { TemplateClient, TemplateInvocation } from '../platform';
import { headerValue, toAppError } from './failures';
import type { TemplateName } from './templates';

export type TemplateContext = NonNullable<TemplateInvocation['context']>;

export interface FreshserviceAnswer<T> {
  data: T;
  headers: Record<string, string | undefined>;
}

/** Names the first invalid field of a response, e.g. `agents[3].email`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`), '');
}

function badResponse(what: string, detail: string): AppError {
  return new AppError(502, 'BAD_RESPONSE', `Freshservice answered ${what} with something the app cannot read: ${detail}.`);
}

function parseJson(what: string, body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw badResponse(what, 'the body is not JSON');
  }
}

/** Parses a raw template body with a schema; any mismatch becomes BAD_RESPONSE naming the field. */
export function readBody<S extends z.ZodType>(what: string, body: string, schema: S): z.infer<S> {
  const json = parseJson(what, body);
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue ? fieldPath(issue.path) : '';
    throw badResponse(what, field ? `field "${field}" is missing or invalid` : 'unexpected shape');
  }
  return result.data;
}

function isSuccess(status: unknown): boolean {
  return typeof status === 'number' && status >= 200 && status < 300;
}

/**
 * Invokes one request template and parses its answer. `what` names the call in messages
 * (e.g. "the list of agents"); the context never reaches a log.
 *
 * FDK's docs do not say whether a non-2xx answer from Freshservice rejects or resolves
 * (docs/platform-contract.md): a resolved answer whose status is not 2xx is treated exactly like
 * that rejection, so an error page is never parsed as data.
 */
export async function callTemplate<S extends z.ZodType>(
  request: TemplateClient,
  name: TemplateName,
  context: TemplateContext,
  what: string,
  schema: S,
): Promise<FreshserviceAnswer<z.infer<S>>> {
  const call = { what };
  let answer;
  try {
    answer = await request.invokeTemplate(name, { context });
  } catch (rejection) {
    throw toAppError(rejection, call);
  }
  if (!isSuccess(answer.status)) {
    throw toAppError({ ...answer, errorSource: 'APP' }, call);
  }
  return { data: readBody(what, answer.response, schema), headers: answer.headers ?? {} };
}

/** Freshservice's X-RateLimit-Remaining, when it sent one. */
export function rateLimitRemaining(headers: Record<string, string | undefined>): number | null {
  const value = headerValue(headers, 'x-ratelimit-remaining');
  const remaining = value === undefined ? NaN : Number(value);
  return Number.isFinite(remaining) ? remaining : null;
}
