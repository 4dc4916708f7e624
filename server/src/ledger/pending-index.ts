/**
 * Pending requests, listable without key listing: the summary key maps each pending agent to
 * a page (`pending.a<id>`), and each page key holds up to PENDING_PAGE_CAPACITY records
 * (`entries.a<id>`). Both are changed with `update` on single attributes, which $db applies
 * atomically, so concurrent requests for different agents never overwrite each other. The
 * summary is the authority: a page entry the summary does not point at is ignored.
 */
import type { AgentId } from '../../../common/audit';
import type { PendingRequestsPage } from '../../../common/ledger';
import { agentAttribute, ledgerKeys, PENDING_PAGE_CAPACITY, PENDING_PAGES_PER_CALL } from './limits';
import { EMPTY_SUMMARY, ledgerSummarySchema, pendingPageSchema, type AgentVersion, type LedgerSummary, type StoredRecord } from './schemas';
import type { LedgerStore } from './store';

const CURSOR_PREFIX = 'p';

export function pendingCursor(page: number): string {
  return `${CURSOR_PREFIX}${page}`;
}

/** The page a new request goes to: the open page until it holds a full page of pending requests, then the next. */
export function choosePendingPage(summary: LedgerSummary): number {
  const pages = Object.values(summary.pending);
  const open = Math.max(summary.openPage, ...pages);
  const filled = pages.filter((page) => page === open).length;
  return filled >= PENDING_PAGE_CAPACITY ? open + 1 : open;
}

function isPending(version: AgentVersion | null): boolean {
  return version?.record.state === 'requested';
}

function newestFirst(a: StoredRecord, b: StoredRecord): number {
  return (b.requestedAt ?? '').localeCompare(a.requestedAt ?? '') || b.agent.id - a.agent.id;
}

export class PendingIndex {
  constructor(private readonly store: LedgerStore) {}

  async readSummary(): Promise<LedgerSummary> {
    return (await this.store.read(ledgerKeys.summary, ledgerSummarySchema)) ?? EMPTY_SUMMARY;
  }

  /**
   * Brings the index in line with `version`, given the version it replaced. With `previous`
   * undefined every write is made (a repair: the same writes again are harmless).
   */
  async sync(version: AgentVersion, previous?: AgentVersion | null): Promise<void> {
    if (isPending(version)) {
      await this.add(version, previous);
      return;
    }
    if (previous === undefined || isPending(previous)) {
      await this.remove(version.record.agent.id, version.pendingPage);
    }
  }

  async list(cursor: number | null): Promise<PendingRequestsPage> {
    const summary = await this.readSummary();
    const pages = [...new Set(Object.values(summary.pending))]
      .filter((page) => cursor === null || page < cursor)
      .sort((a, b) => b - a);
    const reading = pages.slice(0, PENDING_PAGES_PER_CALL);
    const requests: StoredRecord[] = [];
    for (const page of reading) {
      requests.push(...(await this.readPage(page, summary)));
    }
    const last = reading[reading.length - 1];
    const more = pages.length > reading.length && last !== undefined;
    return { requests: requests.sort(newestFirst), cursor: more ? pendingCursor(last) : null };
  }

  private async add(version: AgentVersion, previous: AgentVersion | null | undefined): Promise<void> {
    const page = version.pendingPage ?? 0;
    const attribute = agentAttribute(version.record.agent.id);
    await this.store.updateOrCreate(
      ledgerKeys.pendingPage(page),
      'set',
      { [`entries.${attribute}`]: version.record },
      { entries: { [attribute]: version.record } },
    );
    if (previous === undefined || !isPending(previous) || previous?.pendingPage !== page) {
      await this.store.updateOrCreate(
        ledgerKeys.summary,
        'set',
        { [`pending.${attribute}`]: page, openPage: page },
        { ...EMPTY_SUMMARY, pending: { [attribute]: page }, openPage: page },
      );
    }
  }

  private async remove(agentId: AgentId, page: number | null): Promise<void> {
    const attribute = agentAttribute(agentId);
    await this.store.removeAttributes(ledgerKeys.summary, [`pending.${attribute}`]);
    if (page !== null) {
      await this.store.removeAttributes(ledgerKeys.pendingPage(page), [`entries.${attribute}`]);
    }
  }

  private async readPage(page: number, summary: LedgerSummary): Promise<StoredRecord[]> {
    const stored = await this.store.read(ledgerKeys.pendingPage(page), pendingPageSchema);
    return Object.entries(stored?.entries ?? {})
      .filter(([attribute]) => summary.pending[attribute] === page)
      .map(([, record]) => record);
  }
}
