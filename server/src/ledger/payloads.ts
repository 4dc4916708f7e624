/**
 * Payloads of the ledger's server methods (shapes in common/ledger.ts). Extra keys (iparams,
 * FDK's own) are dropped, never read. Reasons and notes follow the stored-size rules of text.ts.
 */
import { z } from 'zod';
import { agentIdSchema, emailSchema } from '../audit/payloads';
import { MAX_SHARDS } from './ledger-index';
import { adminActionSchema } from './schemas';
import { noteSchema, reasonSchema } from './text';

export const requestApiKeyPayloadSchema = z.object({
  actorId: agentIdSchema,
  actorEmail: emailSchema,
  reason: reasonSchema,
});

export const recordApiKeyActionPayloadSchema = z.object({
  actorId: agentIdSchema,
  actorEmail: emailSchema,
  targetId: agentIdSchema,
  targetEmail: emailSchema,
  action: adminActionSchema,
  note: noteSchema,
});

export const getApiKeyStatePayloadSchema = z.object({ agentId: agentIdSchema });

/**
 * The cursor names the index shard to read next (`x<shard>`); without one the listing starts at
 * the head. Any shard number is harmless: a call reads one shard, whatever it names.
 */
export const listApiKeyIndexPayloadSchema = z.object({
  cursor: z
    .string()
    .regex(/^x\d{1,3}$/, 'an opaque cursor from the previous page')
    .nullish()
    .transform((cursor) => (cursor ? Number(cursor.slice(1)) : null))
    .refine((shard) => shard === null || shard < MAX_SHARDS, 'an opaque cursor from the previous page'),
});

/** `before` continues from the previous page; the server never reads above the agent's newest version, whatever it says. */
export const getApiKeyHistoryPayloadSchema = z.object({
  agentId: agentIdSchema,
  before: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullish().transform((before) => before ?? null),
});
