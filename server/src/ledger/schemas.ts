/**
 * What the ledger keeps in $db. Every agent's history is a chain of immutable events
 * (`e:<agent>:<version>`, versions 1, 2, 3, ... with no gap), each created exactly once with
 * setIf not_exist and carrying the change and the agent's whole record after it. The head's
 * index entry names the newest published version. Stored values are a boundary like any
 * other (sealed, then parsed), and the types the ledger uses are inferred from these schemas.
 */
import { z } from 'zod';

export const personSchema = z.object({ id: z.number().int().positive(), name: z.string() });

export const apiKeyStateSchema = z.enum(['none', 'requested', 'enabled', 'declined']);
export const adminActionSchema = z.enum(['opened', 'enabled', 'declined', 'undo']);
export const ledgerActionSchema = z.enum(['requested', 'opened', 'enabled', 'declined', 'undo']);

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
  decisionNote: z.string().nullable(),
  canUndo: z.boolean(),
  updatedAt: z.string().nullable(),
  version: z.number().int().nonnegative(),
});

/** One change as it happened: who did what, when, with which note, from which state to which. */
export const ledgerChangeSchema = z.object({
  at: z.string(),
  actor: personSchema,
  action: ledgerActionSchema,
  note: z.string().nullable(),
  from: apiKeyStateSchema,
  to: apiKeyStateSchema,
});

/** `e:<agent>:<version>`: created once, never changed. */
export const ledgerEventSchema = z.object({
  version: z.number().int().positive(),
  change: ledgerChangeSchema,
  record: apiKeyRecordSchema,
  /** The state `undo` returns to; null when there is nothing to undo. */
  undoTo: apiKeyStateSchema.nullable(),
  /** The agent's email when the change was made (absent in events recorded before it was kept). */
  targetEmail: z.string().max(254).optional(),
});

export type StoredRecord = z.infer<typeof apiKeyRecordSchema>;
export type LedgerEvent = z.infer<typeof ledgerEventSchema>;
export type StoredChange = z.infer<typeof ledgerChangeSchema>;
export type StoredPerson = z.infer<typeof personSchema>;
export type StoredState = z.infer<typeof apiKeyStateSchema>;
export type StoredAction = z.infer<typeof ledgerActionSchema>;

/** Logical name of an event (SealedStore.keyOf turns it into the $db key). */
export function eventName(agentId: number, version: number): string {
  return `e:${agentId}:${version}`;
}
