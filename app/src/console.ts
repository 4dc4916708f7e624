/*
 * full_page_app: the access console. Loads the account slice by slice (honouring the server's
 * waitMs pacing), draws the first rows as soon as the first slice arrives, and keeps filter,
 * search, sort and paging on in-memory arrays so 10,000 agents stay fast. Timings are recorded
 * with the User Timing API (performance.measure 'console:*') for the widget benchmark.
 */

const ROWS_PER_PAGE = 50;
/** The ledger's index: the head, then at most 16 overflow shards: more pages would be a loop. */
const MAX_INDEX_PAGES = 17;
const RECENT_ACTIVITY = 10;

const FILTER_WORDS: Record<ConsoleFilter, string> = {
  all: 'All agents',
  lacking: 'Lacking Account Admin',
  pending: 'Pending request',
};

const COLUMNS: { key: ConsoleSortKey; title: string }[] = [
  { key: 'name', title: 'Name' },
  { key: 'email', title: 'Email' },
  { key: 'roles', title: 'Roles' },
  { key: 'accountAdmin', title: 'Account Admin' },
  { key: 'occasional', title: 'Occasional' },
  { key: 'lastLogin', title: 'Last login' },
  { key: 'apiKey', title: 'API key' },
];

/** One activity line, in the words of what happened ("requested" names only the agent who asked). */
const TRAIL_WORDS: Record<TrailEntry['action'], (target: string) => string> = {
  requested: () => 'requested an API key',
  opened: (target) => `opened the Permissions page of ${target}`,
  enabled: (target) => `marked the API key of ${target} as enabled`,
  declined: (target) => `declined the API-key request of ${target}`,
  undo: (target) => `undid the last API-key step for ${target}`,
};

/** A pending request as the queue lists it. */
interface PendingRequest {
  agentId: number;
  name: string;
  requestedAt: string;
  reasonPreview: string;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    window.setTimeout(resolve, Math.max(0, ms));
  });
}

function measureSince(name: string, start: number): void {
  performance.measure(name, { start, end: performance.now() });
}

function countText(value: number | null): string {
  return value === null ? '…' : value.toLocaleString('en-US');
}

function summaryCard(title: string, value: number | null, suffix: string, key: string): HTMLElement {
  const kit = window.accessKit;
  const shown = value === null ? countText(null) : `${countText(value)}${suffix}`;
  return kit.el('div', { className: 'stat', attrs: { 'data-stat': key } }, [
    kit.el('span', { className: 'stat-value', text: shown }),
    kit.el('span', { className: 'stat-title', text: title }),
  ]);
}

function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = window.accessKit.el('a', { attrs: { href: url, download: fileName } });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Every item of a cursor-paged server method, reading at most `maxPages` pages. */
async function readPages<T>(maxPages: number, readPage: (cursor: string | null) => Promise<{ items: T[]; cursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pageNumber = 0; pageNumber < maxPages; pageNumber += 1) {
    const page = await readPage(cursor);
    items.push(...page.items);
    cursor = page.cursor;
    if (cursor === null) {
      break;
    }
  }
  return items;
}

class ConsoleLayout {
  readonly summary = window.accessKit.el('div', { className: 'summary', attrs: { 'aria-live': 'polite' } });
  readonly progress = window.accessKit.el('div', { className: 'progress', attrs: { role: 'status' } });
  readonly loadError = window.accessKit.el('div', { className: 'load-error' });
  readonly roleWarning = window.accessKit.el('div', { className: 'role-warning' });
  readonly admins = window.accessKit.el('div', { className: 'admins-body' });
  readonly filters = window.accessKit.el('div', { className: 'filters', attrs: { role: 'group', 'aria-label': 'Filter agents' } });
  readonly search = window.accessKit.el('fw-input', {
    className: 'search',
    attrs: { placeholder: 'Search name, email or role', 'clear-input': '', 'aria-label': 'Search agents' },
  });
  readonly headRow = window.accessKit.el('tr');
  readonly body = window.accessKit.el('tbody');
  readonly empty = window.accessKit.el('div', { className: 'empty-state' });
  readonly statesStatus = window.accessKit.el('div', { className: 'states-status', attrs: { role: 'status' } });
  readonly pagination = window.accessKit.el('fw-pagination', { attrs: { 'per-page': String(ROWS_PER_PAGE), page: '1', total: '0' } });
  readonly pending = window.accessKit.el('div', { className: 'pending-body' });
  readonly trail = window.accessKit.el('div', { className: 'trail-body' });
  readonly queueButton = window.accessKit.el('div', { className: 'queue-slot' });
  readonly exportSlot = window.accessKit.el('div', { className: 'export-slot' });
  readonly toggle = window.accessKit.el('fw-toggle', { attrs: { label: 'Include deactivated agents', size: 'small', 'data-control': 'include-deactivated' } });
  readonly modal = window.accessKit.el('fw-modal', { attrs: { 'title-text': 'Agent access', 'hide-footer': '', size: 'large' } });
  readonly modalBody = window.accessKit.el('div', { className: 'modal-body' });
  private rootElement: HTMLElement = document.body;

  root(): HTMLElement {
    return this.rootElement;
  }

  /** fw-toggle's label is only an aria-label: show the words next to it, clickable too. */
  private toggleRow(): HTMLElement {
    const words = window.accessKit.el('span', { className: 'toggle-words', text: 'Include deactivated agents' });
    words.addEventListener('click', () => this.toggle.click());
    return window.accessKit.el('div', { className: 'toggle-row' }, [this.toggle, words]);
  }

  mount(root: HTMLElement): void {
    const kit = window.accessKit;
    this.rootElement = root;
    this.modal.append(this.modalBody);
    const table = kit.el('table', { className: 'agents-table' }, [kit.el('thead', {}, [this.headRow]), this.body]);
    root.replaceChildren(
      kit.el('header', { className: 'console-header' }, [
        kit.el('div', {}, [
          kit.el('h1', { text: 'Account Admin access' }),
          kit.el('p', { className: 'subtitle', text: 'Who holds Account Admin, who lacks it, and who is waiting for an API key.' }),
        ]),
        kit.el('div', { className: 'header-actions' }, [this.queueButton, this.exportSlot]),
      ]),
      this.roleWarning,
      kit.el('div', { className: 'summary-bar' }, [this.summary, this.toggleRow()]),
      this.progress,
      this.loadError,
      kit.el('div', { className: 'columns' }, [
        kit.el('section', { className: 'card admins', attrs: { 'aria-labelledby': 'admins-title' } }, [
          kit.el('h2', { text: 'Who can enable API keys', attrs: { id: 'admins-title' } }),
          this.admins,
        ]),
        kit.el('section', { className: 'card pending', attrs: { 'aria-labelledby': 'pending-title' } }, [
          kit.el('h2', { text: 'Pending API-key requests', attrs: { id: 'pending-title' } }),
          this.pending,
        ]),
      ]),
      kit.el('section', { className: 'card agents', attrs: { 'aria-labelledby': 'agents-title' } }, [
        kit.el('h2', { text: 'Agents', attrs: { id: 'agents-title' } }),
        kit.el('div', { className: 'toolbar' }, [this.filters, this.search]),
        this.statesStatus,
        kit.el('div', { className: 'table-wrap' }, [table]),
        this.empty,
        this.pagination,
      ]),
      kit.el('section', { className: 'card trail', attrs: { 'aria-labelledby': 'trail-title' } }, [
        kit.el('h2', { text: 'Recent API-key activity', attrs: { id: 'trail-title' } }),
        this.trail,
      ]),
      this.modal,
    );
  }
}

class AccessConsole {
  private readonly layout = new ConsoleLayout();
  private rows: ConsoleRow[] = [];
  private view: ConsoleRow[] = [];
  private readonly consoleQuery: ConsoleQuery = { filter: 'all', search: '', sortKey: 'name', descending: false };
  private page = 1;
  private slice: AccessOverviewSlice | null = null;
  private cursor: string | null = null;
  private includeDeactivated = false;
  private generation = 0;
  private pending: PendingRequest[] = [];
  /** The ledger's index as listApiKeyIndex listed it; null until all pages have arrived. */
  private listedStates: ApiKeyIndexEntry[] | null = null;
  /** States that actions in this console answered since it loaded (newer than the listing, or not yet in it). */
  private readonly answeredStates: KnownApiKeyState[] = [];
  private states = new Map<number, KnownApiKeyState>();
  private firstRowsDrawn = false;
  private loadStartedAt = 0;
  private queue: PendingRequest[] = [];
  private queueIndex = 0;

  constructor(
    private readonly client: FdkClient,
    private readonly viewer: Person | null,
    private readonly host: string,
  ) {}

  start(root: HTMLElement): void {
    const kit = window.accessKit;
    this.layout.mount(root);
    kit.raiseContrast(this.layout.pagination);
    this.wireControls();
    this.renderFilters();
    this.renderHead();
    this.renderTable();
    this.renderSummary();
    this.layout.admins.replaceChildren(kit.el('p', { className: 'hint', text: 'Reading the account…' }));
    this.restartOverview();
    this.refreshLedger();
  }

  private apiKeyState = (id: number): ApiKeyState => this.states.get(id)?.state ?? 'none';

  private wireControls(): void {
    const kit = window.accessKit;
    this.layout.search.addEventListener('fwInput', (event) => this.onSearch(String((event as CustomEvent<{ value?: unknown }>).detail.value ?? '')));
    this.layout.search.addEventListener('fwInputClear', () => this.onSearch(''));
    this.layout.pagination.addEventListener('fwChange', (event) => this.onPage(Number((event as CustomEvent<{ page?: unknown }>).detail.page)));
    this.layout.toggle.addEventListener('fwChange', (event) => this.onIncludeDeactivated((event as CustomEvent<{ checked?: unknown }>).detail.checked === true));
    this.layout.exportSlot.replaceChildren(kit.button('Export view to CSV', 'secondary', () => this.exportCsv()));
  }

  // ---- loading -------------------------------------------------------------------------

  private restartOverview(): void {
    this.generation += 1;
    this.rows = [];
    this.slice = null;
    this.cursor = null;
    this.page = 1;
    this.firstRowsDrawn = false;
    this.loadStartedAt = performance.now();
    this.refreshView('reload');
    this.continueOverview(this.generation);
  }

  private continueOverview(generation: number): void {
    this.layout.loadError.replaceChildren();
    this.renderProgress(true);
    this.loadSlices(generation).catch((error: unknown) => this.onLoadError(generation, error));
  }

  private async loadSlices(generation: number): Promise<void> {
    const call = window.accessKit.callServer;
    for (;;) {
      const slice = await call(this.client, 'getAccessOverview', { cursor: this.cursor, includeDeactivated: this.includeDeactivated });
      if (generation !== this.generation) {
        return;
      }
      this.addSlice(slice);
      if (slice.cursor === null) {
        measureSince('console:all-slices', this.loadStartedAt);
        return;
      }
      this.cursor = slice.cursor;
      // The server paces the reads (50 template requests a minute): wait as told before the next slice.
      await pause(slice.waitMs);
    }
  }

  private addSlice(slice: AccessOverviewSlice): void {
    const arrived = performance.now();
    // The first slices may carry no agents (roles are read first, or the server asks to wait).
    const firstRows = !this.firstRowsDrawn && slice.agents.length > 0;
    this.slice = slice;
    for (const agent of slice.agents) {
      this.rows.push(window.consoleModel.toRow(agent));
    }
    this.refreshView('slice');
    if (firstRows) {
      this.firstRowsDrawn = true;
      measureSince('console:first-rows', arrived);
      requestAnimationFrame(() => measureSince('console:first-rows-frame', arrived));
    }
    this.renderSummary();
    this.renderAdmins();
    this.renderProgress(slice.cursor !== null);
  }

  private onLoadError(generation: number, error: unknown): void {
    if (generation !== this.generation) {
      return;
    }
    const failure = window.accessKit.toWidgetError(error);
    this.renderProgress(false);
    // A 400 here means the server refused the continuation (expired or not its own): only a fresh start can succeed.
    const restart = failure.status === 400;
    const retry = restart ? () => this.restartOverview() : () => this.continueOverview(generation);
    const hint = restart ? 'Retry reads the account again from the start.' : 'Retry continues from where it stopped.';
    const loaded = this.rows.length > 0 ? window.accessKit.el('p', { className: 'hint', text: `${countText(this.rows.length)} agents loaded so far stay listed; ${hint}` }) : null;
    this.layout.loadError.replaceChildren(window.accessKit.errorPanel(failure, retry), ...(loaded === null ? [] : [loaded]));
    this.layout.root().setAttribute('data-load-state', 'error');
  }

  /** The ledger's index, in one read of the app's storage for most accounts: pending requests, the API-key column and the recent activity. */
  private refreshLedger(): void {
    const kit = window.accessKit;
    this.layout.statesStatus.replaceChildren(kit.el('p', { className: 'hint', text: 'Reading API-key states…' }));
    this.layout.pending.replaceChildren(kit.skeleton(3, 'Reading pending requests…'));
    this.layout.trail.replaceChildren(kit.skeleton(3, 'Reading recent activity…'));
    this.loadIndex().catch((error: unknown) => {
      for (const section of [this.layout.statesStatus, this.layout.pending, this.layout.trail]) {
        this.showSectionError(section, error, () => this.refreshLedger());
      }
    });
  }

  private async loadIndex(): Promise<void> {
    const entries = await readPages(MAX_INDEX_PAGES, (cursor) =>
      window.accessKit.callServer(this.client, 'listApiKeyIndex', { cursor }).then((answer) => ({ items: answer.entries, cursor: answer.cursor })),
    );
    this.listedStates = entries;
    this.layout.statesStatus.replaceChildren();
    this.applyStates();
    this.renderTrail([...entries].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, RECENT_ACTIVITY));
  }

  private applyStates(): void {
    this.states = window.consoleModel.knownStates(this.listedStates ?? [], this.answeredStates);
    this.pending = (this.listedStates ?? [])
      .filter((entry) => entry.request !== null && this.apiKeyState(entry.agentId) === 'requested')
      .map((entry) => ({ agentId: entry.agentId, name: entry.request?.name ?? '', requestedAt: entry.request?.requestedAt ?? entry.updatedAt, reasonPreview: entry.request?.reasonPreview ?? '' }))
      .sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
    this.renderPending();
    this.renderSummary();
    this.refreshView('states');
  }

  /** A name for an agent id: from the agents read so far, else the id. */
  private nameOf(agentId: number): string {
    return this.rows.find((row) => row.agent.id === agentId)?.agent.name ?? this.pending.find((request) => request.agentId === agentId)?.name ?? `agent ${agentId}`;
  }

  /** After an action, the answer is the agent's record: the authority on their state, no listing needed. */
  private onLedgerChange(record: ApiKeyRecord): void {
    this.answeredStates.push(window.consoleModel.stateOfRecord(record));
    this.applyStates();
    this.refreshLedger();
  }

  private showSectionError(target: HTMLElement, error: unknown, retry: () => void): void {
    target.replaceChildren(window.accessKit.errorPanel(window.accessKit.toWidgetError(error), retry));
  }

  // ---- user actions ----------------------------------------------------------------------

  private onSearch(search: string): void {
    this.consoleQuery.search = search;
    this.page = 1;
    this.refreshView('search');
  }

  private onFilter(filter: ConsoleFilter): void {
    this.consoleQuery.filter = filter;
    this.page = 1;
    this.renderFilters();
    this.refreshView('filter');
  }

  private onSort(key: ConsoleSortKey): void {
    this.consoleQuery.descending = this.consoleQuery.sortKey === key ? !this.consoleQuery.descending : false;
    this.consoleQuery.sortKey = key;
    this.page = 1;
    this.renderHead();
    this.refreshView('sort');
  }

  private onPage(pageNumber: number): void {
    if (Number.isInteger(pageNumber) && pageNumber >= 1) {
      this.page = pageNumber;
      this.renderTable();
    }
  }

  private onIncludeDeactivated(include: boolean): void {
    this.includeDeactivated = include;
    this.restartOverview();
  }

  private exportCsv(): void {
    if (this.listedStates === null) {
      window.accessKit.notify(this.client, 'warning', 'Still reading', 'The API-key states are not read yet: export again in a moment.');
      return;
    }
    const csv = window.accessKit.toCsv(window.consoleModel.csvRows(this.view, this.apiKeyState));
    downloadCsv(`agents-${this.consoleQuery.filter}.csv`, csv);
    window.accessKit.notify(this.client, 'success', 'CSV exported', `${countText(this.view.length)} agents in the current view.`);
  }

  private openPermissions(agent: AgentAccess): void {
    // Open the tab inside the click (pop-up blockers), then point it at the path the server gives.
    const tab = window.open('about:blank', '_blank');
    if (tab === null) {
      window.accessKit.notify(this.client, 'warning', 'Pop-up blocked', 'Allow pop-ups for Freshservice to open the Permissions page.');
      return;
    }
    tab.opener = null;
    window.accessKit
      .callServer(this.client, 'getUserAccess', { userId: agent.id })
      .then((access) => this.pointTab(tab, access))
      .catch((error: unknown) => {
        tab.close();
        const failure = window.accessKit.toWidgetError(error);
        window.accessKit.notify(this.client, 'danger', window.accessKit.adviceFor(failure).title, failure.message);
      });
  }

  private pointTab(tab: Window, access: UserAccess): void {
    if (access.permissionsPath === null) {
      tab.close();
      window.accessKit.notify(this.client, 'info', 'Not an agent', 'This user has no Permissions page.');
      return;
    }
    tab.location.href = window.accessKit.permissionsUrl(this.host, access.permissionsPath);
  }

  private openAccess(agentId: number, title: string): void {
    const viewer = this.viewer;
    const content = window.accessKit.el('div', { className: 'modal-view' });
    this.layout.modalBody.replaceChildren(content);
    this.layout.modal.setAttribute('title-text', title);
    (this.layout.modal as HTMLElement & { isOpen: boolean }).isOpen = true;
    if (viewer === null) {
      content.replaceChildren(window.accessKit.errorPanel({ status: 400, message: 'Freshservice did not say who is signed in. Reload the page.', code: null }, null));
      return;
    }
    window.accessView.mount(content, { client: this.client, viewer, viewedId: agentId, host: this.host, onLedgerChange: (record) => this.onLedgerChange(record) });
  }

  private openQueue(): void {
    this.queue = [...this.pending];
    this.queueIndex = 0;
    this.showQueueItem();
  }

  private showQueueItem(): void {
    const kit = window.accessKit;
    const request = this.queue[this.queueIndex];
    if (request === undefined) {
      return;
    }
    this.openAccess(request.agentId, `Pending request ${this.queueIndex + 1} of ${this.queue.length}: ${request.name}`);
    const previous = this.queueIndex > 0 ? kit.button('Previous request', 'secondary', () => this.stepQueue(-1)) : null;
    const last = this.queueIndex === this.queue.length - 1;
    // Secondary: the primary button of this step is the agent's own (open the page, mark as enabled).
    const next = last ? null : kit.button('Next request', 'secondary', () => this.stepQueue(1));
    const done = kit.button('Close queue', 'text', () => this.closeModal());
    const end = last ? kit.el('span', { className: 'queue-end hint', text: 'This is the last pending request.' }) : null;
    this.layout.modalBody.prepend(kit.el('div', { className: 'queue-nav actions' }, [previous, next, done, end]));
  }

  private stepQueue(step: number): void {
    this.queueIndex = Math.min(this.queue.length - 1, Math.max(0, this.queueIndex + step));
    this.showQueueItem();
  }

  private closeModal(): void {
    (this.layout.modal as HTMLElement & { isOpen: boolean }).isOpen = false;
  }

  // ---- rendering -------------------------------------------------------------------------

  private refreshView(kind: string): void {
    const start = performance.now();
    this.view = window.consoleModel.query(this.rows, this.consoleQuery, this.apiKeyState);
    this.renderTable();
    measureSince(`console:${kind}`, start);
  }

  private renderFilters(): void {
    const kit = window.accessKit;
    const buttons = (Object.keys(FILTER_WORDS) as ConsoleFilter[]).map((filter) => {
      const selected = this.consoleQuery.filter === filter;
      const node = kit.button(FILTER_WORDS[filter], selected ? 'primary' : 'secondary', () => this.onFilter(filter));
      node.setAttribute('aria-pressed', String(selected));
      node.setAttribute('data-filter', filter);
      return node;
    });
    this.layout.filters.replaceChildren(...buttons);
  }

  private renderHead(): void {
    const kit = window.accessKit;
    const cells = COLUMNS.map(({ key, title }) => {
      const sorted = this.consoleQuery.sortKey === key;
      const arrow = sorted ? (this.consoleQuery.descending ? ' ▼' : ' ▲') : '';
      const sortButton = kit.el('button', { className: 'sort', text: `${title}${arrow}`, attrs: { type: 'button', 'data-sort': key } });
      sortButton.addEventListener('click', () => this.onSort(key));
      const order = this.consoleQuery.descending ? 'descending' : 'ascending';
      return kit.el('th', { attrs: { scope: 'col', 'aria-sort': sorted ? order : 'none' } }, [sortButton]);
    });
    this.layout.headRow.replaceChildren(...cells, kit.el('th', { text: 'Actions', attrs: { scope: 'col' } }));
  }

  private renderTable(): void {
    const visible = window.consoleModel.page(this.view, this.page, ROWS_PER_PAGE);
    this.layout.body.replaceChildren(...visible.map((row) => this.rowElement(row)));
    const pagination = this.layout.pagination as HTMLElement & { page: number; total: number };
    pagination.total = this.view.length;
    pagination.page = this.page;
    pagination.hidden = this.view.length <= ROWS_PER_PAGE;
    this.renderEmpty();
    this.layout.root().setAttribute('data-rows', String(this.view.length));
  }

  private renderEmpty(): void {
    const words = this.emptyWords();
    this.layout.empty.hidden = words === null;
    this.layout.empty.replaceChildren(...(words === null ? [] : [window.accessKit.el('p', { text: words })]));
  }

  private emptyWords(): string | null {
    if (this.view.length > 0) {
      return null;
    }
    if (this.slice === null) {
      return 'Loading agents…';
    }
    if (this.consoleQuery.search.trim() !== '') {
      return `No agent matches "${this.consoleQuery.search.trim()}".`;
    }
    const words: Record<ConsoleFilter, string> = {
      all: 'No agents in this account.',
      lacking: 'Every listed agent holds Account Admin.',
      pending: 'No pending API-key requests.',
    };
    return words[this.consoleQuery.filter];
  }

  private rowElement(row: ConsoleRow): HTMLElement {
    const kit = window.accessKit;
    const agent = row.agent;
    const nameCell = kit.el('td', { className: 'name', attrs: { title: agent.name } }, [
      kit.el('span', { text: agent.name }),
      agent.active ? null : kit.el('span', { className: 'muted', text: ' (deactivated)' }),
    ]);
    return kit.el('tr', { attrs: { 'data-agent-id': String(agent.id) } }, [
      nameCell,
      kit.el('td', { className: 'email', text: agent.email, attrs: { title: agent.email } }),
      kit.el('td', { className: 'roles', text: row.rolesText, attrs: { title: row.rolesText } }),
      kit.el('td', {}, [agent.isAccountAdmin ? kit.label('Yes', 'green') : kit.label('No', 'grey')]),
      kit.el('td', { text: agent.occasional ? 'Yes' : 'No' }),
      kit.el('td', { className: 'date', text: kit.formatDate(agent.lastLoginAt) }),
      this.stateCell(agent.id),
      kit.el('td', { className: 'row-actions' }, [
        kit.el('div', { className: 'row-actions-inner' }, [
          kit.button('Access', 'secondary', () => this.openAccess(agent.id, 'Agent access')),
          kit.button('Permissions', 'link', () => this.openPermissions(agent)),
        ]),
      ]),
    ]);
  }

  private stateCell(agentId: number): HTMLElement {
    const kit = window.accessKit;
    if (this.listedStates === null && !this.states.has(agentId)) {
      return kit.el('td', { className: 'api-key-state', attrs: { 'data-state': 'unknown', title: 'Reading API-key states…' } }, [kit.el('span', { className: 'muted', text: '…' })]);
    }
    const state = this.apiKeyState(agentId);
    const shown = state === 'none' ? kit.el('span', { className: 'muted', text: 'None' }) : kit.label(kit.stateWords(state), kit.stateColor(state));
    return kit.el('td', { className: 'api-key-state', attrs: { 'data-state': state } }, [shown]);
  }

  private renderSummary(): void {
    const slice = this.slice;
    // While slices are still arriving the counts are running totals: "120+".
    const suffix = slice === null || slice.cursor !== null ? '+' : '';
    const count = (key: 'agents' | 'accountAdmins' | 'lackingAccountAdmin'): number | null => (slice === null ? null : slice.summary[key]);
    this.layout.summary.replaceChildren(
      summaryCard('Agents', count('agents'), suffix, 'agents'),
      summaryCard('Account Admins', count('accountAdmins'), suffix, 'accountAdmins'),
      summaryCard('Lacking Account Admin', count('lackingAccountAdmin'), suffix, 'lackingAccountAdmin'),
      summaryCard('Pending API-key requests', this.listedStates === null ? null : window.consoleModel.countState(this.states, 'requested'), '', 'pending'),
    );
  }

  private renderProgress(loading: boolean): void {
    const kit = window.accessKit;
    const root = this.layout.root();
    root.setAttribute('data-load-state', loading ? 'loading' : 'done');
    if (!loading) {
      this.layout.progress.replaceChildren();
      return;
    }
    const progress = this.slice?.progress;
    const words = progress === undefined ? 'Reading the account…' : `Read ${countText(progress.agentsLoaded)} agents (${progress.pagesLoaded} pages) so far…`;
    this.layout.progress.replaceChildren(
      kit.el('div', { className: 'progress-track', attrs: { role: 'progressbar', 'aria-label': 'Loading agents', 'aria-valuetext': words } }, [
        kit.el('div', { className: 'progress-bar' }),
      ]),
      kit.el('span', { className: 'progress-words', text: words }),
    );
  }

  private renderAdmins(): void {
    const kit = window.accessKit;
    const slice = this.slice;
    const stillReading = slice !== null && slice.cursor !== null;
    const admins = this.rows.filter((row) => row.agent.isAccountAdmin && row.agent.active).map((row) => row.agent);
    this.renderRoleWarning(slice, admins.length);
    const items = admins.map((admin) => kit.el('li', {}, [kit.el('span', { className: 'person-name', text: admin.name }), kit.el('span', { className: 'person-email', text: admin.email })]));
    const note = stillReading ? kit.el('p', { className: 'hint', text: 'Still reading the account: more may follow.' }) : null;
    const empty = items.length === 0 && !stillReading ? kit.el('p', { className: 'empty', text: 'Nobody holds Account Admin.' }) : null;
    this.layout.admins.replaceChildren(kit.el('ul', { className: 'people' }, items), ...[note, empty].filter((node): node is HTMLElement => node !== null));
  }

  private renderRoleWarning(slice: AccessOverviewSlice | null, activeAdmins: number): void {
    if (slice === null) {
      return;
    }
    const roleMissing = slice.accountAdminRole === null;
    const nobody = slice.cursor === null && activeAdmins === 0;
    this.layout.roleWarning.replaceChildren(...(roleMissing || nobody ? [this.noAdminWarning(roleMissing)] : []));
  }

  private noAdminWarning(roleMissing: boolean): HTMLElement {
    const kit = window.accessKit;
    const words = roleMissing ? 'This account has no "Account Admin" role.' : 'This account has no active Account Admin.';
    return kit.el('fw-inline-message', { attrs: { type: 'warning', closable: 'false' } }, [
      kit.el('strong', { text: words }),
      kit.el('p', { text: 'Nobody can enable API keys until Freshservice support (or the account owner) restores an Account Admin.' }),
    ]);
  }

  private renderPending(): void {
    const kit = window.accessKit;
    const queue = this.pending.length === 0 ? null : kit.button(`Work through pending requests (${this.pending.length})`, 'primary', () => this.openQueue());
    this.layout.queueButton.replaceChildren(...(queue === null ? [] : [queue]));
    if (this.pending.length === 0) {
      this.layout.pending.replaceChildren(kit.el('p', { className: 'empty', text: 'No pending API-key requests.' }));
      return;
    }
    const items = this.pending.map((request) =>
      kit.el('li', { className: 'pending-item', attrs: { 'data-agent-id': String(request.agentId) } }, [
        kit.el('div', { className: 'pending-words' }, [
          kit.el('span', { className: 'person-name', text: request.name }),
          kit.el('span', { className: 'person-email', text: `${kit.formatDate(request.requestedAt)}${request.reasonPreview ? `: ${request.reasonPreview}` : ''}` }),
        ]),
        kit.button('Access', 'secondary', () => this.openAccess(request.agentId, 'Agent access')),
      ]),
    );
    this.layout.pending.replaceChildren(kit.el('ul', { className: 'people' }, items));
  }

  /** The latest change of each agent with a record, newest first: "recorded in this app by" the person named. */
  private renderTrail(entries: ApiKeyIndexEntry[]): void {
    const kit = window.accessKit;
    if (entries.length === 0) {
      this.layout.trail.replaceChildren(kit.el('p', { className: 'empty', text: 'Nothing recorded yet.' }));
      return;
    }
    const items = entries.map((entry) =>
      kit.el('li', {}, [
        kit.el('span', { className: 'date', text: kit.formatDate(entry.updatedAt) }),
        kit.el('span', { text: ` ${this.nameOf(entry.lastActorId)} ${TRAIL_WORDS[entry.lastAction](this.nameOf(entry.agentId))} (${kit.stateWords(entry.state)})` }),
      ]),
    );
    this.layout.trail.replaceChildren(kit.el('ul', { className: 'trail-list' }, items));
  }
}

async function startConsole(): Promise<void> {
  const kit = window.accessKit;
  const root = document.getElementById('app');
  if (root === null) {
    return;
  }
  root.replaceChildren(kit.skeleton(8, 'Opening the access console…'));
  const client = await app.initialized();
  const [loggedIn, host] = await Promise.all([client.data.get('loggedInUser'), client.data.get('currentHost')]);
  new AccessConsole(client, kit.readPerson(loggedIn, 'loggedInUser'), kit.readHostUrl(host)).start(root);
}

startConsole().catch((error: unknown) => {
  const root = document.getElementById('app');
  root?.replaceChildren(window.accessKit.errorPanel(window.accessKit.toWidgetError(error), () => window.location.reload()));
});
