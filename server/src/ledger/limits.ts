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
/**
 * Buckets of the API-key states index (`akey:s:<agent id mod 32>`). A stored entry takes at most
 * 32 bytes with today's 11-digit agent ids (`"a21000049726":"e12.mwx4n0qs",`), so 20,000 agents
 * with a state put about 625 entries, 20 KB, in each bucket (half of $db's 40 KB); 40,000 just
 * fit. With 16-digit ids an entry takes 37 bytes: 25,000 agents, 29 KB. A listing reads
 * `akey:s:buckets` and only the buckets that exist: about one per agent with a state while they
 * are few, all 32 once there are more than a few dozen (33 of $db's 50 operations a minute, once
 * per console load).
 */
export const STATE_BUCKETS = 32;
/** Buckets one listApiKeyStates call reads at most (4 calls list a small account). */
export const STATE_BUCKETS_PER_CALL = 8;
/**
 * A listApiKeyStates answer stops reading buckets once the next one would likely take it past
 * this many states (about 83 bytes each in the answer, so about 33 KB, far under the 100 KB a
 * server method may answer). One bucket is always read: at 20,000 agents with a state, 52 KB.
 */
export const STATES_PER_ANSWER = 400;

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
  /** A bucket of the states index: the current state of every agent whose id mod STATE_BUCKETS is `bucket`. */
  stateBucket: (bucket: number): string => `${PREFIX}:s:${bucket}`,
  /** Which state buckets exist (`b<bucket>: true`), so a listing reads only those. */
  stateBuckets: `${PREFIX}:s:buckets`,
} as const;

/** Attribute name of an agent inside the pending map and a pending page. */
export function agentAttribute(agentId: AgentId): string {
  return `a${agentId}`;
}

/** Attribute name of one change inside a trail page: unique per agent and version, so re-publishing is harmless. */
export function changeAttribute(agentId: AgentId, version: number): string {
  return `a${agentId}v${version}`;
}
