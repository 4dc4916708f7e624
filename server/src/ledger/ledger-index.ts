/**
 * The ledger's index: for every agent with a record, the version of their newest event, its
 * state, and (while a request waits) what the queue shows. It lives in the head, so the one
 * read a sidebar view or a change makes anyway also finds the agent's entry, and the console's
 * first screen (pending requests and the API-key column) is that same one read.
 *
 * An agent first recorded once the head's index share is used goes to the overflow shard
 * `o:<agent id mod OVERFLOW_SHARDS>`, and stays there; the head's `overflow` attribute lists the
 * shards that exist. Entries are single attributes, written atomically, so concurrent changes
 * for different agents never overwrite each other. If an agent somehow has an entry in both
 * places (two first changes racing while the head filled), the higher version wins: `locate`
 * reads both, and listings say so to the widget.
 */
import type { AgentId } from '../../../common/audit';
import { AppError } from '../errors';
import {
  INDEX_MAX_BYTES,
  OVERFLOW_ATTRIBUTE,
  OVERFLOW_SHARDS,
  attributeBytes,
  entryAgentOf,
  entryAttribute,
  indexEntrySchema,
  packEntry,
  writeHeadAttributes,
  type Head,
  type IndexEntry,
} from '../store/head';
import { isTooLarge, storeFailure, type SealedStore } from '../store/sealed-store';

export function overflowShardOf(agentId: AgentId): number {
  return agentId % OVERFLOW_SHARDS;
}

function shardName(shard: number): string {
  return `o:${shard}`;
}

/** Where an agent's entry was found (or will go), and the entry itself. */
export interface Located {
  entry: IndexEntry | null;
  shard: number | null;
  /** The head held an entry for this agent that failed verification (it was ignored). */
  tampered: boolean;
}

function indexFull(): AppError {
  return new AppError(
    507,
    'STORE_UNAVAILABLE',
    "The app's own storage has no room left for another agent's API-key record (its index is full). Contact the app developer.",
  );
}

export class LedgerIndex {
  constructor(private readonly store: SealedStore) {}

  /** The agent's entry: from the head (no read), or from their overflow shard (one read) once the head overflowed. */
  async locate(head: Head, agentId: AgentId): Promise<Located> {
    const inHead = head.entries.get(agentId) ?? null;
    const tampered = head.tampered.includes(entryAttribute(agentId));
    const shard = overflowShardOf(agentId);
    if (!head.overflowShards.includes(shard)) {
      return { entry: inHead, shard: null, tampered };
    }
    const inShard = (await this.readShard(shard)).get(agentId) ?? null;
    if (inShard === null || (inHead !== null && inHead.version >= inShard.version)) {
      return { entry: inHead, shard: null, tampered };
    }
    return { entry: inShard, shard, tampered };
  }

  /**
   * Writes the agent's entry where it lives: the head, or its overflow shard. A new agent goes
   * to the head while the index share has room. A pending entry that no longer fits is written
   * without its queue details rather than not at all.
   */
  async publish(head: Head, agentId: AgentId, located: Located, entry: IndexEntry): Promise<void> {
    const attribute = entryAttribute(agentId);
    const isNew = located.entry === null;
    if (located.shard === null && (!isNew || this.fitsInHead(head, attribute, entry))) {
      await this.writeInHead(head, agentId, entry, isNew);
      return;
    }
    await this.writeInShard(head, agentId, entry);
  }

  /** The entries of one overflow shard (one read). */
  shard(shard: number): Promise<Map<AgentId, IndexEntry>> {
    return this.readShard(shard);
  }

  private fitsInHead(head: Head, attribute: string, entry: IndexEntry): boolean {
    return head.indexBytes + attributeBytes(attribute, this.store.seal(head.key, attribute, packEntry(entry))) <= INDEX_MAX_BYTES;
  }

  /** Concurrent writers may fill the head after it was read: a new agent then goes to overflow, a pending entry loses its queue details. */
  private async writeInHead(head: Head, agentId: AgentId, entry: IndexEntry, isNew: boolean): Promise<void> {
    const attribute = entryAttribute(agentId);
    try {
      await writeHeadAttributes(this.store, head, { [attribute]: packEntry(entry) });
    } catch (rejection) {
      if (!isTooLarge(rejection)) {
        throw storeFailure(rejection);
      }
      if (isNew) {
        await this.writeInShard(head, agentId, entry);
        return;
      }
      await this.writeOrFail(head.key, { [attribute]: packEntry({ ...entry, pending: null }) });
    }
  }

  private async writeInShard(head: Head, agentId: AgentId, entry: IndexEntry): Promise<void> {
    const shard = overflowShardOf(agentId);
    if (!head.overflowShards.includes(shard)) {
      // Listed before it is written, so a reader never misses an entry that exists.
      await this.writeOrFail(head.key, { [OVERFLOW_ATTRIBUTE]: { shards: [...head.overflowShards, shard].sort((a, b) => a - b) } });
    }
    await this.writeOrFail(this.store.keyOf(shardName(shard)), { [entryAttribute(agentId)]: packEntry(entry) });
  }

  private async writeOrFail(key: string, attributes: Record<string, unknown>): Promise<void> {
    try {
      await this.store.setAttributes(key, attributes);
    } catch (rejection) {
      throw isTooLarge(rejection) ? indexFull() : storeFailure(rejection);
    }
  }

  private async readShard(shard: number): Promise<Map<AgentId, IndexEntry>> {
    const key = this.store.keyOf(shardName(shard));
    const entries = new Map<AgentId, IndexEntry>();
    for (const [attribute, stored] of Object.entries((await this.store.getAttributes(key)) ?? {})) {
      const agentId = entryAgentOf(attribute);
      const opened = this.store.open(key, attribute, stored, indexEntrySchema);
      if (agentId !== null && opened.kind === 'ok') {
        entries.set(agentId, opened.value);
      }
    }
    return entries;
  }
}
