/*
 * full_page_app: the access console. It first reads who is looking (getProfileAccess on the
 * viewer's own id): an Account Admin sees the queue of pending requests first; anyone else sees
 * their own API key (state and request) and who can enable keys, and no Permissions links they
 * cannot use. Then it loads the account slice by slice (honouring the server's waitMs pacing),
 * draws the first rows as soon as the first slice arrives, and keeps filter, search, sort and
 * paging on in-memory arrays so 10,000 agents stay fast. Timings are recorded with the User
 * Timing API (performance.measure 'console:*') for the widget benchmark.
 */

const ROWS_PER_PAGE = 50;
const RECENT_ACTIVITY = 10;

const FILTER_WORDS: Record<ConsoleFilter, MessageKey> = {
  all: 'console.filter.all',
  lacking: 'console.filter.lacking',
  pending: 'console.filter.pending',
};

/** Name and email share the first column (the email gets the room it needs); occasional is a tag there. */
const COLUMNS: { keys: ConsoleSortKey[]; className: string }[] = [
  { keys: ['name', 'email'], className: 'col-person' },
  { keys: ['roles'], className: 'col-roles' },
  { keys: ['accountAdmin'], className: 'col-account-admin' },
  { keys: ['lastLogin'], className: 'col-last-login' },
  { keys: ['apiKey'], className: 'col-api-key' },
];

const SORT_WORDS: Record<ConsoleSortKey, MessageKey> = {
  name: 'console.column.name',
  email: 'console.column.email',
  roles: 'console.column.roles',
  accountAdmin: 'console.column.accountAdmin',
  lastLogin: 'console.column.lastLogin',
  apiKey: 'console.column.apiKey',
};

/** "Recorded in this app as Ana Souza: declined the API-key request of Rahul Mehta (now: Declined)". */
function trailLine(entry: ApiKeyIndexEntry, actor: string): string {
  const text = window.accessText;
  const what = window.accessParts.didWords(entry.lastAction, entry.name);
  return text.t('trail.line', { actor, what }) + text.t('trail.now', { state: window.accessKit.stateWords(entry.state) });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => {
    window.setTimeout(resolve, Math.max(0, ms));
  });
}

function measureSince(name: string, start: number): void {
  performance.measure(name, { start, end: performance.now() });
}

function countText(value: number | null, running: boolean): string {
  if (value === null) {
    return '…';
  }
  const shown = window.accessText.number(value);
  return running ? `${shown}+` : shown;
}

function summaryCard(key: string, title: string, value: string, note: string | null): HTMLElement {
  const kit = window.accessKit;
  return kit.el('div', { className: 'stat', attrs: { 'data-stat': key } }, [
    kit.el('span', { className: 'stat-value', text: value }),
    kit.el('span', { className: 'stat-title', text: title }),
    note === null ? null : kit.el('span', { className: 'stat-note', text: note }),
  ]);
}

function operator(sign: string): HTMLElement {
  return window.accessKit.el('span', { className: 'stat-operator', text: sign, attrs: { 'aria-hidden': 'true' } });
}

function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = window.accessKit.el('a', { attrs: { href: url, download: fileName } });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** The console's name and what it is for, with the explanation that needs no data: shown even when nothing could be read. */
function consoleHeading(): HTMLElement {
  const kit = window.accessKit;
  return kit.el('div', { className: 'console-heading' }, [
    kit.el('h1', { text: window.accessText.t('console.title') }),
    kit.el('p', { className: 'subtitle', text: window.accessText.t('console.subtitle') }),
    window.accessParts.standingExplanation(),
  ]);
}

function card(className: string, titleId: string, title: string, body: HTMLElement, extra: (HTMLElement | null)[] = []): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: `card ${className}`, attrs: { 'aria-labelledby': titleId } }, [kit.el('h2', { text: title, attrs: { id: titleId } }), ...extra, body]);
}

/**
 * A native <dialog>: a title, a body that scrolls, and a footer that stays visible with the
 * step's primary action. Padding around every focusable thing keeps focus rings unclipped.
 */
class AppDialog {
  readonly element = window.accessKit.el('dialog', { className: 'app-dialog', attrs: { 'aria-labelledby': 'dialog-title' } }) as HTMLDialogElement;
  readonly title = window.accessKit.el('h2', { className: 'dialog-title', attrs: { id: 'dialog-title' } });
  readonly body = window.accessKit.el('div', { className: 'dialog-body' });
  readonly footer = window.accessKit.el('footer', { className: 'dialog-footer' });
  private onClosed: (() => void) | null = null;

  constructor() {
    const kit = window.accessKit;
    const close = kit.el('button', { className: 'dialog-close', text: '×', attrs: { type: 'button', 'aria-label': window.accessText.t('action.close') } });
    close.addEventListener('click', () => this.close());
    this.element.append(kit.el('div', { className: 'dialog-frame' }, [kit.el('header', { className: 'dialog-header' }, [this.title, close]), this.body, this.footer]));
    this.element.addEventListener('close', () => {
      const closed = this.onClosed;
      this.onClosed = null;
      closed?.();
    });
  }

  open(onClosed: () => void): void {
    this.onClosed?.();
    this.onClosed = onClosed;
    if (!this.element.open) {
      this.element.showModal();
    }
  }

  close(): void {
    if (this.element.open) {
      this.element.close();
    }
  }
}

/** One "Actions" menu shared by every row (a popover in the top layer, so no table cell clips it). */
class RowMenu {
  readonly element = window.accessKit.el('div', { className: 'row-menu', attrs: { popover: 'auto', role: 'menu', id: 'row-menu' } });
  private trigger: HTMLElement | null = null;

  constructor() {
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('toggle', (event) => {
      if ((event as Event & { newState?: string }).newState === 'closed') {
        this.trigger?.setAttribute('aria-expanded', 'false');
      }
    });
  }

  open(trigger: HTMLElement, items: { words: string; run: () => void }[]): void {
    const kit = window.accessKit;
    this.trigger = trigger;
    this.element.replaceChildren(
      ...items.map((item) => {
        const entry = kit.el('button', { className: 'row-menu-item', text: item.words, attrs: { type: 'button', role: 'menuitem' } });
        entry.addEventListener('click', () => {
          this.element.hidePopover();
          item.run();
        });
        return entry;
      }),
    );
    this.element.showPopover();
    this.place(trigger.getBoundingClientRect());
    trigger.setAttribute('aria-expanded', 'true');
    this.menuItems()[0]?.focus();
  }

  /** Below the trigger, or above it when the frame ends first (the menu is fixed: scrolling cannot bring it into view). */
  private place(box: DOMRect): void {
    const height = this.element.offsetHeight;
    const below = box.bottom + 4 + height <= window.innerHeight;
    this.element.style.top = `${Math.round(below ? box.bottom + 4 : Math.max(8, box.top - 4 - height))}px`;
    this.element.style.left = `${Math.round(Math.max(8, box.right - this.element.offsetWidth))}px`;
  }

  private menuItems(): HTMLElement[] {
    return [...this.element.querySelectorAll<HTMLElement>('.row-menu-item')];
  }

  private onKey(event: KeyboardEvent): void {
    const items = this.menuItems();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const step: Record<string, number> = { ArrowDown: 1, ArrowUp: -1 };
    if (event.key in step) {
      event.preventDefault();
      items[(at + (step[event.key] ?? 0) + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      this.element.hidePopover();
      this.trigger?.focus();
    }
  }
}

class ConsoleLayout {
  readonly summary = window.accessKit.el('div', { className: 'summary', attrs: { 'aria-live': 'polite' } });
  readonly progress = window.accessKit.el('div', { className: 'progress', attrs: { role: 'status' } });
  readonly loadError = window.accessKit.el('div', { className: 'load-error' });
  readonly roleWarning = window.accessKit.el('div', { className: 'role-warning' });
  readonly admins = window.accessKit.el('div', { className: 'admins-body' });
  readonly yourKey = window.accessKit.el('div', { className: 'your-key-body' });
  readonly filters = window.accessKit.el('div', { className: 'filters', attrs: { role: 'group', 'aria-label': window.accessText.t('console.filter.label') } });
  readonly search = window.accessKit.el('fw-input', {
    className: 'search',
    attrs: { placeholder: window.accessText.t('console.search.placeholder'), 'clear-input': '', 'aria-label': window.accessText.t('console.search.label') },
  });
  readonly headRow = window.accessKit.el('tr');
  readonly body = window.accessKit.el('tbody');
  readonly empty = window.accessKit.el('div', { className: 'empty-state' });
  readonly statesStatus = window.accessKit.el('div', { className: 'states-status', attrs: { role: 'status' } });
  readonly pagination = window.accessKit.el('fw-pagination', { attrs: { 'per-page': String(ROWS_PER_PAGE), page: '1', total: '0' } });
  readonly pending = window.accessKit.el('div', { className: 'pending-body' });
  readonly queueButton = window.accessKit.el('div', { className: 'queue-slot' });
  readonly trail = window.accessKit.el('div', { className: 'trail-body' });
  readonly recorded = window.accessKit.el('div', { className: 'recorded-body' });
  readonly exportSlot = window.accessKit.el('div', { className: 'export-slot' });
  readonly toggle = window.accessKit.el('fw-toggle', { attrs: { label: window.accessText.t('console.includeDeactivated'), size: 'small', 'data-control': 'include-deactivated' } });
  readonly dialog = new AppDialog();
  readonly rowMenu = new RowMenu();
  private rootElement: HTMLElement = document.body;

  root(): HTMLElement {
    return this.rootElement;
  }

  /** fw-toggle's label is only an aria-label: show the words next to it, clickable too. */
  private toggleRow(): HTMLElement {
    const words = window.accessKit.el('span', { className: 'toggle-words', text: window.accessText.t('console.includeDeactivated') });
    words.addEventListener('click', () => this.toggle.click());
    return window.accessKit.el('div', { className: 'toggle-row' }, [this.toggle, words]);
  }

  private header(): HTMLElement {
    const kit = window.accessKit;
    return kit.el('header', { className: 'console-header' }, [consoleHeading(), kit.el('div', { className: 'header-actions' }, [this.exportSlot])]);
  }

  private agentsCard(): HTMLElement {
    const kit = window.accessKit;
    const table = kit.el('table', { className: 'agents-table' }, [kit.el('thead', {}, [this.headRow]), this.body]);
    return kit.el('section', { className: 'card agents', attrs: { 'aria-labelledby': 'agents-title' } }, [
      kit.el('h2', { text: window.accessText.t('console.agents.title'), attrs: { id: 'agents-title' } }),
      kit.el('div', { className: 'toolbar' }, [this.filters, this.search]),
      this.statesStatus,
      kit.el('div', { className: 'table-wrap' }, [table]),
      this.empty,
      this.pagination,
    ]);
  }

  /** An Account Admin sees the queue first; anyone else their own key and who can enable keys. */
  mount(root: HTMLElement, viewerIsAccountAdmin: boolean): void {
    const kit = window.accessKit;
    const text = window.accessText;
    this.rootElement = root;
    root.setAttribute('data-viewer', viewerIsAccountAdmin ? 'account-admin' : 'agent');
    const admins = card('admins', 'admins-title', text.t('console.admins.title'), this.admins);
    const trail = card('trail', 'trail-title', text.t('console.trail.title'), this.trail);
    const summary = kit.el('div', { className: 'summary-bar' }, [this.summary, this.toggleRow()]);
    const top = viewerIsAccountAdmin
      ? [card('queue-card', 'pending-title', text.t('console.pending.title'), this.pending, [this.queueButton])]
      : [kit.el('div', { className: 'columns' }, [card('your-key', 'your-key-title', text.t('console.yourKey.title'), this.yourKey), admins])];
    const middle = viewerIsAccountAdmin ? [kit.el('div', { className: 'columns' }, [admins, trail]), kit.el('div', { className: 'card recorded' }, [this.recorded])] : [];
    const bottom = viewerIsAccountAdmin ? [] : [trail];
    root.replaceChildren(this.header(), this.roleWarning, ...top, summary, this.progress, this.loadError, ...middle, this.agentsCard(), ...bottom, this.dialog.element, this.rowMenu.element);
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
  /** Every agent with a record, as listApiKeyIndex listed them; null until all pages have arrived. */
  private listedStates: ApiKeyIndexEntry[] | null = null;
  /** Names by agent id, from every answer so far (the viewer's, the Account Admins, the index, the slices): the activity names people, never ids. */
  private readonly names = new Map<number, string>();
  /** The activity's entries, drawn again as slices bring the names it lacked. */
  private trailEntries: ApiKeyIndexEntry[] = [];
  private trailNamed = true;
  /** What was recorded in this app under the viewer's name (an Account Admin's), newest first. */
  private recorded: RecordedUnderName[] = [];
  /** States that actions in this console answered since it loaded (newer than the listing, or not yet in it). */
  private readonly answeredStates: KnownApiKeyState[] = [];
  private states = new Map<number, KnownApiKeyState>();
  private firstRowsDrawn = false;
  private loadStartedAt = 0;
  private isAccountAdmin = false;
  private dialogView: AccessViewHandle | null = null;
  /** A change made in a dialog: the pending list and the activity are read again once it closes. */
  private ledgerChanged = false;

  constructor(
    private readonly client: FdkClient,
    private readonly viewer: Person,
    private readonly host: string,
  ) {}

  start(root: HTMLElement, profile: ProfileAccess): void {
    this.isAccountAdmin = profile.viewer?.isAccountAdmin === true;
    this.names.set(this.viewer.id, this.viewer.name);
    (profile.accountAdmins?.accountAdmins ?? []).forEach((admin) => this.names.set(admin.id, admin.name));
    this.recorded = profile.recordedAsViewer ?? [];
    this.layout.mount(root, this.isAccountAdmin);
    window.accessKit.adjustCrayons(this.layout.pagination);
    this.wireControls();
    this.renderFilters();
    this.renderHead();
    this.renderTable();
    this.renderSummary();
    this.layout.admins.replaceChildren(window.accessKit.el('p', { className: 'hint', text: window.accessText.t('console.readingAccount') }));
    if (this.isAccountAdmin) {
      this.renderPendingCount(window.accessParts.pendingCountOf(profile));
      this.renderRecorded();
    } else {
      // The viewer's own key, from the answer just read: no second call.
      window.accessView.mount(this.layout.yourKey, { client: this.client, viewer: this.viewer, viewedId: this.viewer.id, host: this.host, profile, onLedgerChange: (change) => this.onLedgerChange(change) });
    }
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
    this.layout.exportSlot.replaceChildren(kit.button(window.accessText.t('console.export'), 'secondary', () => this.exportCsv()));
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
    this.renderSummary();
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
      this.names.set(agent.id, agent.name);
    }
    this.refreshView('slice');
    if (!this.trailNamed) {
      this.renderTrail();
    }
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
    const kit = window.accessKit;
    const text = window.accessText;
    const failure = kit.toWidgetError(error);
    this.renderProgress(false);
    // A 400 here means the server refused the continuation (expired or not its own): only a fresh start can succeed.
    const restart = failure.status === 400;
    const retry = restart ? () => this.restartOverview() : () => this.continueOverview(generation);
    const goesOn = kit.adviceFor(failure).action === 'wait' ? 'console.load.goesOn' : 'console.load.continue';
    const hint = text.t(restart ? 'console.load.restart' : goesOn);
    const loaded = this.rows.length > 0 ? kit.el('p', { className: 'hint', text: text.count('console.load.kept', this.rows.length, { next: hint }) }) : null;
    this.layout.loadError.replaceChildren(kit.errorPanel(failure, retry), ...(loaded === null ? [] : [loaded]));
    this.layout.root().setAttribute('data-load-state', 'error');
  }

  /**
   * The ledger's index, in one read of the app's storage for most accounts: the queue (for an
   * Account Admin), the API-key column, the pending count and the recent activity all come from it.
   */
  private refreshLedger(): void {
    const kit = window.accessKit;
    const text = window.accessText;
    const sections = [this.layout.statesStatus, this.layout.trail, ...(this.isAccountAdmin ? [this.layout.pending] : [])];
    this.layout.statesStatus.replaceChildren(kit.el('p', { className: 'hint', text: text.t('loading.states') }));
    this.layout.trail.replaceChildren(kit.skeleton(3, text.t('loading.activity')));
    if (this.isAccountAdmin) {
      this.layout.pending.replaceChildren(kit.skeleton(2, text.t('loading.pending')));
    }
    this.loadIndex().catch((error: unknown) => sections.forEach((section) => this.showSectionError(section, error, () => this.refreshLedger())));
  }

  private async loadIndex(): Promise<void> {
    const entries = await window.accessKit.readLedgerIndex(this.client);
    this.listedStates = entries;
    this.layout.statesStatus.replaceChildren();
    this.pending = window.accessKit.pendingRequestsOf(entries);
    entries.forEach((entry) => this.names.set(entry.agentId, this.names.get(entry.agentId) ?? entry.name));
    this.applyStates();
    this.renderPending();
    this.trailEntries = [...entries].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, RECENT_ACTIVITY);
    this.renderTrail();
  }

  private applyStates(): void {
    this.states = window.consoleModel.knownStates(this.listedStates ?? [], this.answeredStates);
    this.renderSummary();
    this.refreshView('states');
  }

  /** After an action, the answer is the agent's record: the authority on their state, no listing needed. */
  private onLedgerChange(change: LedgerChange): void {
    const record = change.record;
    this.answeredStates.push(window.consoleModel.stateOfRecord(record));
    this.applyStates();
    this.noteRecordedAsViewer(change);
    if (this.layout.dialog.element.open) {
      // Read once the dialog closes: a queue of decisions would spend $db's 50 operations a minute on re-reads.
      this.ledgerChanged = true;
      this.dropFromPending(record);
      return;
    }
    this.refreshLedger();
  }

  /** An Account Admin's own action on someone's key is also recorded under their name: the list shows it at once. */
  private noteRecordedAsViewer(change: LedgerChange): void {
    if (!this.isAccountAdmin || !change.changed || change.action === 'requested') {
      return;
    }
    const at = change.record.updatedAt ?? new Date().toISOString();
    this.recorded = [{ at, action: change.action, target: change.record.agent, version: change.record.version }, ...this.recorded];
    this.renderRecorded();
  }

  private dropFromPending(record: ApiKeyRecord): void {
    if (record.state !== 'requested') {
      this.pending = this.pending.filter((request) => request.agent.id !== record.agent.id);
      this.renderPending();
    }
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
    const kit = window.accessKit;
    const text = window.accessText;
    if (this.listedStates === null) {
      kit.notify(this.client, 'warning', text.t('console.export.wait.title'), text.t('console.export.wait.message'));
      return;
    }
    const csv = kit.toCsv(window.consoleModel.csvRows(this.view, this.apiKeyState));
    downloadCsv(`agents-${this.consoleQuery.filter}.csv`, csv);
    kit.notify(this.client, 'success', text.t('console.export.done.title'), text.count('console.export.done.message', this.view.length));
  }

  private openPermissions(agent: AgentAccess): void {
    const kit = window.accessKit;
    const text = window.accessText;
    // Open the tab inside the click (pop-up blockers), then point it at the path the server gives.
    const tab = window.open('about:blank', '_blank');
    if (tab === null) {
      kit.notify(this.client, 'warning', text.t('console.popup.title'), text.t('console.popup.message'));
      return;
    }
    tab.opener = null;
    kit
      .callServer(this.client, 'getUserAccess', { email: agent.email })
      .then((access) => this.pointTab(tab, access))
      .catch((error: unknown) => {
        tab.close();
        const failure = kit.toWidgetError(error);
        kit.notify(this.client, 'danger', kit.adviceFor(failure).title, failure.message);
      });
  }

  private pointTab(tab: Window, access: UserAccess): void {
    if (access.permissionsPath === null) {
      tab.close();
      window.accessKit.notify(this.client, 'info', window.accessText.t('console.notAgent.title'), window.accessText.t('console.notAgent.message'));
      return;
    }
    tab.location.href = window.accessKit.permissionsUrl(this.host, access.permissionsPath);
  }

  /** Closing a dialog stops its view and reads the ledger's lists again if something changed. */
  private dialogClosed(): void {
    this.dialogView?.dispose();
    this.dialogView = null;
    if (this.ledgerChanged) {
      this.ledgerChanged = false;
      this.refreshLedger();
    }
  }

  private openAccess(agent: { id: number; name: string; email?: string }): void {
    const dialog = this.layout.dialog;
    const slot = window.accessKit.el('div', { className: 'step-actions actions' });
    const close = window.accessKit.button(window.accessText.t('action.close'), 'text', () => dialog.close());
    dialog.title.textContent = window.accessText.t('console.access.title', { name: agent.name });
    dialog.footer.replaceChildren(slot, window.accessKit.el('span', { className: 'footer-gap' }), close);
    const content = window.accessKit.el('div', { className: 'modal-view' });
    dialog.body.replaceChildren(content);
    dialog.open(() => this.dialogClosed());
    this.dialogView = window.accessView.mount(content, {
      client: this.client,
      viewer: this.viewer,
      viewedId: agent.id,
      ...(agent.email === undefined ? {} : { viewedEmail: agent.email }),
      host: this.host,
      actionsSlot: slot,
      onLedgerChange: (change) => this.onLedgerChange(change),
    });
  }

  private openQueue(): void {
    const dialog = this.layout.dialog;
    dialog.open(() => this.dialogClosed());
    window.accessQueue.mount(dialog.body, {
      client: this.client,
      viewer: this.viewer,
      host: this.host,
      // Until the list has arrived, the queue reads it itself.
      ...(this.listedStates === null ? {} : { requests: [...this.pending] }),
      title: dialog.title,
      footer: dialog.footer,
      onClose: () => dialog.close(),
      onLedgerChange: (change) => this.onLedgerChange(change),
    });
  }

  // ---- rendering -------------------------------------------------------------------------

  private refreshView(kind: string): void {
    const start = performance.now();
    this.view = window.consoleModel.query(this.rows, this.consoleQuery, this.apiKeyState);
    this.renderTable();
    measureSince(`console:${kind}`, start);
  }

  /** Native toggle buttons: a screen reader announces which filter is pressed (a Crayons button keeps its real button in its shadow root). */
  private renderFilters(): void {
    const kit = window.accessKit;
    const buttons = (Object.keys(FILTER_WORDS) as ConsoleFilter[]).map((filter) => {
      const selected = this.consoleQuery.filter === filter;
      const node = kit.el('button', { className: 'filter-button', text: window.accessText.t(FILTER_WORDS[filter]), attrs: { type: 'button', 'aria-pressed': String(selected), 'data-filter': filter } });
      node.addEventListener('click', () => this.onFilter(filter));
      return node;
    });
    this.layout.filters.replaceChildren(...buttons);
  }

  private sortButton(key: ConsoleSortKey): HTMLElement {
    const sorted = this.consoleQuery.sortKey === key;
    const arrow = sorted ? (this.consoleQuery.descending ? ' ▼' : ' ▲') : '';
    const node = window.accessKit.el('button', { className: 'sort', text: `${window.accessText.t(SORT_WORDS[key])}${arrow}`, attrs: { type: 'button', 'data-sort': key } });
    node.addEventListener('click', () => this.onSort(key));
    return node;
  }

  private renderHead(): void {
    const kit = window.accessKit;
    const cells = COLUMNS.map(({ keys, className }) => {
      const sorted = keys.includes(this.consoleQuery.sortKey);
      const order = this.consoleQuery.descending ? 'descending' : 'ascending';
      const buttons = keys.flatMap((key, index) => (index === 0 ? [this.sortButton(key)] : [kit.el('span', { className: 'sort-separator', text: ' / ' }), this.sortButton(key)]));
      return kit.el('th', { className, attrs: { scope: 'col', 'aria-sort': sorted ? order : 'none' } }, buttons);
    });
    this.layout.headRow.replaceChildren(...cells, kit.el('th', { className: 'col-actions', text: window.accessText.t('console.column.actions'), attrs: { scope: 'col' } }));
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
    const text = window.accessText;
    if (this.view.length > 0) {
      return null;
    }
    if (this.slice === null) {
      return text.t('console.loadingAgents');
    }
    if (this.consoleQuery.search.trim() !== '') {
      return text.t('console.empty.search', { search: this.consoleQuery.search.trim() });
    }
    const words: Record<ConsoleFilter, MessageKey> = { all: 'console.empty.all', lacking: 'console.empty.lacking', pending: 'console.empty.pending' };
    return text.t(words[this.consoleQuery.filter]);
  }

  private personCell(row: ConsoleRow): HTMLElement {
    const kit = window.accessKit;
    const text = window.accessText;
    const agent = row.agent;
    return kit.el('td', { className: 'person', attrs: { title: `${agent.name}\n${agent.email}` } }, [
      kit.el('span', { className: 'person-name', text: agent.name }),
      agent.occasional ? kit.el('span', { className: 'tag', text: text.t('label.occasional') }) : null,
      agent.active ? null : kit.el('span', { className: 'tag muted deactivated', text: text.t('label.deactivated') }),
      kit.el('span', { className: 'person-email', text: agent.email }),
    ]);
  }

  private rowElement(row: ConsoleRow): HTMLElement {
    const kit = window.accessKit;
    const text = window.accessText;
    const agent = row.agent;
    return kit.el('tr', { attrs: { 'data-agent-id': String(agent.id) } }, [
      this.personCell(row),
      kit.el('td', { className: 'roles', text: row.rolesText }),
      kit.el('td', { className: 'account-admin' }, [agent.isAccountAdmin ? kit.label(text.t('csv.yes'), 'green') : kit.label(text.t('csv.no'), 'grey')]),
      kit.el('td', { className: 'date' }, [kit.timeElement(agent.lastLoginAt)]),
      this.stateCell(agent.id),
      kit.el('td', { className: 'row-actions' }, [this.rowActions(agent)]),
    ]);
  }

  /** One menu per row for an Account Admin; anyone else can only look (no Permissions page they cannot use). */
  private rowActions(agent: AgentAccess): HTMLElement {
    const kit = window.accessKit;
    const text = window.accessText;
    if (!this.isAccountAdmin) {
      return kit.button(text.t('console.row.view'), 'secondary', () => this.openAccess(agent));
    }
    const trigger = kit.el('button', {
      className: 'menu-button',
      text: `${text.t('console.row.actions')} ▾`,
      attrs: { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'row-menu', 'aria-label': text.t('console.row.actionsFor', { name: agent.name }) },
    });
    trigger.addEventListener('click', () =>
      this.layout.rowMenu.open(trigger, [
        { words: text.t('console.row.access'), run: () => this.openAccess(agent) },
        { words: text.t('console.row.permissions'), run: () => this.openPermissions(agent) },
      ]),
    );
    return trigger;
  }

  private stateCell(agentId: number): HTMLElement {
    const kit = window.accessKit;
    if (this.listedStates === null && !this.states.has(agentId)) {
      return kit.el('td', { className: 'api-key-state', attrs: { 'data-state': 'unknown', title: window.accessText.t('loading.states') } }, [kit.el('span', { className: 'muted', text: '…' })]);
    }
    const state = this.apiKeyState(agentId);
    const shown = state === 'none' ? kit.el('span', { className: 'muted', text: kit.stateWords(state) }) : kit.label(kit.stateWords(state), kit.stateColor(state));
    return kit.el('td', { className: 'api-key-state', attrs: { 'data-state': state } }, [shown]);
  }

  /** Agents = Account Admins + without Account Admin (+ deactivated when included): the numbers add up. */
  private renderSummary(): void {
    const text = window.accessText;
    const pending = this.listedStates === null ? null : window.consoleModel.countState(this.states, 'requested');
    this.layout.summary.replaceChildren(
      window.accessKit.el('div', { className: 'stat-sum' }, this.sumCards()),
      summaryCard('pending', text.t('console.stat.pending'), countText(pending, false), null),
    );
  }

  private sumCards(): HTMLElement[] {
    const text = window.accessText;
    const slice = this.slice;
    // The server's running totals through the last slice (the same agents as the rows held): "120+" while slices arrive.
    const running = slice === null || slice.cursor !== null;
    const shown = (key: keyof AccessSummary): string => countText(slice === null ? null : slice.summary[key], running);
    const cards = [
      summaryCard('agents', text.t('console.stat.agents'), shown('agents'), null),
      operator('='),
      summaryCard('accountAdmins', text.t('console.stat.accountAdmins'), shown('accountAdmins'), text.t('console.stat.accountAdminsNote')),
      operator('+'),
      summaryCard('lackingAccountAdmin', text.t('console.stat.withoutAccountAdmin'), shown('lackingAccountAdmin'), text.t('console.stat.withoutAccountAdminNote')),
    ];
    return this.includeDeactivated ? [...cards, operator('+'), summaryCard('deactivated', text.t('console.stat.deactivated'), shown('deactivated'), null)] : cards;
  }

  private renderProgress(loading: boolean): void {
    const kit = window.accessKit;
    const text = window.accessText;
    const root = this.layout.root();
    root.setAttribute('data-load-state', loading ? 'loading' : 'done');
    if (!loading) {
      this.layout.progress.replaceChildren();
      return;
    }
    const progress = this.slice?.progress;
    const words = progress === undefined ? text.t('console.readingAccount') : text.count('console.progress', progress.agentsLoaded, { pages: text.number(progress.pagesLoaded) });
    this.layout.progress.replaceChildren(
      kit.el('div', { className: 'progress-track', attrs: { role: 'progressbar', 'aria-label': text.t('console.loadingAgents'), 'aria-valuetext': words } }, [kit.el('div', { className: 'progress-bar' })]),
      kit.el('span', { className: 'progress-words', text: words }),
    );
  }

  private renderAdmins(): void {
    const kit = window.accessKit;
    const text = window.accessText;
    const slice = this.slice;
    const stillReading = slice !== null && slice.cursor !== null;
    const admins = this.rows.filter((row) => row.agent.isAccountAdmin && row.agent.active).map((row) => row.agent);
    this.renderRoleWarning(slice, admins);
    const items = admins.map((admin) => kit.el('li', {}, [kit.el('span', { className: 'person-name', text: admin.name }), kit.el('a', { className: 'person-email', text: admin.email, attrs: { href: window.accessAsk.mailto([admin.email]), target: '_blank', rel: 'noopener' } })]));
    const note = stillReading ? kit.el('p', { className: 'hint', text: text.t('console.admins.more') }) : null;
    const empty = items.length === 0 && !stillReading ? kit.el('p', { className: 'empty', text: text.t('console.admins.none') }) : null;
    const intro = kit.el('p', { className: 'hint', text: text.t('console.admins.intro') });
    this.layout.admins.replaceChildren(intro, kit.el('ul', { className: 'people' }, items), ...[note, empty].filter((node): node is HTMLElement => node !== null));
  }

  /** The sidebar's warning, from what the overview read so far: the list is complete once the last slice arrived. */
  private renderRoleWarning(slice: AccessOverviewSlice | null, activeAdmins: AgentAccess[]): void {
    if (slice === null) {
      return;
    }
    const warning = window.accessParts.noAccountAdminWarning({ accountAdminRole: slice.accountAdminRole, accountAdmins: activeAdmins, complete: slice.cursor === null });
    this.layout.roleWarning.replaceChildren(...(warning === null ? [] : [warning]));
  }

  private renderPendingCount(pending: PendingCount | null): void {
    const kit = window.accessKit;
    const text = window.accessText;
    const words = (count: number): string => text.count(pending?.partial === true ? 'console.pending.workAtLeast' : 'console.pending.work', count);
    const queue = pending === null || pending.count === 0 ? null : kit.button(words(pending.count), 'primary', () => this.openQueue());
    queue?.classList.add('queue-start');
    this.layout.queueButton.replaceChildren(...(queue === null ? [] : [queue]));
  }

  private renderPending(): void {
    const kit = window.accessKit;
    const text = window.accessText;
    this.renderPendingCount({ count: this.pending.length, partial: false });
    if (this.pending.length === 0) {
      this.layout.pending.replaceChildren(kit.el('p', { className: 'empty', text: text.t('console.pending.none') }));
      return;
    }
    const items = this.pending.map((request) =>
      kit.el('li', { className: 'pending-item', attrs: { 'data-agent-id': String(request.agent.id) } }, [
        kit.el('div', { className: 'pending-words' }, [
          kit.el('span', { className: 'person-name', text: request.agent.name }),
          kit.el('span', { className: 'person-email' }, [kit.timeElement(request.requestedAt)]),
        ]),
        kit.button(text.t('console.row.access'), 'secondary', () => this.openAccess(request.agent)),
      ]),
    );
    this.layout.pending.replaceChildren(kit.el('ul', { className: 'people' }, items));
  }

  /** A name for who made a change: the agent themselves (their index entry), else from every answer so far; the id only while unknown. */
  private actorName(entry: ApiKeyIndexEntry): string | null {
    return entry.lastActorId === entry.agentId ? entry.name : (this.names.get(entry.lastActorId) ?? null);
  }

  /**
   * The latest change of each agent with a record, newest first (each agent's whole history is in
   * their access view), each "recorded in this app as" the person named. Drawn again while a
   * slice may still bring a name it lacks.
   */
  private renderTrail(): void {
    const kit = window.accessKit;
    if (this.trailEntries.length === 0) {
      this.layout.trail.replaceChildren(kit.el('p', { className: 'empty', text: window.accessText.t('console.trail.none') }));
      return;
    }
    const actors = this.trailEntries.map((entry) => this.actorName(entry));
    this.trailNamed = actors.every((actor) => actor !== null);
    const items = this.trailEntries.map((entry, index) => {
      const actor = actors[index] ?? window.accessText.t('trail.unknownAgent', { id: String(entry.lastActorId) });
      return kit.el('li', { attrs: { 'data-agent-id': String(entry.agentId) } }, [kit.el('span', { className: 'date' }, [kit.timeElement(entry.updatedAt)]), kit.el('span', { text: ` ${trailLine(entry, actor)}` })]);
    });
    this.layout.trail.replaceChildren(kit.el('ul', { className: 'trail-list' }, items));
  }

  private renderRecorded(): void {
    this.layout.recorded.replaceChildren(window.accessParts.recordedAsViewer(this.recorded, 'h2'));
  }
}

/** Who is looking decides the layout, so their own access is read first (one call; it also answers the pending count). */
async function startConsole(): Promise<void> {
  const kit = window.accessKit;
  const root = document.getElementById('app');
  if (root === null) {
    return;
  }
  await window.accessText.ready();
  root.replaceChildren(consoleHeading(), kit.skeleton(8, window.accessText.t('loading.console')));
  const client = await app.initialized();
  const [loggedIn, host] = await Promise.all([client.data.get('loggedInUser'), client.data.get('currentHost')]);
  const viewer = kit.readPerson(loggedIn, 'loggedInUser');
  if (viewer === null) {
    showConsoleFailure({ status: 400, message: window.accessText.t('error.noViewer'), code: null });
    return;
  }
  const profile = await kit.callServer(client, 'getProfileAccess', { viewedId: viewer.id, viewedEmail: viewer.email, viewerId: viewer.id, viewerEmail: viewer.email });
  new AccessConsole(client, viewer, kit.readHostUrl(host)).start(root, profile);
}

/** Nothing could be read: the console keeps its title and the explanation (in its heading), then says what went wrong. */
function showConsoleFailure(error: WidgetError): void {
  const kit = window.accessKit;
  document
    .getElementById('app')
    ?.replaceChildren(kit.el('header', { className: 'console-header' }, [consoleHeading()]), kit.el('div', { className: 'failure-view', attrs: { 'data-case': 'failed' } }, [window.accessParts.failureEvidence(error), kit.errorPanel(error, () => window.location.reload())]));
}

startConsole().catch((error: unknown) => showConsoleFailure(window.accessKit.toWidgetError(error)));
