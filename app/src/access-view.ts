/*
 * The agent access view: the sidebar's content, also shown in the console's dialogs. Every case
 * leads with the answer and the next action:
 * - the agent's own page: if their key is off, why, what they hold, who can switch it on (mail
 *   links), and the request, which also opens the ready message to the Account Admins; after a
 *   decision, the outcome first; an Account Admin also sees what was recorded in their name;
 * - an Account Admin on another agent: the recorded state and the step's one primary action;
 * - anyone else on another agent: who can switch it on, and why the viewer cannot;
 * - a requester or a deactivated agent: one short line.
 * The widget only decides what to show: the server re-checks Account Admin for every action.
 * When the app's own storage ($db) refuses for the minute, the Freshservice facts still show and
 * only the API-key part is read again, by itself, with backoff (getApiKeyState).
 */

interface AccessFacts {
  access: UserAccess;
  /** null for requesters: nobody is asked about their page. */
  admins: AccountAdminsResult | null;
  /** null for requesters (only agents have API keys) and when the ledger could not be read. */
  record: ApiKeyRecord | null;
  /** Why the ledger could not be read: the rest of the view still shows. */
  recordError: WidgetError | null;
  viewer: ProfileViewer | null;
  isSelf: boolean;
  /** For an Account Admin viewer: how many requests wait (null otherwise). */
  pending: PendingCount | null;
  /** On an Account Admin's own page: the entries recorded in this app under their name. */
  recordedAsViewer: RecordedUnderName[] | null;
  /** The answer came: the app's own API key just worked. */
  evidence: KeyEvidence;
}

type ViewCase = 'requester' | 'self' | 'enable' | 'ask' | 'deactivated';

/** The server's limit for a reason (typed as the shared literal, so a change there fails this build). */
const REASON_MAX_LENGTH: typeof import('@common/ledger').LEDGER_TEXT_MAX_LENGTH = 500;
/**
 * The API-key part is read again by itself at most this many times, each wait doubled (capped):
 * the store counts its 50 operations a minute, so the first wait is the minute the server said
 * (or a minute, when the platform dropped that detail): 1, 2, 4, 4, 4 minutes.
 */
const RECORD_RETRIES = 5;
const STORE_MINUTE_SECONDS = 60;
const RECORD_RETRY_MAX_MS = 240_000;

const ACTION_NOTICES: Record<LedgerAction, { type: NotifyType; title: MessageKey; message: MessageKey }> = {
  requested: { type: 'success', title: 'notice.requested.title', message: 'notice.requested.message' },
  opened: { type: 'info', title: 'notice.opened.title', message: 'notice.opened.message' },
  enabled: { type: 'success', title: 'notice.enabled.title', message: 'notice.enabled.message' },
  declined: { type: 'info', title: 'notice.declined.title', message: 'notice.declined.message' },
  undo: { type: 'info', title: 'notice.undo.title', message: 'notice.undo.message' },
};

/** What getProfileAccess answered, as the view uses it (fields a server older than this widget lacks read as null). */
function factsFrom(profile: ProfileAccess, isSelf: boolean): AccessFacts {
  return {
    access: profile.viewed,
    admins: profile.accountAdmins,
    record: profile.apiKey,
    recordError: profile.apiKeyError === null ? null : window.accessKit.toWidgetError(profile.apiKeyError),
    viewer: profile.viewer,
    isSelf,
    pending: window.accessParts.pendingCountOf(profile),
    recordedAsViewer: profile.recordedAsViewer ?? null,
    evidence: { works: true, at: new Date().toISOString() },
  };
}

/** A decided request leaves the waiting count; a request filed (or put back by an undo) joins it. */
function pendingDelta(before: ApiKeyRecord | null, after: ApiKeyRecord): number {
  return before === null ? 0 : Number(after.state === 'requested') - Number(before.state === 'requested');
}

function changeOf(before: ApiKeyRecord | null, after: ApiKeyRecord, action: LedgerAction): LedgerChange {
  return { record: after, action, changed: before === null || before.version !== after.version, pendingDelta: pendingDelta(before, after) };
}

function caseOf(facts: AccessFacts): ViewCase {
  const agent = facts.access.agent;
  if (agent === null || facts.admins === null) {
    return 'requester';
  }
  if (facts.isSelf) {
    return 'self';
  }
  if (!agent.active) {
    return 'deactivated';
  }
  return facts.viewer?.isAccountAdmin === true ? 'enable' : 'ask';
}

function looksLikeRecord(value: unknown): value is ApiKeyRecord {
  return typeof value === 'object' && value !== null && typeof (value as { state?: unknown }).state === 'string';
}

function retryDelay(attempt: number, retryAfterSeconds: number | undefined): number {
  return Math.min(RECORD_RETRY_MAX_MS, (retryAfterSeconds ?? STORE_MINUTE_SECONDS) * 1000 * 2 ** attempt);
}

/** The Account Admins other than the viewer: the people to ask. */
function othersThan(admins: AccountAdminsResult, viewerId: number): AgentAccess[] {
  return admins.accountAdmins.filter((admin) => admin.id !== viewerId);
}

class AgentAccessView {
  private facts: AccessFacts | null = null;
  private actionError: { error: WidgetError; retry: () => void } | null = null;
  private busy = false;
  private disposed = false;
  private retryTimer: number | null = null;
  private retryAttempt = 0;
  /** Panels the viewer opened (the decline form, "still disabled"): kept across re-renders. */
  private readonly open = new Set<string>();
  /** Focus goes to the step's primary action when a step begins (loaded, or an action answered), not on every re-render. */
  private focusPrimary = false;
  /** The ready message was just opened in the viewer's mail program, by the click that filed the request. */
  private mailOpened = false;
  /** The waiting count, a live region of its own: it follows actions without redrawing the view. */
  private readonly queueSlot = window.accessKit.el('div', { className: 'waiting-slot', attrs: { 'aria-live': 'polite' } });
  /** Where the step's buttons go in the sidebar (a dialog has its footer). */
  private readonly inlineActions = window.accessKit.el('div', { className: 'actions step-actions' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: AccessViewOptions,
  ) {}

  async load(): Promise<void> {
    this.stopRetry();
    this.show(window.accessKit.skeleton(6, window.accessText.t('loading.access')));
    try {
      const profile = this.options.profile ?? (await this.fetchProfile());
      this.options.profile = undefined;
      this.facts = factsFrom(profile, this.options.viewer.id === this.options.viewedId);
      this.actionError = null;
      this.open.clear();
      this.focusPrimary = true;
      this.scheduleRecordRetry();
      this.render();
    } catch (error) {
      this.show(window.accessParts.failureView(window.accessKit.toWidgetError(error), () => this.reloadQuietly()));
    }
  }

  reloadQuietly(): void {
    this.load().catch(window.accessKit.reportQuietly);
  }

  dispose(): void {
    this.disposed = true;
    this.stopRetry();
  }

  /** Requests decided or filed elsewhere, or here: the count follows at once, without a read. */
  adjustPending(delta: number): void {
    const pending = this.facts?.pending ?? null;
    if (this.facts === null || pending === null || delta === 0) {
      return;
    }
    this.facts = { ...this.facts, pending: { ...pending, count: Math.max(0, pending.count + delta) } };
    this.renderBanner();
  }

  private renderBanner(): void {
    const banner = window.accessParts.queueBanner(this.facts?.pending ?? null, this.options.onOpenQueue);
    this.queueSlot.replaceChildren(...(banner === null ? [] : [banner]));
  }

  /**
   * One server-method call per view: the platform allows 50 a minute per installation, and the
   * sidebar opens on every user page any agent views.
   */
  private fetchProfile(): Promise<ProfileAccess> {
    const { client, viewer, viewedId, viewedEmail } = this.options;
    return window.accessKit.callServer(client, 'getProfileAccess', { viewedId, viewedEmail: viewedEmail ?? null, viewerId: viewer.id, viewerEmail: viewer.email });
  }

  private show(content: HTMLElement): void {
    if (this.disposed) {
      return;
    }
    this.container.replaceChildren(content);
    this.options.actionsSlot?.replaceChildren();
  }

  private render(): void {
    const facts = this.facts;
    if (facts === null || this.disposed) {
      return;
    }
    const kind = caseOf(facts);
    const actions: HTMLElement[] = [];
    this.renderBanner();
    const content = window.accessKit.el('div', { className: 'access-view', attrs: { 'data-viewed-id': String(this.options.viewedId), 'data-case': kind } }, [
      this.queueSlot,
      window.accessParts.noAccountAdminWarning(facts.admins),
      ...this.caseContent(kind, facts, actions),
    ]);
    this.container.replaceChildren(content);
    this.placeActions(actions);
  }

  private caseContent(kind: ViewCase, facts: AccessFacts, actions: HTMLElement[]): (HTMLElement | null)[] {
    const agent = facts.access.agent;
    const admins = facts.admins;
    if (kind === 'requester' || agent === null || admins === null) {
      return [window.accessParts.requesterSection(this.options.viewedName ?? window.accessText.t('requester.unnamed', { id: this.options.viewedId }), this.options.viewedEmail ?? '')];
    }
    const builders: Record<Exclude<ViewCase, 'requester'>, () => (HTMLElement | null)[]> = {
      self: () => this.selfContent(agent, admins, facts),
      enable: () => [window.accessParts.profileHeader(agent), this.enableSection(agent, facts, actions), window.accessParts.rolesBlock(agent)],
      ask: () => [window.accessParts.profileHeader(agent), this.askSection(agent, admins, facts), this.apiKeyArea(facts), window.accessParts.rolesBlock(agent)],
      deactivated: () => [window.accessParts.profileHeader(agent), this.deactivatedNote()],
    };
    return builders[kind]();
  }

  /** A dialog keeps the step's buttons in its always-visible footer, the primary one focused; the sidebar shows them inline. */
  private placeActions(actions: HTMLElement[]): void {
    const slot = this.options.actionsSlot;
    if (slot === undefined) {
      this.inlineActions.replaceChildren(...actions);
      return;
    }
    slot.replaceChildren(...actions);
    if (this.focusPrimary) {
      this.focusPrimary = false;
      window.accessKit.focusControl(actions.find((action) => action.getAttribute('color') === 'primary') ?? actions[0] ?? null);
    }
  }

  // ---- the agent's own page -------------------------------------------------------------

  private selfContent(agent: AgentAccess, admins: AccountAdminsResult, facts: AccessFacts): (HTMLElement | null)[] {
    const parts = window.accessParts;
    // Before a decision (and when a key marked enabled is still off) the evidence rules out the other cause at once; after a request or a decline it waits under "why".
    const evidence = parts.keyEvidence(facts.evidence);
    const evidenceFirst = facts.record === null || facts.record.state === 'none' || facts.record.state === 'enabled';
    const why = parts.more('self.whyTitle', [
      window.accessKit.el('p', { text: window.accessText.t('self.whyLong', { path: parts.menuPath(agent.name) }) }),
      window.accessKit.el('p', { text: window.accessText.t('self.whyAdmin') }),
      evidenceFirst ? null : evidence,
    ]);
    return [
      this.selfAnswer(agent, admins, facts),
      parts.route(agent.name),
      evidenceFirst ? evidence : null,
      facts.recordedAsViewer === null ? null : parts.recordedAsViewer(facts.recordedAsViewer, 'h3'),
      why,
      parts.more('self.rolesTitle', [parts.roleLabels(agent)]),
    ];
  }

  private selfAnswer(agent: AgentAccess, admins: AccountAdminsResult, facts: AccessFacts): HTMLElement {
    const record = facts.record;
    const state = record === null ? 'unknown' : record.state;
    const kit = window.accessKit;
    const byState: Record<ApiKeyState | 'unknown', () => (Node | null)[]> = {
      unknown: () => [...this.selfExplanation(agent, admins, facts), this.apiKeyUnavailable(facts)],
      none: () => [...this.selfExplanation(agent, admins, facts), this.requestForm('request.submit', 'enable')],
      declined: () => this.selfDeclined(agent, admins, record as ApiKeyRecord),
      requested: () => this.selfWaiting(agent, admins, record as ApiKeyRecord),
      enabled: () => this.selfEnabled(record as ApiKeyRecord),
    };
    // Before any decision, Freshservice's own words are the title: the answer follows at once.
    const title = state === 'none' || state === 'unknown' ? null : kit.el('h2', { className: 'answer-title', text: window.accessText.t(`self.title.${state}`) });
    return kit.el('section', { className: 'guidance self', attrs: { 'data-state': state } }, [title, ...byState[state](), this.actionErrorPanel()]);
  }

  /** Freshservice's words, why, what they hold, who can do it: the answer before anything else. */
  private selfExplanation(agent: AgentAccess, admins: AccountAdminsResult, facts: AccessFacts): (HTMLElement | null)[] {
    const kit = window.accessKit;
    return [
      window.accessParts.quoteOfFreshservice(),
      kit.el('p', { className: 'explain', text: window.accessText.t('self.why') }),
      kit.el('p', { className: 'you-hold', text: window.accessParts.youHold(agent, facts.access.accountAdminRole?.id ?? null) }),
      this.whoCan(admins, this.askAbout(agent, facts.record, 'enable')),
    ];
  }

  /**
   * The decision as recorded in this app, and the note and reason quoted as typed (the record's
   * own: the record on screen may have been read again since the view loaded).
   */
  private selfDeclined(agent: AgentAccess, admins: AccountAdminsResult, record: ApiKeyRecord): (Node | null)[] {
    const kit = window.accessKit;
    const text = window.accessText;
    const decider = record.decidedBy?.name ?? text.t('self.anAccountAdmin');
    const note = record.decisionNote === null ? kit.el('p', { className: 'explain', text: text.t('self.declinedNoReason') }) : window.accessParts.typedText('typed.noteOf', decider, record.decisionNote);
    return [
      kit.el('p', { className: 'explain outcome' }, [text.t('self.declinedBy', { name: decider }), ' ', kit.timeElement(record.decidedAt), '.']),
      note,
      record.reason === null ? null : window.accessParts.typedText('typed.reasonOf', record.requestedBy?.name ?? agent.name, record.reason),
      window.accessParts.noPasswordLine(),
      this.whoCan(admins, this.askAbout(agent, record, 'enable')),
      this.requestForm('request.again', 'enable'),
    ];
  }

  /** Right after the request, the message was opened in the viewer's mail program: the fallback is to copy it. */
  private selfWaiting(agent: AgentAccess, admins: AccountAdminsResult, record: ApiKeyRecord): (Node | null)[] {
    const kit = window.accessKit;
    const text = window.accessText;
    const message = this.askAbout(agent, record, 'enable');
    const asked = record.requestedBy?.name ?? agent.name;
    const mailWords = this.mailOpened ? [text.t('self.mailOpened'), text.t('self.mailFallback')] : [text.t('self.noMail')];
    return [
      kit.el('p', { className: 'explain outcome' }, [text.t('self.requestRecorded', { name: asked }), ' ', kit.timeElement(record.requestedAt), '. ', text.t('self.requestedNext')]),
      kit.el('p', { className: 'explain mail-status', attrs: { 'data-mail': this.mailOpened ? 'opened' : 'not-opened' } }, [mailWords.join(' ')]),
      window.accessAsk.panel(othersThan(admins, agent.id), message, !this.mailOpened),
      this.whoCan(admins, message),
    ];
  }

  /** "Still disabled? Ask again" files a new request, which opens a "still disabled" message to the Account Admins. */
  private selfEnabled(record: ApiKeyRecord): (Node | null)[] {
    const kit = window.accessKit;
    const text = window.accessText;
    const opened = this.open.has('still-disabled');
    const toggle = kit.button(text.t('self.stillDisabled'), opened ? 'secondary' : 'primary', () => this.toggle('still-disabled'));
    toggle.setAttribute('aria-expanded', String(opened));
    return [
      kit.el('p', { className: 'explain outcome', text: text.t('self.enabledWhere') }),
      window.accessParts.recordLine('record.enabledBy', record.decidedBy, record.decidedAt),
      kit.el('div', { className: 'actions' }, [toggle]),
      opened ? kit.el('p', { className: 'explain', text: text.t('self.stillDisabledExplain') }) : null,
      // A new request puts the agent back in the Account Admins' queue; the ready message tells them at once.
      opened ? this.requestForm('request.again', 'stillDisabled') : null,
    ];
  }

  /** The agent's Permissions page, for the message: only with both the host and the path. */
  private permissionsLink(): string | null {
    const path = this.facts?.access.permissionsPath ?? null;
    return path === null || this.options.host === '' ? null : window.accessKit.permissionsUrl(this.options.host, path);
  }

  private askAbout(agent: AgentAccess, record: Pick<ApiKeyRecord, 'reason'> | null, kind: AskFor['kind']): AskMessage {
    return window.accessAsk.message({
      agent: { name: agent.name, email: agent.email },
      sender: { name: this.options.viewer.name || agent.name },
      link: this.permissionsLink(),
      reason: record?.reason ?? null,
      kind,
    });
  }

  /** The Account Admins (other than the viewer), each a mail link with `message`; nothing when the warning above says there are none. */
  private whoCan(admins: AccountAdminsResult, message: AskMessage): HTMLElement | null {
    if (window.accessParts.hasNoAccountAdmin(admins)) {
      return null;
    }
    const kit = window.accessKit;
    const text = window.accessText;
    const people = othersThan(admins, this.options.viewer.id);
    const unknown = !admins.complete && people.length === 0;
    const list = people.length === 0 ? (unknown ? null : kit.el('span', { className: 'empty', text: text.t('people.nobody') })) : window.accessAsk.peopleLinks(people, message);
    const partial = admins.complete ? null : kit.el('p', { className: 'hint people-status', text: this.listStatus(admins) });
    return kit.el('div', { className: 'helpers' }, [kit.el('span', { className: 'helpers-intro', text: text.t('people.askIntro') }), ' ', list, partial]);
  }

  /**
   * Why the list of Account Admins is not known to be complete: the background scan is still
   * reading the account, the list is old, nothing is recorded yet, or the app's storage refused
   * for the minute (the list lives there).
   */
  private listStatus(admins: AccountAdminsResult): string {
    const text = window.accessText;
    if (admins.scanning === true) {
      return text.t('people.incomplete');
    }
    if (typeof admins.recordedAt === 'string') {
      return text.t('people.stale', { date: text.when(admins.recordedAt) });
    }
    const storageBusy = this.facts !== null && this.facts.recordError !== null && window.accessKit.isStorageBusy(this.facts.recordError);
    return text.t(storageBusy ? 'people.unavailable' : 'people.notReady');
  }

  /** The Account Admins a request is mailed to: every one but the viewer. */
  private recipients(): string[] {
    const admins = this.facts?.admins ?? null;
    return admins === null ? [] : othersThan(admins, this.options.viewer.id).map((admin) => admin.email);
  }

  /** The reason field is named (its label is its accessible name), and the form says what the button does: record, and open the mail. */
  private requestForm(submitKey: MessageKey, kind: AskFor['kind']): HTMLElement {
    const kit = window.accessKit;
    const text = window.accessText;
    const reason = kit.el('fw-textarea', {
      className: 'request-reason',
      attrs: { name: 'reason', label: text.t('request.reasonLabel'), placeholder: text.t('request.reasonPlaceholder'), rows: '2', maxlength: String(REASON_MAX_LENGTH), resize: 'vertical', required: '' },
    });
    const submit = kit.button(text.t(submitKey), 'primary', () => this.fileRequest(reason, kind));
    submit.classList.add('primary-action');
    const how = text.t(this.recipients().length === 0 ? 'request.nobodyToMail' : 'request.mails');
    return kit.el('div', { className: 'request-form' }, [reason, kit.el('div', { className: 'actions' }, [submit]), kit.el('p', { className: 'hint request-how', text: how })]);
  }

  /** One gesture: the ready message opens in the viewer's mail program (inside the click) while the request is recorded. */
  private fileRequest(reasonInput: HTMLElement, kind: AskFor['kind']): void {
    const reason = String((reasonInput as HTMLElement & { value?: unknown }).value ?? '').trim();
    const agent = this.facts?.access.agent ?? null;
    if (reason === '' || agent === null) {
      reasonInput.setAttribute('state', 'error');
      reasonInput.setAttribute('error-text', window.accessText.t('request.reasonMissing'));
      return;
    }
    if (!this.busy) {
      this.mailRequest(agent, reason, kind);
    }
    const run = (): Promise<ApiKeyRecord> => window.accessKit.callServer(this.options.client, 'requestApiKey', { actorId: this.options.viewer.id, actorEmail: this.options.viewer.email, reason });
    this.runAction(run, 'requested');
  }

  private mailRequest(agent: AgentAccess, reason: string, kind: AskFor['kind']): void {
    const to = this.recipients();
    this.mailOpened = to.length > 0;
    if (this.mailOpened) {
      window.accessAsk.openMail(to, this.askAbout(agent, { reason }, kind));
    }
  }

  // ---- someone else's page --------------------------------------------------------------

  private askSection(agent: AgentAccess, admins: AccountAdminsResult, facts: AccessFacts): HTMLElement {
    const kit = window.accessKit;
    const text = window.accessText;
    const holds = window.accessParts.viewerHolds(facts.viewer);
    return kit.el('section', { className: 'guidance', attrs: { 'data-case': 'ask' } }, [
      kit.el('h3', { text: text.t('ask.title', { name: window.accessParts.firstName(agent) }) }),
      kit.el('p', { className: 'explain', text: text.t('ask.why') }),
      holds === null ? null : kit.el('p', { className: 'you-hold', text: holds }),
      this.whoCan(admins, this.askAbout(agent, facts.record, 'enable')),
      window.accessParts.route(agent.name),
    ]);
  }

  private deactivatedNote(): HTMLElement {
    const kit = window.accessKit;
    return kit.el('section', { className: 'guidance', attrs: { 'data-case': 'deactivated' } }, [kit.el('p', { className: 'explain', text: window.accessText.t('deactivated.explain') })]);
  }

  private apiKeyArea(facts: AccessFacts): HTMLElement | null {
    if (facts.record !== null) {
      return window.accessParts.apiKeySection(facts.record);
    }
    const unavailable = this.apiKeyUnavailable(facts);
    const kit = window.accessKit;
    return unavailable === null ? null : kit.el('section', { className: 'api-key-section' }, [kit.el('h3', { text: window.accessText.t('apiKey.title') }), unavailable]);
  }

  /**
   * The API-key part alone when the ledger could not be read: "unavailable for a minute" while the
   * app's storage is busy (it tries again by itself), any other failure with its Retry.
   */
  private apiKeyUnavailable(facts: AccessFacts): HTMLElement | null {
    const failure = facts.recordError;
    if (failure === null) {
      return null;
    }
    const kit = window.accessKit;
    const text = window.accessText;
    if (!kit.isStorageBusy(failure)) {
      return kit.el('div', { className: 'api-key', attrs: { 'data-state': 'error' } }, [kit.errorPanel(failure, () => this.retryRecordNow())]);
    }
    const trying = this.retryTimer !== null ? text.t('apiKey.busyRetrying') : text.t('apiKey.busyStopped');
    return kit.el('div', { className: 'api-key unavailable', attrs: { 'data-state': 'unavailable', role: 'status' } }, [
      kit.el('p', { className: 'explain', text: text.t('apiKey.busy') }),
      kit.el('p', { className: 'hint' }, [trying, ' ', kit.button(text.t('action.retryNow'), 'link', () => this.retryRecordNow())]),
    ]);
  }

  /** Declining is open: its note field shows, and its buttons take the step's place. */
  private declining(record: ApiKeyRecord | null): boolean {
    return this.open.has('decline') && record?.state === 'requested';
  }

  private enableSection(agent: AgentAccess, facts: AccessFacts, actions: HTMLElement[]): HTMLElement {
    const kit = window.accessKit;
    const parts = window.accessParts;
    const step = parts.enableStep(facts.record);
    const declining = this.declining(facts.record);
    const note = declining ? this.declineNote(agent) : null;
    actions.push(...(note === null ? this.enableButtons(facts.access, facts.record, step) : this.declineButtons(note)));
    // The recorded state, then what to do about it, in one section: the step's words say what the app cannot do, once.
    return kit.el('section', { className: 'guidance', attrs: { 'data-step': step } }, [
      this.enableRecord(facts),
      kit.el('p', { className: 'explain', text: parts.enableWords(step, agent.name, facts.record) }),
      note === null ? null : kit.el('div', { className: 'decline-form' }, [note]),
      this.inlineActions,
      facts.access.permissionsPath === null ? null : kit.el('p', { className: 'hint link-unverified', text: window.accessText.t('link.unverified') }),
      parts.route(agent.name),
      parts.hasTyped(facts.record) ? parts.noPasswordLine() : null,
      this.actionErrorPanel(),
    ]);
  }

  /** The record above the step's words (who opened the page too); with nothing recorded, the words alone say what to do. */
  private enableRecord(facts: AccessFacts): HTMLElement | null {
    if (facts.record === null) {
      return this.apiKeyUnavailable(facts);
    }
    return facts.record.state === 'none' && facts.record.openedBy === null ? null : window.accessParts.recordSummary(facts.record);
  }

  private enableButtons(access: UserAccess, record: ApiKeyRecord | null, step: EnableStep): HTMLElement[] {
    const kit = window.accessKit;
    const path = access.permissionsPath;
    // One primary button per step: opening the page first, then "Mark as enabled".
    const openColor = step === 'open' ? 'primary' : 'secondary';
    const open = path === null ? null : kit.button(window.accessText.t('enable.openPage'), openColor, () => this.openPermissions(path));
    return [open, ...(record === null ? [] : this.recordButtons(record, step))].filter((node): node is HTMLElement => node !== null);
  }

  /**
   * "Mark as enabled" whenever the key can be marked: primary once the page was opened from the
   * app, and beside the link before, for an Account Admin who switched it on another way (an
   * emailed link, the menu). The app records; it does not switch.
   */
  private recordButtons(record: ApiKeyRecord, step: EnableStep): (HTMLElement | null)[] {
    const kit = window.accessKit;
    const text = window.accessText;
    const markable = step === 'mark' || step === 'open';
    return [
      markable ? kit.button(text.t('enable.mark.button'), step === 'mark' ? 'primary' : 'secondary', () => this.adminAction('enabled')) : null,
      record.state === 'requested' ? kit.button(text.t('enable.decline.open'), 'secondary', () => this.toggle('decline')) : null,
      record.canUndo ? kit.button(text.t('enable.undo'), 'text', () => this.adminAction('undo')) : null,
    ];
  }

  /** Declining asks for a note the agent then reads on their own page (optional); the field's label is its accessible name. */
  private declineNote(agent: AgentAccess): HTMLElement {
    const label = window.accessText.t('enable.decline.noteLabel', { name: window.accessParts.firstName(agent) });
    return window.accessKit.el('fw-input', { className: 'decline-note', attrs: { name: 'decline-note', label, maxlength: String(REASON_MAX_LENGTH) } });
  }

  /** While declining, "Decline request" is the step's one primary action (in a dialog's footer too), with Cancel. */
  private declineButtons(note: HTMLElement): HTMLElement[] {
    const kit = window.accessKit;
    const text = window.accessText;
    const decline = (): void => this.adminAction('declined', String((note as HTMLElement & { value?: unknown }).value ?? '').trim());
    return [kit.button(text.t('enable.decline.confirm'), 'primary', decline), kit.button(text.t('action.cancel'), 'text', () => this.toggle('decline'))];
  }

  /** Opens or closes a panel; an opened one takes the focus (its field, or its first button). */
  private toggle(panel: string): void {
    const opening = !this.open.delete(panel);
    if (opening) {
      this.open.add(panel);
    }
    this.render();
    if (opening) {
      window.accessKit.focusControl(this.container.querySelector<HTMLElement>('.decline-form fw-input, .request-form fw-textarea'));
    }
  }

  private openPermissions(path: string): void {
    // Opened inside the click so the browser does not block it; the step is recorded after.
    window.open(window.accessKit.permissionsUrl(this.options.host, path), '_blank', 'noopener');
    this.adminAction('opened');
  }

  /** The agent acted on, as the server read them (an action is only offered once the view has loaded them). */
  private target(): { targetId: number; targetEmail: string } {
    const agent = this.facts?.access.agent;
    return agent ? { targetId: agent.id, targetEmail: agent.email } : { targetId: this.options.viewedId, targetEmail: this.options.viewedEmail ?? '' };
  }

  private adminAction(action: AdminAction, note = ''): void {
    const payload: RecordApiKeyActionPayload = { actorId: this.options.viewer.id, actorEmail: this.options.viewer.email, ...this.target(), action, ...(note === '' ? {} : { note }) };
    const run = (): Promise<ApiKeyRecord> => window.accessKit.callServer(this.options.client, 'recordApiKeyAction', payload);
    this.runAction(run, action);
  }

  // ---- actions and the API-key part's retries --------------------------------------------

  private runAction(run: () => Promise<ApiKeyRecord>, action: LedgerAction): void {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.applyAction(run, action)
      .catch(window.accessKit.reportQuietly)
      .finally(() => {
        this.busy = false;
      });
  }

  private async applyAction(run: () => Promise<ApiKeyRecord>, action: LedgerAction): Promise<void> {
    const kit = window.accessKit;
    const notice = ACTION_NOTICES[action];
    try {
      const before = this.facts?.record ?? null;
      const answer = await run();
      const record = looksLikeRecord(answer) ? answer : await this.readRecord();
      const change = changeOf(before, record, action);
      this.actionError = null;
      this.open.clear();
      this.focusPrimary = true;
      this.adjustPending(change.pendingDelta);
      this.updateRecord(record);
      kit.notify(this.options.client, notice.type, window.accessText.t(notice.title), window.accessText.t(notice.message));
      this.options.onLedgerChange?.(change);
    } catch (error) {
      const failure = kit.toWidgetError(error);
      this.actionError = { error: failure, retry: () => this.runAction(run, action) };
      this.render();
      kit.notify(this.options.client, 'danger', kit.adviceFor(failure).title, failure.message);
    }
  }

  private readRecord(): Promise<ApiKeyRecord> {
    const agentId = this.facts?.access.agent?.id ?? this.options.viewedId;
    return window.accessKit.callServer(this.options.client, 'getApiKeyState', { agentId });
  }

  private updateRecord(record: ApiKeyRecord): void {
    this.stopRetry();
    this.retryAttempt = 0;
    if (this.facts !== null) {
      this.facts = { ...this.facts, record, recordError: null };
    }
    this.render();
  }

  /** Only sets the timer: the caller renders once after (the words say whether it tries again by itself). */
  private scheduleRecordRetry(): void {
    const failure = this.facts?.recordError ?? null;
    if (failure === null || this.disposed || !window.accessKit.isStorageBusy(failure) || this.retryAttempt >= RECORD_RETRIES) {
      return;
    }
    const delay = retryDelay(this.retryAttempt, failure.retryAfterSeconds);
    this.retryAttempt += 1;
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      this.retryRecord().catch(window.accessKit.reportQuietly);
    }, delay);
  }

  private retryRecordNow(): void {
    this.stopRetry();
    this.retryAttempt = 0;
    this.retryRecord().catch(window.accessKit.reportQuietly);
  }

  /** Only the API-key part is read again: the Freshservice facts on screen stay as they are. */
  private async retryRecord(): Promise<void> {
    try {
      const record = await this.readRecord();
      if (!this.disposed) {
        this.updateRecord(record);
      }
    } catch (error) {
      if (this.disposed || this.facts === null) {
        return;
      }
      this.facts = { ...this.facts, recordError: window.accessKit.toWidgetError(error) };
      this.scheduleRecordRetry();
      this.render();
    }
  }

  private stopRetry(): void {
    if (this.retryTimer !== null) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }

  private actionErrorPanel(): HTMLElement | null {
    const failure = this.actionError;
    if (failure === null) {
      return null;
    }
    const advice = window.accessKit.adviceFor(failure.error);
    const retry = advice.action === 'refresh' ? () => this.reloadQuietly() : failure.retry;
    return window.accessKit.errorPanel(failure.error, retry);
  }
}

function mount(container: HTMLElement, options: AccessViewOptions): AccessViewHandle {
  const view = new AgentAccessView(container, { ...options });
  view.reloadQuietly();
  return { dispose: () => view.dispose(), adjustPending: (delta) => view.adjustPending(delta) };
}

window.accessView = { mount };
