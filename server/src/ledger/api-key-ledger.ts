/**
 * The API-key ledger: the app's own record of requests and of what Account Admins did about
 * them. It trusts its caller on who the actor and target are: the server methods check those
 * against Freshservice first.
 *
 * A change reads, decides, writes, answers:
 * 1. the agent's index entry (in the head, already read by the call) names their newest
 *    version n, and event `e:<agent>:<n>` holds their record (1 read; none for an agent never
 *    recorded);
 * 2. the state machine decides; a repeat or a refusal answers here, after one read that makes
 *    sure no newer version waits unindexed (so any action on an agent puts its index right);
 * 3. the change creates event n+1 with setIf not_exist (1 write). Of two concurrent changes on
 *    one agent exactly one creates it; the other finds it taken, reads the newest version, and
 *    decides again on that record, so no change is ever lost or applied to a stale record;
 * 4. the index entry is set to version n+1 (1 write), and the record is answered.
 * 5. an Account Admin's action is recorded under their name in their own key (1 write,
 *    agent-key.ts), where they see everything recorded as them.
 * So a request costs 4 `$db` operations with the head (3 for an agent's first record), an Account
 * Admin's change 5, a repeat or a refusal 3; an agent whose entry lives in a shard adds 2 reads
 * (their own key and the shard).
 *
 * Nothing a cut-off call leaves behind blocks anyone: an event created but not yet indexed (the
 * call stopped between 3 and 4) is found by the next change on that agent, whose create of the
 * same version fails; that change adopts it (indexes it) and goes on. Retrying the interrupted
 * action is exactly such a change, and answers the adopted record. Versions never have gaps,
 * so the newest is found by doubling and halving (about 2·log2(k) reads for k unindexed
 * versions), never by stepping through history. Reading a record never steps at all: it costs
 * the entry and one event.
 */
import type { AgentId } from '../../../common/audit';
import type { ApiKeyHistoryPage, ApiKeyIndexEntry, ApiKeyIndexPage, ApiKeyRecord, RecordedUnderName, TrailEntry } from '../../../common/ledger';
import { AppError } from '../errors';
import type { IndexEntry } from '../store/index-entry';
import type { Storage } from '../store/storage';
import { AgentKeys } from './agent-key';
import { LedgerIndex, type Located } from './ledger-index';
import { eventName, ledgerEventSchema, type LedgerEvent, type StoredPerson } from './schemas';
import { currentOf, decide, type ChangeRequest, type Current, type Decision } from './transitions';

export interface LedgerChange {
  action: ChangeRequest['action'];
  actor: StoredPerson;
  target: StoredPerson;
  /** The target's email as Freshservice gave it: kept with the record, so the queue can look them up by it. */
  targetEmail?: string;
  note: string | null;
}

/** Decisions one call makes at most before giving up (each further one follows a concurrent change). */
export const MAX_DECISIONS = 4;
/** History entries per page: each is one read. */
export const HISTORY_PAGE_SIZE = 5;
/** Entries recorded under a person's name that an answer shows (newest first). */
export const RECORDED_SHOWN = 50;

/** The newest version found, and its event (null: it exists but could not be verified). */
interface Newest {
  version: number;
  event: LedgerEvent | null;
}

type Changed = Extract<Decision, { kind: 'changed' }>;

function tooBusy(name: string): AppError {
  return new AppError(409, 'OUT_OF_ORDER', `${name}'s API-key record is being changed by several people at this moment. Reload to see the latest, then try again.`);
}

function tampered(name: string): AppError {
  return new AppError(
    500,
    'RECORD_TAMPERED',
    `The app's stored record of ${name}'s API key failed its integrity check, so it is not shown. It was changed outside the app, or the app's storage secret changed. The next change about this key starts a fresh record.`,
  );
}

/** When the record entered its state: a request when it was made, a decision when it was taken, anything else at its last change. */
function stateSince(event: LedgerEvent): string {
  const { record, change } = event;
  const since = { requested: record.requestedAt, enabled: record.decidedAt, declined: record.decidedAt, none: null }[record.state];
  return since ?? change.at;
}

function indexEntryOf(event: LedgerEvent): IndexEntry {
  const { record, change } = event;
  return {
    version: event.version,
    state: record.state,
    updatedAt: Date.parse(change.at),
    since: Date.parse(stateSince(event)),
    lastAction: change.action,
    lastActorId: change.actor.id,
    name: record.agent.name,
  };
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

function publicEntry(agentId: AgentId, entry: IndexEntry): ApiKeyIndexEntry {
  return { agentId, version: entry.version, state: entry.state, updatedAt: iso(entry.updatedAt), since: iso(entry.since), lastAction: entry.lastAction, lastActorId: entry.lastActorId, name: entry.name };
}

const INDEX_CURSOR_PREFIX = 'x';

export function indexCursor(shard: number): string {
  return `${INDEX_CURSOR_PREFIX}${shard}`;
}

function trailEntryOf(event: LedgerEvent): TrailEntry {
  return { version: event.version, target: event.record.agent, ...event.change };
}

export class ApiKeyLedger {
  private readonly agents: AgentKeys;
  private readonly index: LedgerIndex;
  private readonly events = new Map<string, LedgerEvent | null>();

  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.agents = new AgentKeys(storage.sealed);
    this.index = new LedgerIndex(storage.sealed, this.agents);
  }

  /**
   * Applies a change and answers the agent's record after it. A repeat answers the record as
   * it is; an out-of-order change rejects OUT_OF_ORDER with the reason.
   */
  async apply(change: LedgerChange): Promise<ApiKeyRecord> {
    const request: ChangeRequest = { ...change, at: this.now().toISOString() };
    const head = await this.requireHead();
    const located = await this.index.locate(head, change.target.id);
    let newest = await this.newestIndexed(change.target.id, located.entry);
    let adopted = false;
    for (let decisions = 0; decisions < MAX_DECISIONS; decisions += 1) {
      const current = currentOf(newest.event, change.target, newest.version);
      const decision = decide(current, request);
      if (decision.kind !== 'changed') {
        // A repeat or a refusal first makes sure no newer version waits unindexed (a late or cut-off write):
        // then any action on the agent, even one that changes nothing, puts its index right.
        const newer: Newest | null = adopted ? null : await this.newerThan(change.target.id, newest.version);
        if (newer === null) {
          return this.settle(located, newest, adopted, decision, current);
        }
        [newest, adopted] = [newer, true];
        continue;
      }
      const event = this.eventFor(current, decision, request, change.targetEmail);
      if (await this.storage.sealed.claim(this.eventKey(change.target.id, event.version), event)) {
        await this.index.publish(head, change.target.id, located, indexEntryOf(event));
        await this.recordUnderActor(change, request.at, event.version);
        return event.record;
      }
      newest = await this.newestFrom(change.target.id, { version: event.version, event: null }, false);
      adopted = true;
    }
    throw tooBusy(change.target.name);
  }

  /** The agent's record as of its newest indexed version (a blank one for an agent never recorded). */
  async record(agent: StoredPerson): Promise<ApiKeyRecord> {
    const head = await this.requireHead();
    const located = await this.index.locate(head, agent.id);
    const newest = await this.newestIndexed(agent.id, located.entry);
    if ((newest.version > 0 && newest.event === null) || (located.entry === null && located.tampered)) {
      throw tampered(agent.name || `agent ${agent.id}`);
    }
    return currentOf(newest.event, agent, newest.version).record;
  }

  /**
   * One page of the index: without a cursor the head's entries (the head is the only read), then
   * one shard per page (one read each, and no head read).
   */
  async listIndex(shard: number | null): Promise<ApiKeyIndexPage> {
    const page = shard === null ? this.index.headPage(await this.requireHead()) : await this.index.shardPage(shard);
    const entries = [...page.entries].map(([agentId, entry]) => publicEntry(agentId, entry));
    return { entries, cursor: page.next === null ? null : indexCursor(page.next) };
  }

  /** How many requests wait, from the head alone; `partial` once the index continues in shards (the console counts those). */
  async pendingInHead(): Promise<{ count: number; partial: boolean }> {
    const head = await this.requireHead();
    return { count: [...head.entries.values()].filter((entry) => entry.state === 'requested').length, partial: head.overflow !== null };
  }

  /**
   * One agent's changes, newest first, HISTORY_PAGE_SIZE a page; `before` continues. Reads the
   * agent's entry, then at most HISTORY_PAGE_SIZE events, never above the newest indexed version
   * and never past a missing one (versions have no gaps).
   */
  async history(agentId: AgentId, before: number | null): Promise<ApiKeyHistoryPage> {
    const newest = (await this.index.locate(await this.requireHead(), agentId)).entry?.version ?? 0;
    const from = Math.min(before ?? newest, newest);
    return this.historyPage(agentId, from, Math.max(from - HISTORY_PAGE_SIZE, 0));
  }

  /** Versions `from` down to just above `to`, stopping at a missing one (a record removed outside the app: nothing older is read). */
  private async historyPage(agentId: AgentId, from: number, to: number): Promise<ApiKeyHistoryPage> {
    const entries: TrailEntry[] = [];
    for (let version = from; version > to; version -= 1) {
      const event = await this.readEvent(agentId, version);
      if (event === 'missing') {
        return { entries, before: null };
      }
      entries.push(...(event === null ? [] : [trailEntryOf(event)]));
    }
    return { entries, before: to > 0 ? to : null };
  }

  /** The newest entries recorded in this app under `agentId`'s name (one read of their own key). */
  async recordedUnder(agentId: AgentId): Promise<RecordedUnderName[]> {
    const { recorded } = await this.agents.read(agentId);
    return recorded.slice(0, RECORDED_SHOWN).map((entry) => ({ at: iso(entry.at), action: entry.action, target: { id: entry.targetId, name: entry.targetName }, version: entry.version }));
  }

  /** The email the agent's newest record keeps (null when there is none, or it was recorded before emails were kept). */
  async emailOf(agentId: AgentId): Promise<string | null> {
    const located = await this.index.locate(await this.requireHead(), agentId);
    const newest = await this.newestIndexed(agentId, located.entry);
    return newest.event?.targetEmail ?? null;
  }

  private async requireHead() {
    const head = await this.storage.head();
    if (head.failure !== null) {
      throw head.failure;
    }
    return head;
  }

  private eventKey(agentId: AgentId, version: number): string {
    return this.storage.sealed.keyOf(eventName(agentId, version));
  }

  private eventFor(current: Current, decision: Changed, request: ChangeRequest, targetEmail: string | undefined): LedgerEvent {
    const version = current.record.version + 1;
    const change = { at: request.at, actor: request.actor, action: request.action, note: request.note, from: current.record.state, to: decision.record.state };
    return { version, change, record: { ...decision.record, version }, undoTo: decision.undoTo, ...(targetEmail === undefined ? {} : { targetEmail }) };
  }

  /**
   * An action on someone else's key is recorded under the actor's name too, so the Account Admin
   * named sees it. A request is about the requester's own key: their own page already shows it.
   */
  private async recordUnderActor(change: LedgerChange, at: string, version: number): Promise<void> {
    if (change.action !== 'requested') {
      await this.agents.record(change.actor.id, { at: Date.parse(at), action: change.action, targetId: change.target.id, targetName: change.target.name, version });
    }
  }

  /** A repeat or a refusal; when this call adopted newer versions, it indexes the newest first. */
  private async settle(located: Located, newest: Newest, adopted: boolean, decision: Exclude<Decision, Changed>, current: Current): Promise<ApiKeyRecord> {
    if (adopted && newest.event !== null) {
      await this.index.publish(await this.requireHead(), current.record.agent.id, located, indexEntryOf(newest.event));
    }
    if (decision.kind === 'refused') {
      throw new AppError(409, 'OUT_OF_ORDER', decision.reason);
    }
    return current.record;
  }

  private async newestIndexed(agentId: AgentId, entry: IndexEntry | null): Promise<Newest> {
    if (entry === null) {
      return { version: 0, event: null };
    }
    const event = await this.readEvent(agentId, entry.version);
    return { version: entry.version, event: event === 'missing' ? null : event };
  }

  /** The newest version after `version`, or null when there is none (one read when there is none). */
  private async newerThan(agentId: AgentId, version: number): Promise<Newest | null> {
    const next = await this.readEvent(agentId, version + 1);
    return next === 'missing' ? null : this.newestFrom(agentId, { version: version + 1, event: next }, true);
  }

  /**
   * The newest version, given that `known` exists (`read`: its event was already read, so it is
   * not read again): doubles the step until a version is missing, then halves the gap. Versions
   * have no gaps (n+1 is only created after n exists).
   */
  private async newestFrom(agentId: AgentId, known: Newest, knownRead: boolean): Promise<Newest> {
    let found = known;
    let read = knownRead;
    let missing = 0;
    for (let step = 1; missing === 0; step *= 2) {
      const event = await this.readEvent(agentId, found.version + step);
      if (event === 'missing') {
        missing = found.version + step;
      } else {
        found = { version: found.version + step, event };
        read = true;
      }
    }
    while (missing - found.version > 1) {
      const middle = Math.floor((found.version + missing) / 2);
      const event = await this.readEvent(agentId, middle);
      [found, missing, read] = event === 'missing' ? [found, middle, read] : [{ version: middle, event }, missing, true];
    }
    if (!read) {
      const event = await this.readEvent(agentId, found.version);
      found = { version: found.version, event: event === 'missing' ? null : event };
    }
    return found;
  }

  /**
   * An event; null when it exists but fails verification; 'missing' when there is none. Events
   * never change once created, so one found is kept for the rest of the call (a missing one is
   * asked again: a concurrent change may create it).
   */
  private async readEvent(agentId: AgentId, version: number): Promise<LedgerEvent | null | 'missing'> {
    const key = this.eventKey(agentId, version);
    const known = this.events.get(key);
    if (known !== undefined) {
      return known;
    }
    const opened = await this.storage.sealed.getWhole(key, ledgerEventSchema);
    if (opened === null) {
      return 'missing';
    }
    const event = opened.kind === 'ok' && opened.value.version === version && opened.value.record.agent.id === agentId ? opened.value : null;
    this.events.set(key, event);
    return event;
  }
}
