/**
 * Contract of the API-key ledger server methods (requestApiKey, recordApiKeyAction,
 * getApiKeyState, listApiKeyIndex, getApiKeyHistory). The ledger is the app's own record of the
 * work around an agent's API key: Freshservice has no API for the toggle. Every entry is
 * "recorded in this app as" the person named: the app re-reads them in Freshservice, but cannot
 * prove who sat at the browser (see docs/ledger.md). Owned by the ledger; extend, do not break.
 */
import type { AgentId } from './audit';

export type ApiKeyState = 'none' | 'requested' | 'enabled' | 'declined';

/** Longest `reason` (required, non-blank) or `note` (optional) the server accepts, in characters. */
export const LEDGER_TEXT_MAX_LENGTH = 500;
/**
 * And in stored bytes (JSON, UTF-8): 500 Latin letters fit; text in scripts that take 3 bytes a
 * character fits about 330 characters. Control characters (other than line breaks and tabs) and
 * broken surrogates are refused.
 */
export const LEDGER_TEXT_MAX_BYTES = 1_000;

/** Actions an Account Admin takes on someone else's key. */
export type AdminAction = 'opened' | 'enabled' | 'declined' | 'undo';
/** Every action the trail records. */
export type LedgerAction = 'requested' | AdminAction;

export interface PersonRef {
  id: AgentId;
  name: string;
}

/**
 * What requestApiKey, recordApiKeyAction and getApiKeyState answer: the agent's record after
 * the call. A repeated action answers the record unchanged; an out-of-order one fails with
 * OUT_OF_ORDER (409) and the reason.
 */
export interface ApiKeyRecord {
  /** The name as of the last change; empty when nothing was ever recorded for the agent. */
  agent: PersonRef;
  state: ApiKeyState;
  requestedBy: PersonRef | null;
  requestedAt: string | null;
  reason: string | null;
  /** The Account Admin who last opened the agent's Permissions page from the app. */
  openedBy: PersonRef | null;
  openedAt: string | null;
  /** Who marked the key enabled or declined, and when. */
  decidedBy: PersonRef | null;
  decidedAt: string | null;
  /** The note the Account Admin gave with the decision (for example why the request was declined). */
  decisionNote: string | null;
  /** Whether `undo` is possible now (there is a previous state to return to). */
  canUndo: boolean;
  updatedAt: string | null;
  /** How many changes the record has had: of two answers about one agent, the higher version is newer. */
  version: number;
}

/** One change of one agent's record, as recorded in this app by `actor`. */
export interface TrailEntry {
  /** The agent's record version this change produced. */
  version: number;
  at: string;
  actor: PersonRef;
  action: LedgerAction;
  target: PersonRef;
  from: ApiKeyState;
  to: ApiKeyState;
  note: string | null;
}

/**
 * The browser says who it is (`actorId`, `actorEmail`): see the threat model in the README. The
 * server reads the person from Freshservice by email (request templates never carry a value from
 * the browser in their path) and refuses an email that belongs to another id.
 */
export interface RequestApiKeyPayload {
  actorId: AgentId;
  actorEmail: string;
  reason: string;
}

export interface RecordApiKeyActionPayload {
  actorId: AgentId;
  actorEmail: string;
  targetId: AgentId;
  targetEmail: string;
  action: AdminAction;
  note?: string;
}

export interface GetApiKeyStatePayload {
  agentId: AgentId;
}

export interface ListApiKeyIndexPayload {
  /** From the previous answer; absent for the first page (the first 100 agents with a record). */
  cursor?: string | null;
}

/**
 * One agent in the ledger's index: what the console's API-key column, queue and recent activity
 * show. Nothing in it was typed by a person (reasons and notes are in the agent's record).
 */
export interface ApiKeyIndexEntry {
  agentId: AgentId;
  /** The record's version: of two answers about one agent, the higher is newer. */
  version: number;
  /** `none` after the only change was undone. */
  state: ApiKeyState;
  /** When the record last changed. */
  updatedAt: string;
  /** When the record entered its state: for a request, when it was made (the queue's order, oldest first). */
  since: string;
  lastAction: LedgerAction;
  /** Who made the last change (resolve the name from the agents list, the Account Admins or `name` when it is the agent). */
  lastActorId: AgentId;
  /** The agent's name as last recorded, shortened to fit the index ("…" marks a cut). */
  name: string;
}

/**
 * Agents with a record. The first page holds the first 100 agents recorded; a larger ledger
 * continues in pages of up to 230: follow `cursor` until it is null. If an agent appears twice,
 * the entry with the higher version wins.
 */
export interface ApiKeyIndexPage {
  entries: ApiKeyIndexEntry[];
  cursor: string | null;
}

/**
 * One entry recorded in this app under a person's name: what, when, whose key. Anyone who can
 * open the app can claim to be anyone, so an Account Admin is shown every entry made in their
 * name, to notice one that was not theirs.
 */
export interface RecordedUnderName {
  at: string;
  action: LedgerAction;
  target: PersonRef;
  /** The target's record version this entry made (their history shows it in full). */
  version: number;
}

export interface GetApiKeyHistoryPayload {
  agentId: AgentId;
  /** From `before` in the previous answer; absent for the newest changes. */
  before?: number | null;
}

/** One agent's changes, newest first; `before` continues, null when there is nothing older. */
export interface ApiKeyHistoryPage {
  entries: TrailEntry[];
  before: number | null;
}
