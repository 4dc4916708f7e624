/**
 * Key names and sizes of the ledger in $db. $db allows keys of at most 30 characters,
 * key + value of at most 40 KB and 50 operations a minute, and cannot list keys, so every
 * key is computed from an agent id or a page number, and every page has a fixed capacity
 * chosen so that a full page of worst-case entries stays far below 40 KB.
 */
import type { AgentId } from '../../../common/audit';
import { LEDGER_TEXT_MAX_LENGTH } from '../../../common/ledger';

/** Longest reason or note, in characters (worst case 3 bytes each in UTF-8). */
export const MAX_TEXT_LENGTH = LEDGER_TEXT_MAX_LENGTH;
/** Names are stored shortened to this many characters. */
export const MAX_NAME_LENGTH = 100;
/**
 * Pending requests per index page. A worst-case entry (500-character reason, four 100-character
 * names, all 3-byte characters) is about 3.1 KB, so 10 take 31 KB and leave room for the few
 * concurrent requests that may land on a page just as it fills.
 */
export const PENDING_PAGE_CAPACITY = 10;
/** Trail entries per page: a worst-case entry is about 2.4 KB, so 12 take 29 KB. */
export const TRAIL_PAGE_CAPACITY = 12;
/** Pending-index pages read per listPendingRequests call (plus one read of the ledger summary). */
export const PENDING_PAGES_PER_CALL = 2;
/**
 * How many versions one call may step through before giving up. Each step is one $db operation,
 * so under FDK's 50 operations a minute this is never reached by real traffic; it stops a
 * runaway loop, not a busy agent.
 */
export const MAX_VERSION_STEPS = 64;

/** Every key starts with this, so the ledger never collides with other $db users of the app. */
const PREFIX = 'akey';

export const ledgerKeys = {
  /** Counters and the pending map: one small key read by most ledger calls. */
  summary: `${PREFIX}:summary`,
  /** The agent's latest record as last published (a hint: versions may be newer). */
  head: (agentId: AgentId): string => `${PREFIX}:h:${agentId}`,
  /** Immutable version `version` of the agent's record, claimed with setIf not_exist. */
  version: (agentId: AgentId, version: number): string => `${PREFIX}:v:${agentId}:${version}`,
  pendingPage: (page: number): string => `${PREFIX}:p:${page}`,
  trailPage: (page: number): string => `${PREFIX}:t:${page}`,
} as const;

/** Attribute name of an agent inside the pending map and a pending page. */
export function agentAttribute(agentId: AgentId): string {
  return `a${agentId}`;
}

/** Attribute name of one change inside a trail page: unique per agent and version, so re-publishing is harmless. */
export function changeAttribute(agentId: AgentId, version: number): string {
  return `a${agentId}v${version}`;
}
