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

export const userAccessPayloadSchema = z
  .object({
    userId: agentIdSchema.optional(),
    // Checked here, not left to Freshservice (which refuses a malformed address with a 400 the app would blame on itself).
    email: z.string().trim().max(254).pipe(z.email('an email address such as ana@example.com')).optional(),
  })
  .refine((payload) => payload.userId !== undefined || payload.email !== undefined, {
    message: 'send userId or email',
    path: ['userId'],
  });

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

/** listAccountAdmins takes no fields; parsing still rejects a payload that is not an object. */
export const accountAdminsPayloadSchema = z.object({});
