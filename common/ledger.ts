/**
 * Contract of the API-key ledger server methods (requestApiKey, recordApiKeyAction,
 * listPendingRequests, getApiKeyState, getAuditTrail, listApiKeyStates). The ledger is the app's own
 * record of the work around an agent's API key: Freshservice has no API for the toggle.
 * Owned by the ledger; extend, do not break.
 */
import type { AgentId } from './audit';

export type ApiKeyState = 'none' | 'requested' | 'enabled' | 'declined';

/** Longest `reason` (required, non-blank) or `note` (optional) the server accepts, in characters. */
export const LEDGER_TEXT_MAX_LENGTH = 500;

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
  /** Whether `undo` is possible now (there is a previous state to return to). */
  canUndo: boolean;
  updatedAt: string | null;
}

export interface TrailEntry {
  at: string;
  actor: PersonRef;
  action: LedgerAction;
  target: PersonRef;
  from: ApiKeyState;
  to: ApiKeyState;
  note: string | null;
}

/** The browser says who it is (`actorId`): see the threat model in the README. */
export interface RequestApiKeyPayload {
  actorId: AgentId;
  reason: string;
}

export interface RecordApiKeyActionPayload {
  actorId: AgentId;
  targetId: AgentId;
  action: AdminAction;
  note?: string;
}

export interface GetApiKeyStatePayload {
  agentId: AgentId;
}

export interface ListPendingRequestsPayload {
  cursor?: string | null;
}

export interface PendingRequestsPage {
  requests: ApiKeyRecord[];
  cursor: string | null;
}

export interface GetAuditTrailPayload {
  /** Opaque continuation; absent for the newest entries. */
  cursor?: string | null;
}

export interface AuditTrailPage {
  /** Newest first. */
  entries: TrailEntry[];
  cursor: string | null;
}

export interface ListApiKeyStatesPayload {
  /** Opaque continuation from the previous answer; absent for the first page. */
  cursor?: string | null;
}

/** One agent's current API-key state, as the ledger's states index lists it. */
export interface ApiKeyStateEntry {
  agentId: AgentId;
  /** Never `none`: agents without a state are not listed. */
  state: ApiKeyState;
  /** When the agent's record last changed. */
  updatedAt: string;
}

/**
 * What listApiKeyStates answers: every agent whose state is not `none`, a few index buckets per
 * call. Follow `cursor` until it is null to have them all; no order across pages.
 */
export interface ApiKeyStatesPage {
  states: ApiKeyStateEntry[];
  cursor: string | null;
}
