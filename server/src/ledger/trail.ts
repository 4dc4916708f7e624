/**
 * The append-only audit trail, in pages of TRAIL_PAGE_CAPACITY changes (`akey:t:<page>`,
 * `entries.a<agent>v<version>`). A change is written as one attribute named after the
 * agent and version it produced, so writing it twice (a repair after a crash) leaves one
 * entry, and concurrent changes never overwrite each other. The summary's trailCount picks
 * the page being filled; entries are never changed or removed.
 */
import type { AuditTrailPage } from '../../../common/ledger';
import { changeAttribute, ledgerKeys, TRAIL_PAGE_CAPACITY } from './limits';
import { EMPTY_SUMMARY, trailPageSchema, type AgentVersion, type LedgerSummary, type StoredTrailEntry } from './schemas';
import type { LedgerStore } from './store';

const CURSOR_PREFIX = 't';

export function trailCursor(page: number): string {
  return `${CURSOR_PREFIX}${page}`;
}

/** The page the next change goes to. */
export function openTrailPage(summary: LedgerSummary): number {
  return Math.floor(summary.trailCount / TRAIL_PAGE_CAPACITY);
}

function newestFirst([keyA, a]: [string, StoredTrailEntry], [keyB, b]: [string, StoredTrailEntry]): number {
  return b.at.localeCompare(a.at) || keyB.localeCompare(keyA);
}

export class AuditTrail {
  constructor(private readonly store: LedgerStore) {}

  /** Writes the change that produced `version`; `count` false when re-writing a change already counted. */
  async record(version: AgentVersion, count: boolean): Promise<void> {
    const attribute = changeAttribute(version.record.agent.id, version.version);
    await this.store.updateOrCreate(
      ledgerKeys.trailPage(version.trailPage),
      'set',
      { [`entries.${attribute}`]: version.change },
      { entries: { [attribute]: version.change } },
    );
    if (count) {
      await this.store.updateOrCreate(ledgerKeys.summary, 'increment', { trailCount: 1 }, { ...EMPTY_SUMMARY, trailCount: 1 });
    }
  }

  /** One page, newest first. Without a cursor: the newest page (or the one before, when the newest is still empty). */
  async page(cursor: number | null, summary: () => Promise<LedgerSummary>): Promise<AuditTrailPage> {
    let page = cursor ?? openTrailPage(await summary());
    let entries = await this.readPage(page);
    if (cursor === null && entries.length === 0 && page > 0) {
      page -= 1;
      entries = await this.readPage(page);
    }
    return { entries, cursor: page > 0 ? trailCursor(page - 1) : null };
  }

  private async readPage(page: number): Promise<StoredTrailEntry[]> {
    const stored = await this.store.read(ledgerKeys.trailPage(page), trailPageSchema);
    return Object.entries(stored?.entries ?? {})
      .sort(newestFirst)
      .map(([, entry]) => entry);
  }
}
