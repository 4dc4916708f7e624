import { z } from 'zod';
import { AppError } from '../errors';

/** What `$request.invokeTemplate` rejects with (FDK Platform 3.0). */
const templateFailureSchema = z.object({
  status: z.number().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  errorSource: z.string().optional(),
  /** Freshservice's raw body (a string in FDK; tolerated already parsed). */
  response: z.unknown().optional(),
});
export type TemplateFailure = z.infer<typeof templateFailureSchema>;

/** When Freshservice (or the platform) sends a 429 without Retry-After, wait a full rate-limit minute. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  const value: unknown = entry?.[1];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function retryAfterSeconds(headers: Record<string, unknown> | undefined): number {
  const seconds = Number(headerValue(headers, 'retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : DEFAULT_RETRY_AFTER_SECONDS;
}

function unavailable(): AppError {
  return new AppError(
    503,
    'FRESHSERVICE_UNAVAILABLE',
    'Freshservice did not answer (server error, timeout or connection failure). Try again in a few minutes.',
  );
}

/** Errors the platform raises before Freshservice is reached: the template could not be built or the host is not allowed. */
function platformRefusal(status: number): AppError {
  return new AppError(
    500,
    'INTERNAL',
    `The app could not build its request to Freshservice (platform status ${status}). Check the Freshservice domain in the app settings.`,
  );
}

/** How messages name the call that failed (e.g. "the list of agents"). */
export interface FailedCall {
  what: string;
}

const UNNAMED_CALL: FailedCall = { what: 'a request' };

/** Freshservice's validation answer: `{ description, errors: [{ field, message, code }] }`. Only a plain field name is repeated. */
const validationErrorSchema = z.object({
  errors: z.array(z.object({ field: z.string().regex(/^[A-Za-z0-9_.[\]-]{1,64}$/) })).min(1),
});

function parsedBody(response: unknown): unknown {
  if (typeof response !== 'string') {
    return response;
  }
  try {
    return JSON.parse(response) as unknown;
  } catch {
    return null;
  }
}

function refusedField(failure: TemplateFailure): string | null {
  const parsed = validationErrorSchema.safeParse(parsedBody(failure.response));
  return parsed.success ? (parsed.data.errors[0]?.field ?? null) : null;
}

/** A Freshservice 400 means the app sent something Freshservice will not take: nothing the admin can fix, so it goes to the developer. */
function refusedRequest(call: FailedCall, failure: TemplateFailure): AppError {
  const field = refusedField(failure);
  const named = field === null ? '' : ` (Freshservice named the field "${field}")`;
  return new AppError(
    502,
    'BAD_RESPONSE',
    `Freshservice refused the app's request for ${call.what}${named}. This is a fault in the app, not in your settings: report it to the app developer.`,
  );
}

/** Every template reads a list (of roles or agents) that always exists on a Freshservice account: a 404 means the domain is wrong. */
function notFound(call: FailedCall): AppError {
  return new AppError(
    500,
    'INTERNAL',
    `Freshservice answered "not found" for ${call.what}: no Freshservice account API was found at the domain in the app settings. Check the Freshservice domain in the app settings.`,
  );
}

const FRESHSERVICE_ANSWERS: Record<number, (call: FailedCall, failure: TemplateFailure) => AppError> = {
  400: refusedRequest,
  401: () =>
    new AppError(401, 'KEY_INVALID', 'Freshservice rejected the API key in the app settings: it is wrong or has been disabled. Enter a working key in the app settings.'),
  403: () =>
    new AppError(403, 'KEY_OWNER_NOT_ADMIN', "The API key's owner lacks permission to view agents and roles. Use the key of an agent with an admin role (Account Admin or Admin)."),
  404: notFound,
};

/**
 * A 429: FDK's own limit of 50 template requests a minute arrives with errorSource "PLATFORM"
 * (Freshworks' request-method docs list 429 among the platform's error codes), Freshservice's
 * with errorSource "APP". Each message ends "Retry after N seconds.": the widget reads the wait
 * from it when the platform forwards only the status and the message (app/src/kit.ts).
 */
function rateLimited(failure: TemplateFailure): AppError {
  const seconds = retryAfterSeconds(failure.headers);
  if (failure.errorSource === 'PLATFORM') {
    return new AppError(429, 'APP_RATE_LIMITED', `The app reached the platform's limit of 50 requests a minute to Freshservice for this installation (Freshservice itself is fine). Retry after ${seconds} seconds.`, seconds);
  }
  return new AppError(429, 'RATE_LIMITED', `Freshservice's rate limit for your account was reached. Retry after ${seconds} seconds.`, seconds);
}

function readFailure(rejection: unknown): TemplateFailure {
  const parsed = templateFailureSchema.safeParse(rejection);
  return parsed.success ? parsed.data : {};
}

function isPlatformRefusal(failure: TemplateFailure, status: number): boolean {
  return failure.errorSource === 'PLATFORM' && [400, 403, 415].includes(status);
}

/** Maps a rejected template call to an error an admin can act on. */
export function toAppError(rejection: unknown, call: FailedCall = UNNAMED_CALL): AppError {
  const failure = readFailure(rejection);
  const status = failure.status ?? 0;
  if (status === 429) {
    return rateLimited(failure);
  }
  if (isPlatformRefusal(failure, status)) {
    return platformRefusal(status);
  }
  const known = FRESHSERVICE_ANSWERS[status];
  return known ? known(call, failure) : unavailable();
}
