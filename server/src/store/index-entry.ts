/**
 * One agent's entry in the ledger's index: the version of their newest record (event
 * `e:<agent>:<version>`), its state, when and by whom it last changed, since when it has been in
 * that state (for a request: when it was made, which orders the queue), and the agent's name as
 * last recorded, for the lists that show it.
 *
 * Nothing a person types is in an entry, and every field has a largest size: the name is cut
 * (at a character boundary, with "…") until the whole stored attribute takes at most
 * ENTRY_MAX_BYTES. So an entry never grows past that, whatever happens to the agent, and a place
 * that holds n entries never takes more than n × ENTRY_MAX_BYTES.
 *
 * Stored packed, base 36, the name last: `ro.7.mwx4n0qs.mwx4a1b2.9nrhn1s2.Chloé Dubois`
 * (state letter, last action letter, version, changed at, since, last actor, name).
 */
import { z } from 'zod';
import type { AgentId } from '../../../common/audit';
import { shortenToFit } from '../shorten';
import { sealedAttributeBytes } from './sealed-store';

/** Largest stored size of one entry (attribute name, sealed value, separators). */
export const ENTRY_MAX_BYTES = 160;

const STATES = { n: 'none', r: 'requested', e: 'enabled', d: 'declined' } as const;
/** One letter per ledger action, as stored here and in an agent's own key (ledger/agent-key.ts). */
export const ACTIONS = { r: 'requested', o: 'opened', e: 'enabled', d: 'declined', u: 'undo' } as const;
type StateLetter = keyof typeof STATES;
export type ActionLetter = keyof typeof ACTIONS;
export type IndexedState = (typeof STATES)[StateLetter];
export type IndexedAction = (typeof ACTIONS)[ActionLetter];
/** The action letters, for a schema. */
export const ACTION_LETTERS = Object.keys(ACTIONS) as [ActionLetter, ...ActionLetter[]];

export interface IndexEntry {
  version: number;
  state: IndexedState;
  /** When the record last changed (ms since the epoch). */
  updatedAt: number;
  /** When the record entered its current state (ms): for a request, when it was made. */
  since: number;
  lastAction: IndexedAction;
  lastActorId: AgentId;
  /** The agent's name as last recorded, possibly shortened. */
  name: string;
}

const ENTRY_PREFIX = 'i';

export function entryAttribute(agentId: AgentId): string {
  return `${ENTRY_PREFIX}${agentId.toString(36)}`;
}

/** The agent an attribute named `<prefix><id base36>` is about; null for any other attribute. */
export function agentOfAttribute(attribute: string, prefix: string): AgentId | null {
  const digits = attribute.slice(prefix.length);
  if (!attribute.startsWith(prefix) || !/^[0-9a-z]{1,11}$/.test(digits)) {
    return null;
  }
  const id = parseInt(digits, 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The agent whose entry an attribute (`i<id base36>`) holds; null for any other attribute. */
export function entryAgentOf(attribute: string): AgentId | null {
  return agentOfAttribute(attribute, ENTRY_PREFIX);
}

function letterOf<L extends string, T extends string>(table: Record<L, T>, value: T): L {
  return (Object.keys(table) as L[]).find((letter) => table[letter] === value) as L;
}

export function actionLetter(action: IndexedAction): ActionLetter {
  return letterOf(ACTIONS, action);
}

/** The entry as stored for `agentId`, its name shortened until the attribute fits ENTRY_MAX_BYTES. */
export function packEntry(agentId: AgentId, entry: IndexEntry): string {
  const attribute = entryAttribute(agentId);
  const fields = [entry.version, entry.updatedAt, entry.since, entry.lastActorId].map((value) => value.toString(36));
  const fixed = `${letterOf(STATES, entry.state)}${actionLetter(entry.lastAction)}.${fields.join('.')}.`;
  return fixed + shortenToFit(entry.name, (name) => sealedAttributeBytes(attribute, fixed + name) <= ENTRY_MAX_BYTES);
}

const PACKED = /^([nred])([roedu])\.([0-9a-z]{1,8})\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})\.([\s\S]*)$/;

/** Reads a packed entry back; anything else fails the schema. */
export const indexEntrySchema: z.ZodType<IndexEntry> = z.string().transform((packed, context) => {
  const match = PACKED.exec(packed);
  if (match === null) {
    context.addIssue({ code: 'custom', message: 'not an index entry' });
    return z.NEVER;
  }
  const [, state, action, version, updatedAt, since, actor, name] = match as unknown as [string, StateLetter, ActionLetter, string, string, string, string, string];
  const base36 = (field: string): number => parseInt(field, 36);
  return { state: STATES[state], lastAction: ACTIONS[action], version: base36(version), updatedAt: base36(updatedAt), since: base36(since), lastActorId: base36(actor), name };
});
