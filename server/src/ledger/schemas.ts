/**
 * Schemas of what the ledger keeps in $db. Stored values are a boundary too (another version
 * of the app, or a hand edit, may have written them), so every read is parsed; the types the
 * rest of the ledger uses are inferred from these schemas.
 */
import { z } from 'zod';

export const personSchema = z.object({ id: z.number().int(), name: z.string() });

export const apiKeyStateSchema = z.enum(['none', 'requested', 'enabled', 'declined']);
export const adminActionSchema = z.enum(['opened', 'enabled', 'declined', 'undo']);
export const ledgerActionSchema = z.enum(['requested', 'opened', 'enabled', 'declined', 'undo']);

export const trailEntrySchema = z.object({
  at: z.string(),
  actor: personSchema,
  action: ledgerActionSchema,
  target: personSchema,
  from: apiKeyStateSchema,
  to: apiKeyStateSchema,
  note: z.string().nullable(),
});

export const apiKeyRecordSchema = z.object({
  agent: personSchema,
  state: apiKeyStateSchema,
  requestedBy: personSchema.nullable(),
  requestedAt: z.string().nullable(),
  reason: z.string().nullable(),
  openedBy: personSchema.nullable(),
  openedAt: z.string().nullable(),
  decidedBy: personSchema.nullable(),
  decidedAt: z.string().nullable(),
  canUndo: z.boolean(),
  updatedAt: z.string().nullable(),
});

/**
 * One immutable version of an agent's record (`akey:v:<agent>:<version>`), written once with
 * setIf not_exist. It carries the change that produced it and the pages it is indexed on, so
 * publishing it again after a crash or a race writes exactly the same attributes.
 */
export const agentVersionSchema = z.object({
  version: z.number().int().positive(),
  record: apiKeyRecordSchema,
  /** The state `undo` returns to; null when there is nothing to undo. */
  undoTo: apiKeyStateSchema.nullable(),
  change: trailEntrySchema,
  /** The pending-index page of the agent's latest request (kept after it is decided, for clean-up). */
  pendingPage: z.number().int().nonnegative().nullable(),
  trailPage: z.number().int().nonnegative(),
});

/** `akey:summary`: which agents are pending on which page, and hints for choosing pages. */
export const ledgerSummarySchema = z.object({
  /** `a<agentId>` → pending-index page. The authority on who is pending. */
  pending: z.record(z.string(), z.number().int().nonnegative()),
  /** The page new requests fill (a hint; the pending map is checked too). */
  openPage: z.number().int().nonnegative(),
  /** Changes recorded so far (a hint that may run a little ahead after a re-publish): picks the trail page. */
  trailCount: z.number().int().nonnegative(),
});

/**
 * `akey:s:<bucket>`: the states index. `states.a<agentId>` holds the agent's current state (never
 * `none`: those are removed), the version it came from and when it changed, packed small so a
 * bucket holds thousands (states-index.ts reads and writes it): `e12.mjx5k2p0` is "enabled,
 * from version 12, changed at mjx5k2p0 (milliseconds since 1970, in base 36)".
 */
export const stateBucketSchema = z.object({
  states: z.record(z.string().regex(/^a\d{1,16}$/), z.string().regex(/^[red]\d{1,9}\.[0-9a-z]{1,11}$/)),
});

/** `akey:s:buckets`: `b<bucket>: true` for every state bucket ever created (buckets are never deleted). */
export const stateBucketsSchema = z.record(z.string().regex(/^b\d{1,3}$/), z.boolean());

export const pendingPageSchema = z.object({ entries: z.record(z.string(), apiKeyRecordSchema) });
export const trailPageSchema = z.object({ entries: z.record(z.string(), trailEntrySchema) });

export type AgentVersion = z.infer<typeof agentVersionSchema>;
export type LedgerSummary = z.infer<typeof ledgerSummarySchema>;
export type StoredRecord = z.infer<typeof apiKeyRecordSchema>;
export type StoredTrailEntry = z.infer<typeof trailEntrySchema>;
export type StoredPerson = z.infer<typeof personSchema>;
export type StoredState = z.infer<typeof apiKeyStateSchema>;
export type StoredAction = z.infer<typeof ledgerActionSchema>;

export const EMPTY_SUMMARY: LedgerSummary = { pending: {}, openPage: 0, trailCount: 0 };
