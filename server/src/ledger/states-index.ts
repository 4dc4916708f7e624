/**
 * The API-key states index: every agent whose state is not `none`, listable without key listing.
 * An agent's entry lives in bucket `agent id mod STATE_BUCKETS` (`akey:s:<bucket>`) under
 * `states.a<id>`, and is set or removed with one attribute-level update per change, which $db
 * applies atomically, so concurrent changes for different agents never overwrite each other.
 * Each entry carries the version it came from: the per-agent version chain stays the authority,
 * and the ledger repairs an entry the way it repairs the head and the pending index (the newest
 * version is published again after every change and whenever a reader finds the head behind).
 * `akey:s:buckets` names the buckets that exist, marked before a bucket is created, so a listing
 * reads only those: a small ledger costs a few reads, not STATE_BUCKETS.
 */
import type { AgentId } from '../../../common/audit';
import type { ApiKeyStateEntry, ApiKeyStatesPage } from '../../../common/ledger';
import { agentAttribute, ledgerKeys, STATE_BUCKETS, STATE_BUCKETS_PER_CALL, STATES_PER_ANSWER } from './limits';
import { stateBucketSchema, stateBucketsSchema, type AgentVersion, type StoredState } from './schemas';
import type { LedgerStore } from './store';

const CURSOR_PREFIX = 's';

type ListedState = Exclude<StoredState, 'none'>;

type StateLetter = 'r' | 'e' | 'd';
const LETTER_OF: Record<ListedState, StateLetter> = { requested: 'r', enabled: 'e', declined: 'd' };
const STATE_OF: Record<StateLetter, ListedState> = { r: 'requested', e: 'enabled', d: 'declined' };

export function statesCursor(bucket: number): string {
  return `${CURSOR_PREFIX}${bucket}`;
}

export function stateBucketOf(agentId: AgentId): number {
  return agentId % STATE_BUCKETS;
}

/** One stored entry, as small as it can be read back exactly: state letter, version, time in base 36. */
export function packStateEntry(state: ListedState, version: number, at: string): string {
  return `${LETTER_OF[state]}${version}.${Date.parse(at).toString(36)}`;
}

/** A stored entry (already checked against stateBucketSchema) with its agent, for an answer. */
export function unpackStateEntry(attribute: string, packed: string): ApiKeyStateEntry & { version: number } {
  const [head = '', time = ''] = packed.split('.');
  return {
    agentId: Number(attribute.slice(1)),
    // stateBucketSchema let only r, e and d through.
    state: STATE_OF[head.charAt(0) as StateLetter],
    version: Number(head.slice(1)),
    updatedAt: new Date(parseInt(time, 36)).toISOString(),
  };
}

/** Whether the answer already holds about as many states as it should (the next bucket is guessed to be like the average so far). */
function answerFull(states: number, bucketsRead: number): boolean {
  return bucketsRead >= STATE_BUCKETS_PER_CALL || (bucketsRead > 0 && states + states / bucketsRead > STATES_PER_ANSWER);
}

function byAgent(a: ApiKeyStateEntry, b: ApiKeyStateEntry): number {
  return a.agentId - b.agentId;
}

export class StatesIndex {
  constructor(private readonly store: LedgerStore) {}

  /**
   * Brings the agent's entry in line with `version`: one $db operation, whatever came before,
   * so writing it again (a repair) is harmless.
   */
  async sync(version: AgentVersion): Promise<void> {
    const { agent, state } = version.record;
    const key = ledgerKeys.stateBucket(stateBucketOf(agent.id));
    const attribute = agentAttribute(agent.id);
    if (state === 'none') {
      await this.store.removeAttributes(key, [`states.${attribute}`]);
      return;
    }
    const packed = packStateEntry(state, version.version, version.change.at);
    const bucket = `b${stateBucketOf(agent.id)}`;
    // Marked before creating, so every bucket that exists is listed (a mark without a bucket reads as empty).
    const markBucket = (): Promise<void> => this.store.updateOrCreate(ledgerKeys.stateBuckets, 'set', { [bucket]: true }, { [bucket]: true });
    await this.store.updateOrCreate(key, 'set', { [`states.${attribute}`]: packed }, { states: { [attribute]: packed } }, markBucket);
  }

  /** The existing buckets from `firstBucket` on, as many as keep the answer small; `cursor` names the next one. */
  async list(firstBucket: number): Promise<ApiKeyStatesPage> {
    const buckets = await this.existingBuckets(firstBucket);
    const states: ApiKeyStateEntry[] = [];
    let read = 0;
    while (read < buckets.length && !answerFull(states.length, read)) {
      states.push(...(await this.readBucket(buckets[read] as number)));
      read += 1;
    }
    const next = buckets[read];
    return { states: states.sort(byAgent), cursor: next === undefined ? null : statesCursor(next) };
  }

  private async existingBuckets(firstBucket: number): Promise<number[]> {
    const marked = (await this.store.read(ledgerKeys.stateBuckets, stateBucketsSchema)) ?? {};
    return Object.keys(marked)
      .map((name) => Number(name.slice(1)))
      .filter((bucket) => bucket >= firstBucket && bucket < STATE_BUCKETS)
      .sort((a, b) => a - b);
  }

  private async readBucket(bucket: number): Promise<ApiKeyStateEntry[]> {
    const stored = await this.store.read(ledgerKeys.stateBucket(bucket), stateBucketSchema);
    return Object.entries(stored?.states ?? {}).map(([attribute, packed]) => {
      const { agentId, state, updatedAt } = unpackStateEntry(attribute, packed);
      return { agentId, state, updatedAt };
    });
  }
}
