/**
 * Payloads of the ledger's server methods (shapes in common/ledger.ts). Extra keys (iparams,
 * FDK's own) are dropped, never read. Texts are trimmed; an empty note counts as none.
 */
import { z } from 'zod';
import { MAX_TEXT_LENGTH, STATE_BUCKETS } from './limits';
import { adminActionSchema } from './schemas';

/** Freshservice agent ids are large integers (e.g. 21000049726), well inside JavaScript's exact range. */
const agentIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const noteSchema = z
  .string()
  .trim()
  .max(MAX_TEXT_LENGTH)
  .nullish()
  .transform((note) => (note ? note : null));

function cursorSchema(prefix: string): z.ZodType<number | null> {
  return z
    .string()
    .regex(new RegExp(`^${prefix}\\d{1,6}$`), `an opaque cursor from the previous page`)
    .nullish()
    .transform((cursor) => (cursor ? Number(cursor.slice(prefix.length)) : null));
}

export const requestApiKeyPayloadSchema = z.object({
  actorId: agentIdSchema,
  reason: z.string().trim().min(1).max(MAX_TEXT_LENGTH),
});

export const recordApiKeyActionPayloadSchema = z.object({
  actorId: agentIdSchema,
  targetId: agentIdSchema,
  action: adminActionSchema,
  note: noteSchema,
});

export const getApiKeyStatePayloadSchema = z.object({ agentId: agentIdSchema });

export const listPendingRequestsPayloadSchema = z.object({ cursor: cursorSchema('p') });

export const getAuditTrailPayloadSchema = z.object({ cursor: cursorSchema('t') });

/** The cursor names the next bucket of the states index; without one the listing starts at the first. */
export const listApiKeyStatesPayloadSchema = z.object({
  cursor: cursorSchema('s')
    .refine((bucket) => bucket === null || bucket < STATE_BUCKETS, 'an opaque cursor from the previous page')
    .transform((bucket) => bucket ?? 0),
});
