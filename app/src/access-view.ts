/*
 * The agent access view: who the viewed user is, their roles, Account Admin yes/no, the API-key
 * state the app has recorded, and what the signed-in agent can do about it. The sidebar shows it
 * for the viewed user; the console shows it in a modal for a row and in the pending-request queue.
 * The widget only decides what to show: the server re-checks Account Admin for every action.
 */

interface AccessFacts {
  access: UserAccess;
  /** null for requesters: nobody is asked about their page. */
  admins: AccountAdminsResult | null;
  /** null for requesters (only agents have API keys) and when the ledger could not be read. */
  record: ApiKeyRecord | null;
  /** Why the ledger could not be read: the rest of the view still shows. */
  recordError: WidgetError | null;
  viewerIsAccountAdmin: boolean;
  viewerHoldsAdminRole: boolean;
  isSelf: boolean;
}

/** The server's limit for a reason (typed as the shared literal, so a change there fails this build). */
const REASON_MAX_LENGTH: typeof import('@common/ledger').LEDGER_TEXT_MAX_LENGTH = 500;

const ACTION_NOTICES: Record<AdminAction, { type: NotifyType; title: string; message: string }> = {
  opened: { type: 'info', title: 'Permissions page opened', message: 'Switch "API key" on there, then come back and click Mark as enabled.' },
  enabled: { type: 'success', title: 'Marked as enabled', message: 'Recorded that this agent\'s API key is switched on.' },
  declined: { type: 'info', title: 'Request declined', message: 'Recorded that the request was declined.' },
  undo: { type: 'info', title: 'Step undone', message: 'The recorded API-key state went back one step.' },
};

const HELPERS_INTRO = {
  adminNotAccountAdmin:
    'You are an Admin, but "Admin" is not "Account Admin". Only an Account Admin can switch on another agent\'s API key. These people can:',
  plainAgent: 'Only an Account Admin can switch on another agent\'s API key. These people can:',
  self: 'This is your own profile. Nobody can change their own API key or roles in Freshservice, not even an Account Admin: another Account Admin has to switch your key on. These people can:',
};

/** What getProfileAccess answered, as the view uses it. */
function factsFrom(profile: ProfileAccess, isSelf: boolean): AccessFacts {
  return {
    access: profile.viewed,
    admins: profile.accountAdmins,
    record: profile.apiKey,
    recordError: profile.apiKeyError === null ? null : window.accessKit.toWidgetError(profile.apiKeyError),
    viewerIsAccountAdmin: profile.viewer?.isAccountAdmin === true,
    viewerHoldsAdminRole: profile.viewer?.holdsAdminRole === true,
    isSelf,
  };
}

function hasNoAccountAdmin(admins: AccountAdminsResult): boolean {
  return admins.accountAdminRole === null || (admins.complete && admins.accountAdmins.length === 0);
}

function noAccountAdminWarning(admins: AccountAdminsResult | null): HTMLElement | null {
  if (admins === null || !hasNoAccountAdmin(admins)) {
    return null;
  }
  const kit = window.accessKit;
  const words =
    admins.accountAdminRole === null
      ? 'This account has no "Account Admin" role.'
      : 'This account has no active Account Admin.';
  return kit.el('fw-inline-message', { className: 'warning', attrs: { type: 'warning', closable: 'false' } }, [
    kit.el('strong', { text: words }),
    kit.el('p', {
      text: 'Nobody can enable API keys until Freshservice support (or the account owner) restores an Account Admin.',
    }),
  ]);
}

function helpersList(admins: AccountAdminsResult, excludeId: number): HTMLElement {
  const kit = window.accessKit;
  const people = admins.accountAdmins.filter((admin) => admin.id !== excludeId);
  const items = people.map((admin) =>
    kit.el('li', {}, [kit.el('span', { className: 'person-name', text: admin.name }), kit.el('span', { className: 'person-email', text: admin.email })]),
  );
  const empty = people.length === 0 ? kit.el('p', { className: 'empty', text: 'Nobody at the moment: no other active Account Admin was found.' }) : null;
  const partial = admins.complete ? null : kit.el('p', { className: 'hint', text: 'The list may be incomplete: the account is still being read.' });
  return kit.el('div', { className: 'helpers' }, [kit.el('ul', { className: 'people', attrs: { 'aria-label': 'Account Admins' } }, items), empty, partial]);
}

/** "These people can:" only when somebody is listed under it. */
function helpersIntro(intro: string, admins: AccountAdminsResult, excludeId: number): string {
  const anybody = admins.accountAdmins.some((admin) => admin.id !== excludeId);
  return anybody ? intro : intro.replace(/ These people can:$/, '');
}

function declinedNote(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  const by = record.decidedBy === null ? '' : ` by ${record.decidedBy.name}`;
  return kit.el('p', { className: 'status-note', text: `Your request was declined${by}, ${kit.formatDate(record.decidedAt)}. You can ask again:` });
}

function requesterSection(name: string, email: string): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'profile' }, [
    kit.el('h2', { className: 'viewed-name', text: name }),
    email === '' ? null : kit.el('p', { className: 'viewed-email', text: email }),
    kit.el('div', { className: 'labels' }, [kit.label('Requester', 'blue')]),
    kit.el('p', { text: 'This user is a requester, not an agent. Only agents have roles and API keys, so there is nothing to enable here.' }),
  ]);
}

function profileSection(access: UserAccess, fallbackName: string, fallbackEmail: string): HTMLElement {
  const kit = window.accessKit;
  const agent = access.agent;
  if (agent === null) {
    return requesterSection(fallbackName, fallbackEmail);
  }
  const labels = [
    kit.label(agent.occasional ? 'Occasional agent' : 'Agent', 'blue'),
    agent.active ? null : kit.label('Deactivated', 'red'),
    agent.isAccountAdmin ? kit.label('Account Admin: yes', 'green') : kit.label('Account Admin: no', 'grey'),
  ];
  return kit.el('section', { className: 'profile' }, [
    kit.el('h2', { className: 'viewed-name', text: agent.name }),
    kit.el('p', { className: 'viewed-email', text: agent.email }),
    kit.el('div', { className: 'labels' }, labels),
    kit.el('h3', { text: 'Roles' }),
    agent.roles.length === 0
      ? kit.el('p', { className: 'empty', text: 'No roles assigned.' })
      : kit.el('div', { className: 'labels roles' }, agent.roles.map((role) => kit.label(role.name, 'normal'))),
  ]);
}

function recordLine(words: string, who: { name: string } | null, at: string | null): HTMLElement | null {
  if (who === null) {
    return null;
  }
  return window.accessKit.el('p', { className: 'record-line', text: `${words} ${who.name}, ${window.accessKit.formatDate(at)}` });
}

/** Who decided, in the words of what they recorded. */
const DECIDED_WORDS: Record<ApiKeyState, string> = {
  none: 'Decided by',
  requested: 'Decided by',
  enabled: 'Marked as enabled by',
  declined: 'Declined by',
};

function apiKeySection(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  const reason = record.reason === null || record.reason === '' ? null : kit.el('p', { className: 'record-line reason', text: `Reason: ${record.reason}` });
  return kit.el('section', { className: 'api-key' }, [
    kit.el('h3', { text: 'API key' }),
    kit.el('div', { className: 'labels' }, [kit.label(kit.stateWords(record.state), kit.stateColor(record.state))]),
    recordLine('Requested by', record.requestedBy, record.requestedAt),
    reason,
    recordLine('Permissions page opened by', record.openedBy, record.openedAt),
    recordLine(DECIDED_WORDS[record.state], record.decidedBy, record.decidedAt),
    kit.el('p', { className: 'hint', text: 'Freshservice has no API that reads this setting: this is what was recorded in this app.' }),
  ]);
}

/** Where an Account Admin stands with another agent's key, so the words match the buttons shown. */
type EnableStep = 'open' | 'mark' | 'enabled' | 'declined';

function enableStep(record: ApiKeyRecord | null): EnableStep {
  if (record === null || record.state === 'none' || record.state === 'requested') {
    return record === null || record.openedAt === null ? 'open' : 'mark';
  }
  return record.state;
}

function enableWords(step: EnableStep, name: string, record: ApiKeyRecord | null): string {
  const undo = record?.canUndo === true ? ' If that record is wrong, "Undo last step" takes it back.' : '';
  const words: Record<EnableStep, string> = {
    open: `Freshservice has no API for this setting, so this app cannot switch it. "Open API-key setting in Freshservice" takes you to ${name}'s Permissions page, where you switch "API key" on yourself. Then come back and click "Mark as enabled" to record it.`,
    mark: `Switch "API key" on in ${name}'s Permissions page (this app cannot switch it), then click "Mark as enabled" to record what you did. Not done yet? Open the page again.`,
    enabled: `${name}'s API key is recorded as switched on (who and when: above). This app cannot check the setting itself: open the page to see it.${undo}`,
    declined: `The request was declined, so there is nothing to switch on. ${name} can request a key again from their own profile.${undo}`,
  };
  return words[step];
}

function looksLikeRecord(value: unknown): value is ApiKeyRecord {
  return typeof value === 'object' && value !== null && typeof (value as { state?: unknown }).state === 'string';
}

class AgentAccessView {
  private facts: AccessFacts | null = null;
  private actionError: { error: WidgetError; retry: () => void } | null = null;
  private busy = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: AccessViewOptions,
  ) {}

  async load(): Promise<void> {
    this.show(window.accessKit.skeleton(6, 'Reading access from Freshservice…'));
    try {
      this.facts = await this.fetchFacts();
      this.actionError = null;
      this.render();
    } catch (error) {
      this.show(window.accessKit.errorPanel(window.accessKit.toWidgetError(error), () => this.reloadQuietly()));
    }
  }

  reloadQuietly(): void {
    this.load().catch(window.accessKit.reportQuietly);
  }

  /**
   * One server-method call per view: the platform allows 50 a minute per installation, and the
   * sidebar opens on every user page any agent views. A ledger that cannot be read comes back
   * as recordError, so the Freshservice facts still show.
   */
  private async fetchFacts(): Promise<AccessFacts> {
    const { client, viewer, viewedId } = this.options;
    const profile = await window.accessKit.callServer(client, 'getProfileAccess', { viewedId, viewerId: viewer.id });
    return factsFrom(profile, viewer.id === viewedId);
  }

  private show(content: HTMLElement): void {
    this.container.replaceChildren(content);
    this.options.onRender?.();
  }

  private render(): void {
    const facts = this.facts;
    if (facts === null) {
      return;
    }
    const kit = window.accessKit;
    this.show(
      kit.el('div', { className: 'access-view', attrs: { 'data-viewed-id': String(this.options.viewedId) } }, [
        noAccountAdminWarning(facts.admins),
        profileSection(facts.access, this.options.viewedName ?? `User ${this.options.viewedId}`, this.options.viewedEmail ?? ''),
        this.apiKeyArea(facts),
        this.guidance(facts),
      ]),
    );
  }

  private apiKeyArea(facts: AccessFacts): HTMLElement | null {
    if (facts.record !== null) {
      return apiKeySection(facts.record);
    }
    if (facts.recordError === null) {
      return null;
    }
    const kit = window.accessKit;
    return kit.el('section', { className: 'api-key' }, [
      kit.el('h3', { text: 'API key' }),
      kit.errorPanel(facts.recordError, () => this.reloadQuietly()),
    ]);
  }

  private guidance(facts: AccessFacts): HTMLElement | null {
    const { agent } = facts.access;
    const { admins } = facts;
    if (agent === null || admins === null) {
      return null;
    }
    if (facts.isSelf) {
      return this.selfSection(admins, facts.record);
    }
    if (facts.viewerIsAccountAdmin) {
      return this.enableSection(agent, facts.access, facts.record);
    }
    const intro = facts.viewerHoldsAdminRole ? HELPERS_INTRO.adminNotAccountAdmin : HELPERS_INTRO.plainAgent;
    return this.helpersSection('Who can enable API keys', intro, admins);
  }

  private helpersSection(title: string, intro: string, admins: AccountAdminsResult, extra: (HTMLElement | null)[] = []): HTMLElement {
    const kit = window.accessKit;
    return kit.el('section', { className: 'guidance' }, [
      kit.el('h3', { text: title }),
      kit.el('p', { className: 'explain', text: helpersIntro(intro, admins, this.options.viewer.id) }),
      helpersList(admins, this.options.viewer.id),
      ...extra,
    ]);
  }

  private selfSection(admins: AccountAdminsResult, record: ApiKeyRecord | null): HTMLElement {
    const request = record === null ? null : this.requestArea(record);
    return this.helpersSection('Your API key', HELPERS_INTRO.self, admins, [this.actionErrorPanel(), request]);
  }

  private requestArea(record: ApiKeyRecord): HTMLElement {
    const kit = window.accessKit;
    if (record.state === 'requested') {
      return kit.el('p', { className: 'status-note', text: `Your request from ${kit.formatDate(record.requestedAt)} is waiting for an Account Admin.` });
    }
    if (record.state === 'enabled') {
      return kit.el('p', { className: 'status-note', text: 'An Account Admin marked your API key as enabled. You find the key in your Profile settings in Freshservice.' });
    }
    const declined = record.state === 'declined' ? declinedNote(record) : null;
    const reason = kit.el('fw-textarea', {
      className: 'request-reason',
      attrs: { label: 'Why do you need an API key?', placeholder: 'For example: the asset import script', rows: '2', maxlength: String(REASON_MAX_LENGTH), resize: 'vertical' },
    });
    const submit = kit.button('Request API key', 'primary', () => this.fileRequest(reason));
    return kit.el('div', { className: 'request-form' }, [declined, reason, kit.el('div', { className: 'actions' }, [submit])]);
  }

  private fileRequest(reasonInput: HTMLElement): void {
    const reason = String((reasonInput as HTMLElement & { value?: unknown }).value ?? '').trim();
    if (reason === '') {
      reasonInput.setAttribute('state', 'error');
      reasonInput.setAttribute('error-text', 'Say briefly what the key is for: the Account Admin sees it.');
      return;
    }
    const run = (): Promise<ApiKeyRecord> =>
      window.accessKit.callServer(this.options.client, 'requestApiKey', { actorId: this.options.viewer.id, reason });
    this.runAction(run, { type: 'success', title: 'Request filed', message: 'Account Admins will see your request in the access console.' });
  }

  private enableSection(agent: AgentAccess, access: UserAccess, record: ApiKeyRecord | null): HTMLElement {
    const kit = window.accessKit;
    if (!agent.active) {
      return kit.el('section', { className: 'guidance' }, [
        kit.el('h3', { text: 'Enable API key' }),
        kit.el('p', { className: 'explain', text: 'This agent is deactivated. Reactivate them in Freshservice before switching on an API key.' }),
      ]);
    }
    return kit.el('section', { className: 'guidance', attrs: { 'data-step': enableStep(record) } }, [
      kit.el('h3', { text: 'Enable API key' }),
      kit.el('p', { className: 'explain', text: enableWords(enableStep(record), agent.name, record) }),
      this.actionErrorPanel(),
      kit.el('div', { className: 'actions' }, this.enableButtons(access, record)),
    ]);
  }

  private enableButtons(access: UserAccess, record: ApiKeyRecord | null): (HTMLElement | null)[] {
    const kit = window.accessKit;
    const path = access.permissionsPath;
    // One primary button per step: opening the page first, then "Mark as enabled".
    const openColor = enableStep(record) === 'open' ? 'primary' : 'secondary';
    const open = path === null ? null : kit.button('Open API-key setting in Freshservice', openColor, () => this.openPermissions(path));
    return [open, ...(record === null ? [] : this.recordButtons(record))];
  }

  /** "Mark as enabled" only after the Permissions page was opened: the app records, it does not switch. */
  private recordButtons(record: ApiKeyRecord): (HTMLElement | null)[] {
    const kit = window.accessKit;
    const canMark = (record.state === 'none' || record.state === 'requested') && record.openedAt !== null;
    return [
      canMark ? kit.button('Mark as enabled', 'primary', () => this.adminAction('enabled')) : null,
      record.state === 'requested' ? kit.button('Decline request', 'secondary', () => this.adminAction('declined')) : null,
      record.canUndo ? kit.button('Undo last step', 'text', () => this.adminAction('undo')) : null,
    ];
  }

  private openPermissions(path: string): void {
    // Opened inside the click so the browser does not block it; the step is recorded after.
    window.open(window.accessKit.permissionsUrl(this.options.host, path), '_blank', 'noopener');
    this.adminAction('opened');
  }

  private adminAction(action: AdminAction): void {
    const targetId = this.facts?.access.agent?.id ?? this.options.viewedId;
    const run = (): Promise<ApiKeyRecord> =>
      window.accessKit.callServer(this.options.client, 'recordApiKeyAction', { actorId: this.options.viewer.id, targetId, action });
    this.runAction(run, ACTION_NOTICES[action]);
  }

  private runAction(run: () => Promise<ApiKeyRecord>, notice: { type: NotifyType; title: string; message: string }): void {
    if (this.busy) {
      return;
    }
    this.busy = true;
    this.applyAction(run, notice)
      .catch(window.accessKit.reportQuietly)
      .finally(() => {
        this.busy = false;
      });
  }

  private async applyAction(run: () => Promise<ApiKeyRecord>, notice: { type: NotifyType; title: string; message: string }): Promise<void> {
    const kit = window.accessKit;
    try {
      const answer = await run();
      const record = looksLikeRecord(answer) ? answer : await this.freshRecord();
      this.actionError = null;
      this.updateRecord(record);
      kit.notify(this.options.client, notice.type, notice.title, notice.message);
      this.options.onLedgerChange?.(record);
    } catch (error) {
      const failure = kit.toWidgetError(error);
      this.actionError = { error: failure, retry: () => this.runAction(run, notice) };
      this.render();
      kit.notify(this.options.client, 'danger', kit.adviceFor(failure).title, failure.message);
    }
  }

  private freshRecord(): Promise<ApiKeyRecord> {
    const agentId = this.facts?.access.agent?.id ?? this.options.viewedId;
    return window.accessKit.callServer(this.options.client, 'getApiKeyState', { agentId });
  }

  private updateRecord(record: ApiKeyRecord): void {
    if (this.facts !== null) {
      this.facts = { ...this.facts, record, recordError: null };
    }
    this.render();
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
  const view = new AgentAccessView(container, options);
  view.reloadQuietly();
  return { reload: () => view.load() };
}

window.accessView = { mount };
