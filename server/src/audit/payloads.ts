import { z } from 'zod';
import { AppError } from '../errors';
import type { ServerArgs } from '../platform';

/** Payloads of the audit server methods. Extra keys (iparams, FDK's own) are dropped, never read. */
export const accessOverviewPayloadSchema = z.object({
  cursor: z.string().max(90_000).nullish(),
  includeDeactivated: z.boolean().optional(),
});

/** An agent id in any payload: Freshservice ids exceed 2^31 (e.g. 21000049726), plain safe integers, never text. */
export const agentIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * An agent's email in any payload: agents are read from Freshservice by email. Checked here, not
 * left to Freshservice (which refuses a malformed address with a 400 the app would blame on itself).
 */
export const emailSchema = z.string().trim().max(254).pipe(z.email('an email address such as ana@example.com'));

export const userAccessPayloadSchema = z.object({ email: emailSchema });

function fieldName(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : 'payload';
}

/** Parses the browser's payload; a bad one answers 400 INVALID_PAYLOAD naming the field. */
export function readPayload<S extends z.ZodType>(schema: S, args: ServerArgs): z.infer<S> {
  const result = schema.safeParse(args);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const field = fieldName(issue?.path ?? []);
  throw new AppError(400, 'INVALID_PAYLOAD', `The request to the app is invalid: field "${field}" (${issue?.message ?? 'invalid'}).`);
}
