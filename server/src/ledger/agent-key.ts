/**
 * Each agent's own key, `a:<agent id>`, read in one operation, for two things the ledger keeps
 * per person:
 *
 * - `home`: the index shard that holds their entry, for agents recorded after the head's share
 *   of the index was used (written once, before the entry itself, so a reader never misses it);
 * - what was recorded in this app **under their name** about someone else's key
 *   (`w<target>-<version>`: the action, when, and whose key). A server method cannot tell who sits
 *   at the browser, so anyone can claim to be an Account Admin; this is where the Account Admin
 *   named sees every such claim and can notice one that was not theirs. (A request is about the
 *   requester's own key, which their own page shows, so it is not repeated here.)
 *
 * Every attribute has a largest size (RECORD_MAX_BYTES). The key keeps the newest entries: when
 * a write finds no room left (someone filled it on purpose, or a very busy admin), the oldest are
 * removed until RECORDS_AFTER_PRUNE remain, and the write is made again. So the key never refuses
 * a write for good, and `home` always fits.
 */
import { z } from 'zod';
import type { AgentId } from '../../../common/audit';
import type { LedgerAction } from '../../../common/ledger';
import { shortenToFit } from '../shorten';
import { ACTIONS, ACTION_LETTERS, actionLetter, agentOfAttribute } from '../store/index-entry';
import { isTooLarge, sealedAttributeBytes, storeFailure, type SealedStore } from '../store/sealed-store';

/** Largest stored size of one recorded entry. */
export const RECORD_MAX_BYTES = 160;
/** How many recorded entries remain after the oldest are removed for room. */
export const RECORDS_AFTER_PRUNE = 100;

const HOME_ATTRIBUTE = 'home';
const RECORD_PREFIX = 'w';

const homeSchema = z.object({ shard: z.number().int().nonnegative() });
const recordValueSchema = z.object({ a: z.enum(ACTION_LETTERS), t: z.number().int().nonnegative(), n: z.string() });

/** One entry recorded in this app under an agent's name. */
export interface RecordedEntry {
  at: number;
  action: LedgerAction;
  targetId: AgentId;
  targetName: string;
  /** The target's record version this entry made. */
  version: number;
}

export interface AgentKeyContents {
  home: number | null;
  /** Newest first. */
  recorded: RecordedEntry[];
}

function agentKeyName(agentId: AgentId): string {
  return `a:${agentId}`;
}

/** `w<target base36>-<version base36>` (never a dot: `$db`'s update reads a dot as a nested path). */
function recordAttribute(targetId: AgentId, version: number): string {
  return `${RECORD_PREFIX}${targetId.toString(36)}-${version.toString(36)}`;
}

/** The target and version a record attribute names; null for any other attribute. */
function recordOf(attribute: string): { targetId: AgentId; version: number } | null {
  const dash = attribute.indexOf('-');
  const targetId = dash < 0 ? null : agentOfAttribute(attribute.slice(0, dash), RECORD_PREFIX);
  const version = attribute.slice(dash + 1);
  return targetId !== null && /^[0-9a-z]{1,8}$/.test(version) ? { targetId, version: parseInt(version, 36) } : null;
}

function byNewest(a: RecordedEntry, b: RecordedEntry): number {
  return b.at - a.at || b.targetId - a.targetId || b.version - a.version;
}

export class AgentKeys {
  /** Reads made in this call (one AgentKeys serves one call): locating an agent and showing what was recorded as them share one. */
  private readonly reads = new Map<AgentId, Promise<AgentKeyContents>>();

  constructor(private readonly store: SealedStore) {}

  /** What the agent's key holds (empty when it does not exist); attributes that fail their seal are left out. */
  read(agentId: AgentId): Promise<AgentKeyContents> {
    let read = this.reads.get(agentId);
    if (read === undefined) {
      read = this.store.getAttributes(this.keyOf(agentId)).then((attributes) => this.contentsOf(agentId, attributes ?? {}));
      this.reads.set(agentId, read);
      read.catch(() => this.reads.delete(agentId));
    }
    return read;
  }

  /** Names the shard that holds the agent's index entry. */
  setHome(agentId: AgentId, shard: number): Promise<void> {
    return this.write(agentId, { [HOME_ATTRIBUTE]: { shard } });
  }

  /** Records, under `actorId`'s name, an entry about `entry.targetId`. */
  record(actorId: AgentId, entry: RecordedEntry): Promise<void> {
    const attribute = recordAttribute(entry.targetId, entry.version);
    const value = (name: string): z.infer<typeof recordValueSchema> => ({ a: actionLetter(entry.action), t: entry.at, n: name });
    const name = shortenToFit(entry.targetName, (candidate) => sealedAttributeBytes(attribute, value(candidate)) <= RECORD_MAX_BYTES);
    return this.write(actorId, { [attribute]: value(name) });
  }

  private keyOf(agentId: AgentId): string {
    return this.store.keyOf(agentKeyName(agentId));
  }

  private contentsOf(agentId: AgentId, attributes: Record<string, unknown>): AgentKeyContents {
    const key = this.keyOf(agentId);
    const contents: AgentKeyContents = { home: null, recorded: [] };
    for (const [attribute, stored] of Object.entries(attributes)) {
      this.readAttribute(key, attribute, stored, contents);
    }
    contents.recorded.sort(byNewest);
    return contents;
  }

  private readAttribute(key: string, attribute: string, stored: unknown, contents: AgentKeyContents): void {
    if (attribute === HOME_ATTRIBUTE) {
      const opened = this.store.open(key, attribute, stored, homeSchema);
      contents.home = opened.kind === 'ok' ? opened.value.shard : contents.home;
      return;
    }
    const recorded = recordOf(attribute);
    const opened = recorded === null ? null : this.store.open(key, attribute, stored, recordValueSchema);
    if (recorded !== null && opened?.kind === 'ok') {
      contents.recorded.push({ ...recorded, at: opened.value.t, action: ACTIONS[opened.value.a], targetName: opened.value.n });
    }
  }

  /** One write; when the key has no room left, the oldest recorded entries make room and it is written again. */
  private async write(agentId: AgentId, attributes: Record<string, unknown>): Promise<void> {
    const key = this.keyOf(agentId);
    this.reads.delete(agentId);
    try {
      await this.store.setAttributes(key, attributes);
    } catch (rejection) {
      if (!isTooLarge(rejection)) {
        throw storeFailure(rejection);
      }
      await this.makeRoom(agentId);
      await this.store.setAttributes(key, attributes).catch((again: unknown) => Promise.reject(storeFailure(again)));
    }
  }

  /** Removes all but `home` and the newest RECORDS_AFTER_PRUNE verified entries (anything unverified goes too). */
  private async makeRoom(agentId: AgentId): Promise<void> {
    const attributes = (await this.store.getAttributes(this.keyOf(agentId))) ?? {};
    const kept = new Set([HOME_ATTRIBUTE, ...this.contentsOf(agentId, attributes).recorded.slice(0, RECORDS_AFTER_PRUNE).map((entry) => recordAttribute(entry.targetId, entry.version))]);
    const removed = Object.keys(attributes).filter((attribute) => !kept.has(attribute));
    console.warn(`storage: an agent's own key was full; its ${removed.length} oldest recorded entries were removed`);
    await this.store.removeAttributes(this.keyOf(agentId), removed);
  }
}
