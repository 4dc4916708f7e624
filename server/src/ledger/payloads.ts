/**
 * Payloads of the ledger's server methods (shapes in common/ledger.ts). Extra keys (iparams,
 * FDK's own) are dropped, never read. Reasons and notes follow the stored-size rules of text.ts.
 */
import { z } from 'zod';
import { agentIdSchema } from '../audit/payloads';
import { OVERFLOW_SHARDS } from '../store/head';
import { adminActionSchema } from './schemas';
import { noteSchema, reasonSchema } from './text';


export const requestApiKeyPayloadSchema = z.object({
  actorId: agentIdSchema,
  reason: reasonSchema,
});

export const recordApiKeyActionPayloadSchema = z.object({
  actorId: agentIdSchema,
  targetId: agentIdSchema,
  action: adminActionSchema,
  note: noteSchema,
});

export const getApiKeyStatePayloadSchema = z.object({ agentId: agentIdSchema });

/** The cursor names the next overflow shard of the index (`o<shard>`); without one the listing starts at the head. */
export const listApiKeyIndexPayloadSchema = z.object({
  cursor: z
    .string()
    .regex(/^o\d{1,2}$/, 'an opaque cursor from the previous page')
    .nullish()
    .transform((cursor) => (cursor ? Number(cursor.slice(1)) : null))
    .refine((shard) => shard === null || shard < OVERFLOW_SHARDS, 'an opaque cursor from the previous page'),
});

export const getApiKeyHistoryPayloadSchema = z.object({
  agentId: agentIdSchema,
  before: z.number().int().positive().max(1_000_000).nullish().transform((before) => before ?? null),
});
