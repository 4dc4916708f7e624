/**
 * The API-key ledger over $db: applies changes through the state machine, publishes each new
 * version to the head, the pending index and the trail, and repairs whatever a concurrent or
 * interrupted call left behind. It trusts its caller on who the actor and target are: the
 * server methods check those against Freshservice first.
 *
 * $db operations per call, with no contention (see docs/ledger.md):
 * - read a state: 2 (head, then the version after it, which is missing);
 * - a change: 10 when it enters or leaves the pending list or changes a pending record
 *   (head, summary, claim, page, summary, states bucket, trail page, trail count, head, check),
 *   8 otherwise;
 * - a repeat or a refusal: 2.
 */
import type { ApiKeyRecord, ApiKeyStatesPage, AuditTrailPage, PendingRequestsPage } from '../../../common/ledger';
import { AppError } from '../errors';
import type { KeyValueStore } from '../platform';
import { AgentHistory, tooBusy, versionOf } from './history';
import { MAX_VERSION_STEPS } from './limits';
import { choosePendingPage, PendingIndex } from './pending-index';
import type { AgentVersion, LedgerSummary, StoredPerson } from './schemas';
import { StatesIndex } from './states-index';
import { LedgerStore } from './store';
import { AuditTrail, openTrailPage } from './trail';
import { blankRecord, decide, type ChangeRequest } from './transitions';

export interface LedgerChange {
  action: ChangeRequest['action'];
  actor: StoredPerson;
  target: StoredPerson;
  note: string | null;
}

type Changed = Extract<ReturnType<typeof decide>, { kind: 'changed' }>;

/** A request entering the pending list gets a page now; a pending one keeps its page; a decided one remembers it for clean-up. */
function pendingPageFor(latest: AgentVersion | null, decision: Changed, summary: LedgerSummary): number | null {
  if (decision.record.state === 'requested' && latest?.record.state !== 'requested') {
    return choosePendingPage(summary);
  }
  return latest?.pendingPage ?? null;
}

/** The new version for a decided change: its pages are chosen now, so re-publishing it is exact. */
function nextVersion(latest: AgentVersion | null, decision: Changed, change: ChangeRequest, summary: LedgerSummary): AgentVersion {
  return {
    version: versionOf(latest) + 1,
    record: decision.record,
    undoTo: decision.undoTo,
    change: {
      at: change.at,
      actor: change.actor,
      action: change.action,
      target: change.target,
      from: latest?.record.state ?? 'none',
      to: decision.record.state,
      note: change.note,
    },
    pendingPage: pendingPageFor(latest, decision, summary),
    trailPage: openTrailPage(summary),
  };
}

export class ApiKeyLedger {
  private readonly history: AgentHistory;
  private readonly pendingIndex: PendingIndex;
  private readonly statesIndex: StatesIndex;
  private readonly trail: AuditTrail;

  constructor(
    store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {
    const ledgerStore = new LedgerStore(store);
    this.history = new AgentHistory(ledgerStore);
    this.pendingIndex = new PendingIndex(ledgerStore);
    this.statesIndex = new StatesIndex(ledgerStore);
    this.trail = new AuditTrail(ledgerStore);
  }

  /**
   * Applies a change and answers the agent's record after it. A repeat answers the record as
   * it is; an out-of-order change rejects OUT_OF_ORDER with the reason.
   */
  async apply(change: LedgerChange): Promise<ApiKeyRecord> {
    const request: ChangeRequest = { ...change, at: this.now().toISOString() };
    const agentId = change.target.id;
    const head = await this.history.readHead(agentId);
    let latest = head;
    let summary: LedgerSummary | null = null;
    for (let step = 0; step < MAX_VERSION_STEPS; step += 1) {
      const decision = decide(latest, request);
      if (decision.kind !== 'changed') {
        const newer = await this.history.readVersion(agentId, versionOf(latest) + 1);
        if (newer === null) {
          return this.settled(head, latest, decision, change.target);
        }
        latest = newer;
        continue;
      }
      summary ??= await this.pendingIndex.readSummary();
      const version = nextVersion(latest, decision, request, summary);
      if (await this.history.claim(version)) {
        await this.publish(version, latest, versionOf(latest) > versionOf(head));
        return version.record;
      }
      latest = await this.history.readVersion(agentId, version.version);
    }
    throw tooBusy();
  }

  /** The agent's record as of now (a blank one for an agent never recorded). */
  async state(agent: StoredPerson): Promise<ApiKeyRecord> {
    const head = await this.history.readHead(agent.id);
    const latest = await this.history.latestFrom(agent.id, head);
    await this.healIfBehind(head, latest);
    return latest?.record ?? blankRecord(agent);
  }

  listPending(cursorPage: number | null): Promise<PendingRequestsPage> {
    return this.pendingIndex.list(cursorPage);
  }

  /** Every agent whose state is not `none`, from bucket `firstBucket` on. */
  listStates(firstBucket: number): Promise<ApiKeyStatesPage> {
    return this.statesIndex.list(firstBucket);
  }

  readTrail(cursorPage: number | null): Promise<AuditTrailPage> {
    return this.trail.page(cursorPage, () => this.pendingIndex.readSummary());
  }

  private async settled(head: AgentVersion | null, latest: AgentVersion | null, decision: { kind: 'unchanged' } | { kind: 'refused'; reason: string }, target: StoredPerson): Promise<ApiKeyRecord> {
    await this.healIfBehind(head, latest);
    if (decision.kind === 'refused') {
      throw new AppError(409, 'OUT_OF_ORDER', decision.reason);
    }
    return latest?.record ?? blankRecord(target);
  }

  /**
   * Publishes a newly claimed version, then makes sure no newer one was overwritten by it.
   * When the version it follows was found past the head (`previousUnpublished`), that one may
   * have been cut off before publishing: its trail entry is written again (harmless if there)
   * and the index is written in full rather than as a difference from it.
   */
  private async publish(version: AgentVersion, previous: AgentVersion | null, previousUnpublished: boolean): Promise<void> {
    if (previousUnpublished && previous !== null) {
      await this.trail.record(previous, false);
    }
    await this.pendingIndex.sync(version, previousUnpublished ? undefined : previous);
    await this.statesIndex.sync(version);
    await this.trail.record(version, true);
    await this.history.writeHead(version);
    await this.settle(version);
  }

  /**
   * Writes by two calls on one agent can land in either order, so after publishing, a call
   * checks for a newer version; if there is one it publishes the newest again (the same writes,
   * harmless if already made) and checks again. The last call to publish therefore always
   * leaves the head, the pending index and the states index showing the newest version.
   */
  private async settle(published: AgentVersion): Promise<void> {
    let current = published;
    for (let step = 0; step < MAX_VERSION_STEPS; step += 1) {
      const newer = await this.history.readVersion(current.record.agent.id, current.version + 1);
      if (newer === null) {
        return;
      }
      current = (await this.history.latestFrom(current.record.agent.id, newer)) as AgentVersion;
      await this.pendingIndex.sync(current);
      await this.statesIndex.sync(current);
      await this.history.writeHead(current);
    }
    throw tooBusy();
  }

  /**
   * A head older than the newest version means a call is publishing right now or was cut off
   * (FDK stops a server method at 20 s); publishing the newest again, trail included, makes
   * sure an interrupted change is not left out of the pending list or the trail.
   */
  private async healIfBehind(head: AgentVersion | null, latest: AgentVersion | null): Promise<void> {
    if (latest === null || versionOf(head) >= latest.version) {
      return;
    }
    await this.pendingIndex.sync(latest);
    await this.statesIndex.sync(latest);
    await this.trail.record(latest, false);
    await this.history.writeHead(latest);
    // The call being healed may still be running and publish a newer version meanwhile.
    await this.settle(latest);
  }
}
