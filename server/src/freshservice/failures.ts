import { z } from 'zod';
import { AppError } from '../errors';

/** What `$request.invokeTemplate` rejects with (FDK Platform 3.0). */
const templateFailureSchema = z.object({
  status: z.number().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  errorSource: z.string().optional(),
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

const FRESHSERVICE_ANSWERS: Record<number, () => AppError> = {
  401: () =>
    new AppError(401, 'KEY_INVALID', 'Freshservice rejected the API key in the app settings: it is wrong or has been disabled. Enter a working key in the app settings.'),
  403: () =>
    new AppError(403, 'KEY_OWNER_NOT_ADMIN', "The API key's owner lacks permission to view agents and roles. Use the key of an agent with an admin role (Account Admin or Admin)."),
  404: () => new AppError(404, 'NOT_FOUND', 'No such agent in Freshservice.'),
};

function rateLimited(failure: TemplateFailure): AppError {
  const seconds = retryAfterSeconds(failure.headers);
  return new AppError(429, 'RATE_LIMITED', `Freshservice's rate limit was reached. Retry after ${seconds} seconds.`, seconds);
}

function readFailure(rejection: unknown): TemplateFailure {
  const parsed = templateFailureSchema.safeParse(rejection);
  return parsed.success ? parsed.data : {};
}

function isPlatformRefusal(failure: TemplateFailure, status: number): boolean {
  return failure.errorSource === 'PLATFORM' && [400, 403, 415].includes(status);
}

/** Maps a rejected template call to an error an admin can act on. */
export function toAppError(rejection: unknown): AppError {
  const failure = readFailure(rejection);
  const status = failure.status ?? 0;
  if (status === 429) {
    return rateLimited(failure);
  }
  if (isPlatformRefusal(failure, status)) {
    return platformRefusal(status);
  }
  const known = FRESHSERVICE_ANSWERS[status];
  return known ? known() : unavailable();
}
