/**
 * The ledger's index: for every agent with a record, the version of their newest event, its
 * state, and what the lists show (store/index-entry.ts). Where an entry lives:
 *
 * - **the head**, for the first HEAD_INDEX_ENTRIES agents recorded: the read a sidebar view or a
 *   change makes anyway also finds the entry, and the console's first page is that same read;
 * - then **shards** `x:0`, `x:1`, ..., filled one after the other, SHARD_ENTRIES agents each. An
 *   agent's shard is named in their own key (`home`, agent-key.ts), written before their entry.
 *   The head's `overflow` says that shards exist (and the newest one known); a shard's `next`
 *   says that another follows it, and is written before anything goes into that one.
 *
 * Sizes: an entry takes at most ENTRY_MAX_BYTES, so a shard takes at most
 * (SHARD_ENTRIES + CONCURRENT_ENTRIES) × ENTRY_MAX_BYTES, inside $db's 40 KB, and answers one
 * listing page inside FDK's 100 KB. Capacity: HEAD_INDEX_ENTRIES + MAX_SHARDS × SHARD_ENTRIES
 * agents with records (58,980), whatever their names.
 *
 * Entries are single attributes written atomically, so concurrent changes of different agents
 * never overwrite each other. An agent with an entry in the head is a head agent for good (two
 * first changes racing as the head filled may leave a stale copy in a shard; listings keep the
 * higher version).
 */
import { z } from 'zod';
import type { AgentId } from '../../../common/audit';
import { AppError } from '../errors';
import { HEAD_INDEX_ENTRIES, OVERFLOW_ATTRIBUTE, type Head } from '../store/head';
import { entryAgentOf, entryAttribute, indexEntrySchema, packEntry, type IndexEntry } from '../store/index-entry';
import { storeFailure, type SealedStore } from '../store/sealed-store';
import type { AgentKeys } from './agent-key';

/** Agents a shard takes before the next one opens. */
export const SHARD_ENTRIES = 230;
/** Shards there can be. */
export const MAX_SHARDS = 256;
/** Full shards a placement steps over before it answers "busy" (the head's hint is then moved on). */
const MAX_SHARDS_STEPPED = 3;

const NEXT_ATTRIBUTE = 'next';
const nextSchema = z.object({});

function shardName(shard: number): string {
  return `x:${shard}`;
}

/** Where an agent's entry was found (or goes), and the entry itself. */
export interface Located {
  entry: IndexEntry | null;
  /** The head, a shard, or null while the agent has no entry. */
  place: 'head' | number | null;
  /** The head held an entry for this agent that failed verification (it was ignored). */
  tampered: boolean;
}

/** One page of the index and where the next page is (null: none follows). */
export interface IndexPage {
  entries: ReadonlyMap<AgentId, IndexEntry>;
  next: number | null;
}

interface Shard {
  entries: Map<AgentId, IndexEntry>;
  hasNext: boolean;
}

function indexFull(): AppError {
  return new AppError(
    507,
    'STORE_UNAVAILABLE',
    `The app's own storage has no room left for another agent's API-key record: it holds ${HEAD_INDEX_ENTRIES + MAX_SHARDS * SHARD_ENTRIES} agents with records. Contact the app developer.`,
  );
}

function placementBusy(): AppError {
  return new AppError(409, 'OUT_OF_ORDER', 'Many API-key records are being created at this moment. Try again in a few seconds.');
}

export class LedgerIndex {
  constructor(
    private readonly store: SealedStore,
    private readonly agents: AgentKeys,
  ) {}

  /** The agent's entry: from the head (no read), or, once the index has shards, from their own key's home shard (two reads). */
  async locate(head: Head, agentId: AgentId): Promise<Located> {
    const inHead = head.entries.get(agentId) ?? null;
    const tampered = head.tampered.includes(entryAttribute(agentId));
    if (inHead !== null || head.overflow === null) {
      return { entry: inHead, place: inHead === null ? null : 'head', tampered };
    }
    const home = (await this.agents.read(agentId)).home;
    if (home === null) {
      return { entry: null, place: null, tampered };
    }
    return { entry: (await this.readShard(home)).entries.get(agentId) ?? null, place: home, tampered };
  }

  /** Writes the agent's entry where it lives; a new agent goes to the head while it has room, else to the open shard. */
  async publish(head: Head, agentId: AgentId, located: Located, entry: IndexEntry): Promise<void> {
    const attributes = { [entryAttribute(agentId)]: packEntry(agentId, entry) };
    const place = located.place ?? (head.entries.size < HEAD_INDEX_ENTRIES ? 'head' : await this.placeInShard(head, agentId));
    await this.write(place === 'head' ? head.key : this.store.keyOf(shardName(place)), attributes);
  }

  /** The first page: the head's entries (no read beyond the head). */
  headPage(head: Head): IndexPage {
    return { entries: head.entries, next: head.overflow === null ? null : 0 };
  }

  /** A later page: one shard (one read, no head). */
  async shardPage(shard: number): Promise<IndexPage> {
    const contents = await this.readShard(shard);
    return { entries: contents.entries, next: contents.hasNext && shard + 1 < MAX_SHARDS ? shard + 1 : null };
  }

  /**
   * The shard a new agent's entry goes to: the newest one with room, opening the next when it is
   * full. The head says shards exist before any does, a shard says another follows before that
   * one is written, and the agent's home is named before their entry: a reader never misses an
   * entry that exists.
   */
  private async placeInShard(head: Head, agentId: AgentId): Promise<number> {
    let shard = head.overflow?.lastShard ?? 0;
    if (head.overflow === null) {
      await this.write(head.key, { [OVERFLOW_ATTRIBUTE]: { lastShard: 0 } });
    }
    for (let stepped = 0; ; stepped += 1) {
      const contents = await this.readShard(shard);
      if (contents.entries.size < SHARD_ENTRIES) {
        break;
      }
      shard = await this.stepPast(head, shard, contents, stepped);
    }
    await this.agents.setHome(agentId, shard);
    return shard;
  }

  /** Steps past a full shard, opening the one after it when nobody has yet. */
  private async stepPast(head: Head, shard: number, contents: Shard, stepped: number): Promise<number> {
    if (shard + 1 >= MAX_SHARDS) {
      throw indexFull();
    }
    if (!contents.hasNext) {
      await this.write(this.store.keyOf(shardName(shard)), { [NEXT_ATTRIBUTE]: {} });
    }
    await this.write(head.key, { [OVERFLOW_ATTRIBUTE]: { lastShard: shard + 1 } });
    if (stepped + 1 >= MAX_SHARDS_STEPPED) {
      // The head's hint was far behind (writers raced): it points further now, so the next try starts there.
      throw placementBusy();
    }
    return shard + 1;
  }

  private async write(key: string, attributes: Record<string, unknown>): Promise<void> {
    try {
      await this.store.setAttributes(key, attributes);
    } catch (rejection) {
      throw storeFailure(rejection);
    }
  }

  private async readShard(shard: number): Promise<Shard> {
    const key = this.store.keyOf(shardName(shard));
    const contents: Shard = { entries: new Map(), hasNext: false };
    for (const [attribute, stored] of Object.entries((await this.store.getAttributes(key)) ?? {})) {
      this.readAttribute(key, attribute, stored, contents);
    }
    return contents;
  }

  /** One attribute of a shard: an entry, or the mark that another shard follows; anything unverified is left out. */
  private readAttribute(key: string, attribute: string, stored: unknown, contents: Shard): void {
    const agentId = entryAgentOf(attribute);
    if (agentId !== null) {
      const opened = this.store.open(key, attribute, stored, indexEntrySchema);
      if (opened.kind === 'ok') {
        contents.entries.set(agentId, opened.value);
      }
      return;
    }
    contents.hasNext ||= attribute === NEXT_ATTRIBUTE && this.store.open(key, attribute, stored, nextSchema).kind === 'ok';
  }
}
