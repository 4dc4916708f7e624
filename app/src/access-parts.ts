/*
 * The pieces the access view is built from, as pure DOM builders (window.accessParts): who the
 * viewed user is, what the viewer holds, the recorded API-key state, and the words that match
 * each step. No state and no server calls: app/src/access-view.ts decides which pieces to show.
 */

function enableStep(record: ApiKeyRecord | null): EnableStep {
  if (record === null || record.state === 'none' || record.state === 'requested') {
    return record === null || record.openedAt === null ? 'open' : 'mark';
  }
  return record.state;
}

const ENABLE_WORDS: Record<EnableStep, MessageKey> = {
  open: 'enable.open',
  mark: 'enable.mark',
  enabled: 'enable.enabled',
  declined: 'enable.declined',
};

function enableWords(step: EnableStep, name: string, record: ApiKeyRecord | null): string {
  const words = window.accessText.t(ENABLE_WORDS[step], { name });
  return record?.canUndo === true ? `${words} ${window.accessText.t('enable.undoHint')}` : words;
}

function firstName(agent: AgentAccess): string {
  return agent.firstName.trim() || agent.name;
}

function hasNoAccountAdmin(admins: AccountAdminsResult): boolean {
  return admins.accountAdminRole === null || (admins.complete && admins.accountAdmins.length === 0);
}

function noAccountAdminWarning(admins: AccountAdminsResult | null): HTMLElement | null {
  if (admins === null || !hasNoAccountAdmin(admins)) {
    return null;
  }
  const kit = window.accessKit;
  const words = window.accessText.t(admins.accountAdminRole === null ? 'warning.noRole' : 'warning.noActiveAccountAdmin');
  return kit.el('fw-inline-message', { className: 'warning', attrs: { type: 'warning', closable: 'false' } }, [
    kit.el('strong', { text: words }),
    kit.el('p', { text: window.accessText.t('warning.restore') }),
  ]);
}

/** How many requests wait, for an Account Admin viewer (null for anyone else); "at least" when only the ledger's first agents were counted. */
function pendingCountOf(profile: ProfileAccess): PendingCount | null {
  return typeof profile.pendingRequests === 'number' ? { count: profile.pendingRequests, partial: profile.pendingRequestsPartial === true } : null;
}

/** An Account Admin learns of requests where they work in the app; "at least" when the count covers only the ledger's first agents. */
function queueBanner(pending: PendingCount | null, onOpen: (() => void) | undefined): HTMLElement | null {
  if (pending === null || pending.count <= 0 || onOpen === undefined) {
    return null;
  }
  const kit = window.accessKit;
  const words = window.accessText.count(pending.partial ? 'queue.waitingAtLeast' : 'queue.waitingShort', pending.count);
  return kit.el('div', { className: 'queue-banner', attrs: { 'data-pending': String(pending.count), title: pending.partial ? words : window.accessText.count('queue.waiting', pending.count) } }, [
    kit.el('span', { className: 'queue-count', text: words }),
    kit.button(window.accessText.t('queue.open'), 'link', onOpen),
  ]);
}

/** The menu path to the toggle, the same words everywhere (Freshservice's own articles name it so). */
function menuPath(agentName: string): string {
  return window.accessText.t('path.menu', { agent: agentName });
}

function route(agentName: string): HTMLElement {
  return window.accessKit.el('p', { className: 'route', text: window.accessText.t('explain.route', { path: menuPath(agentName) }) });
}

/** What needs no data: who can switch a key on, and where. Shown even when nothing could be read. */
function standingExplanation(): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'standing-explanation' }, [
    kit.el('p', { className: 'explain', text: window.accessText.t('explain.rule') }),
    route(window.accessText.t('path.theAgent')),
  ]);
}

/** The app's own key is the proof that API keys work on this account, or, refused, the sign that the app can no longer tell. */
function keyEvidence(evidence: KeyEvidence | null): HTMLElement | null {
  if (evidence === null) {
    return null;
  }
  const text = window.accessText;
  const words = text.t(evidence.works ? 'evidence.works' : 'evidence.refused', { when: text.when(evidence.at) });
  return window.accessKit.el('p', { className: 'key-evidence', text: words, attrs: { 'data-evidence': evidence.works ? 'works' : 'refused', title: text.exactWhen(evidence.at) } });
}

/** Freshservice refused the app's own key (401): the code when the platform forwards it, else the status. */
function isKeyRefused(error: WidgetError): boolean {
  return error.code === 'KEY_INVALID' || (error.code === null && error.status === 401);
}

/** After a failure, what it says about the app's own key: refused just now, or nothing (another failure proves nothing either way). */
function failureEvidence(error: WidgetError): HTMLElement | null {
  return isKeyRefused(error) ? keyEvidence({ works: false, at: new Date().toISOString() }) : null;
}

/** When nothing could be read: the explanation and the menu path stay, then what went wrong. */
function failureView(error: WidgetError, onRetry: (() => void) | null): HTMLElement {
  return window.accessKit.el('div', { className: 'failure-view', attrs: { 'data-case': 'failed' } }, [standingExplanation(), failureEvidence(error), window.accessKit.errorPanel(error, onRetry)]);
}

/** Text a person typed, visibly quoted as theirs: the app records it, it does not vouch for it. */
function typedText(captionKey: 'typed.reasonOf' | 'typed.noteOf', name: string, typed: string): HTMLElement {
  const kit = window.accessKit;
  return kit.el('div', { className: 'typed' }, [
    kit.el('p', { className: 'typed-caption', text: window.accessText.t(captionKey, { name }) }),
    kit.el('blockquote', { className: 'typed-text', text: typed }),
  ]);
}

function noPasswordLine(): HTMLElement {
  return window.accessKit.el('p', { className: 'no-password', text: window.accessText.t('typed.noPassword') });
}

const DID_WORDS: Record<LedgerAction, MessageKey> = {
  requested: 'did.requested',
  opened: 'did.opened',
  enabled: 'did.enabled',
  declined: 'did.declined',
  undo: 'did.undo',
};

/** What an entry did, without who: "declined the API-key request of Rahul Mehta". */
function didWords(action: LedgerAction, target: string): string {
  return window.accessText.t(DID_WORDS[action], { target });
}

/** The newest entries shown at once; the rest one click away. */
const RECORDED_SHOWN = 5;

function recordedItem(entry: RecordedUnderName): HTMLElement {
  const kit = window.accessKit;
  return kit.el('li', { attrs: { 'data-agent-id': String(entry.target.id), 'data-version': String(entry.version) } }, [kit.timeElement(entry.at), ' ', didWords(entry.action, entry.target.name)]);
}

function recordedList(entries: RecordedUnderName[]): (HTMLElement | null)[] {
  const kit = window.accessKit;
  if (entries.length === 0) {
    return [kit.el('p', { className: 'empty', text: window.accessText.t('recorded.none') })];
  }
  const rest = entries.slice(RECORDED_SHOWN);
  const more = rest.length === 0 ? null : kit.el('details', { className: 'recorded-more' }, [kit.el('summary', { text: window.accessText.count('recorded.more', rest.length) }), kit.el('ul', { className: 'recorded-list' }, rest.map(recordedItem))]);
  return [kit.el('ul', { className: 'recorded-list' }, entries.slice(0, RECORDED_SHOWN).map(recordedItem)), more];
}

/** An Account Admin sees what was recorded under their name, so an entry someone else made as them stands out. */
function recordedAsViewer(entries: RecordedUnderName[], heading: 'h2' | 'h3'): HTMLElement {
  const kit = window.accessKit;
  const text = window.accessText;
  return kit.el('section', { className: 'recorded-as-viewer', attrs: { 'aria-labelledby': 'recorded-title', 'data-count': String(entries.length) } }, [
    kit.el(heading, { text: text.t('recorded.title'), attrs: { id: 'recorded-title' } }),
    kit.el('p', { className: 'hint', text: text.t('recorded.explain') }),
    ...recordedList(entries),
    kit.el('p', { className: 'hint recorded-not-you', text: text.t('recorded.notYou') }),
  ]);
}

function requesterSection(name: string, email: string): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'profile' }, [
    kit.el('h2', { className: 'viewed-name', text: name }),
    email === '' ? null : kit.el('p', { className: 'viewed-email', text: email }),
    kit.el('div', { className: 'labels' }, [kit.label(window.accessText.t('label.requester'), 'blue')]),
    kit.el('p', { text: window.accessText.t('requester.explain') }),
  ]);
}

function agentLabels(agent: AgentAccess): HTMLElement {
  const kit = window.accessKit;
  const text = window.accessText;
  // "Agent" goes without saying on an agent's page: only what sets this one apart is labelled.
  return kit.el('div', { className: 'labels' }, [
    agent.occasional ? kit.label(text.t('label.occasional'), 'blue') : null,
    agent.active ? null : kit.label(text.t('label.deactivated'), 'red'),
    agent.isAccountAdmin ? kit.label(text.t('label.accountAdminYes'), 'green') : kit.label(text.t('label.accountAdminNo'), 'grey'),
  ]);
}

/** Whose page this is: name, email and the labels that matter. */
function profileHeader(agent: AgentAccess): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'profile' }, [
    kit.el('h2', { className: 'viewed-name', text: agent.name }),
    kit.el('p', { className: 'viewed-email', text: agent.email }),
    agentLabels(agent),
  ]);
}

function roleLabels(agent: AgentAccess): HTMLElement {
  const kit = window.accessKit;
  return agent.roles.length === 0
    ? kit.el('p', { className: 'empty', text: window.accessText.t('roles.none') })
    : kit.el('div', { className: 'labels roles' }, agent.roles.map((role) => kit.label(role.name, 'normal')));
}

function rolesBlock(agent: AgentAccess): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'roles-block' }, [kit.el('h3', { text: window.accessText.t('roles.title') }), roleLabels(agent)]);
}

/** A longer explanation, collapsed below the answer. */
function more(summaryKey: MessageKey, children: (Node | null)[]): HTMLElement {
  const kit = window.accessKit;
  return kit.el('details', { className: 'more' }, [kit.el('summary', { text: window.accessText.t(summaryKey) }), ...children]);
}

/** The admin-level role the agent holds besides Account Admin, by name ("Admin", "Asset Admin"). */
function adminRoleName(agent: AgentAccess, accountAdminRoleId: number | null): string | null {
  const role = agent.roles.find((candidate) => candidate.roleId !== accountAdminRoleId && /admin/i.test(candidate.name));
  return role?.name ?? null;
}

/** What the agent, on their own page, holds, in the words that answer their confusion. */
function youHold(agent: AgentAccess, accountAdminRoleId: number | null): string {
  const text = window.accessText;
  if (agent.isAccountAdmin) {
    return text.t('hold.accountAdmin');
  }
  const adminRole = adminRoleName(agent, accountAdminRoleId);
  if (adminRole !== null) {
    return text.t('hold.adminRole', { role: adminRole });
  }
  if (agent.holdsAdminRole) {
    return text.t('hold.adminUnnamed');
  }
  const roles = agent.roles.map((role) => role.name).join(', ');
  return roles === '' ? text.t('hold.noRole') : text.count('hold.otherRoles', agent.roles.length, { roles });
}

/** The viewer on someone else's page: only their flags are known, not their roles. */
function viewerHolds(viewer: ProfileViewer | null): string | null {
  return viewer?.holdsAdminRole === true ? window.accessText.t('hold.viewerAdmin') : null;
}

/** A condition, not a fact: the app cannot read whether the viewer's key is on. */
function quoteOfFreshservice(): HTMLElement {
  const kit = window.accessKit;
  return kit.el('p', { className: 'freshservice-says' }, [
    kit.el('span', { className: 'says-who', text: window.accessText.t('self.ifFreshserviceSays') }),
    ' ',
    kit.el('q', { text: window.accessText.t('self.disabledMessage') }),
  ]);
}

function recordLine(key: MessageKey, who: PersonRef | null, at: string | null): HTMLElement | null {
  if (who === null) {
    return null;
  }
  const kit = window.accessKit;
  return kit.el('p', { className: 'record-line' }, [window.accessText.t(key, { name: who.name }), ' ', kit.timeElement(at)]);
}

/** Who decided, in the words of what they recorded. */
const DECIDED_WORDS: Record<ApiKeyState, MessageKey> = {
  none: 'record.decidedBy',
  requested: 'record.decidedBy',
  enabled: 'record.enabledBy',
  declined: 'record.declinedBy',
};

/** "Nothing recorded" in words (unless the page was opened: that line says it); a state as its label, with who asked on the same line while the request waits. */
function stateLine(record: ApiKeyRecord): HTMLElement | null {
  const kit = window.accessKit;
  if (record.state === 'none') {
    return record.openedBy === null ? kit.el('p', { className: 'record-line muted', text: kit.stateWords('none') }) : null;
  }
  const asked = record.state === 'requested' ? recordLine('record.by', record.requestedBy, record.requestedAt) : null;
  return kit.el('div', { className: 'labels state-line' }, [kit.label(kit.stateWords(record.state), kit.stateColor(record.state)), asked]);
}

/** A reason or note as what its author typed, or nothing when there is none. */
function typedOf(captionKey: 'typed.reasonOf' | 'typed.noteOf', who: PersonRef | null, typed: string | null): HTMLElement | null {
  return typed === null || typed === '' ? null : typedText(captionKey, who?.name ?? '', typed);
}

/** Whether the record holds anything a person typed: then the standing line about passwords goes with it. */
function hasTyped(record: ApiKeyRecord | null): boolean {
  return (record?.reason ?? '') !== '' || (record?.decisionNote ?? '') !== '';
}

/** The state and who did what when: the app's record of someone else's key, each entry as recorded in this app. */
function recordSummary(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  return kit.el('div', { className: 'api-key', attrs: { 'data-state': record.state } }, [
    stateLine(record),
    record.state === 'requested' ? null : recordLine('record.requestedBy', record.requestedBy, record.requestedAt),
    recordLine('record.openedBy', record.openedBy, record.openedAt),
    recordLine(DECIDED_WORDS[record.state], record.decidedBy, record.decidedAt),
    typedOf('typed.reasonOf', record.requestedBy, record.reason),
    typedOf('typed.noteOf', record.decidedBy, record.decisionNote),
  ]);
}

/** For a viewer who cannot act: the record, and once that it is only the app's record. */
function apiKeySection(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'api-key-section' }, [
    kit.el('h3', { text: window.accessText.t('apiKey.title') }),
    recordSummary(record),
    kit.el('p', { className: 'hint', text: window.accessText.t('apiKey.recordedHere') }),
    hasTyped(record) ? noPasswordLine() : null,
  ]);
}

window.accessParts = {
  enableStep,
  enableWords,
  firstName,
  hasNoAccountAdmin,
  noAccountAdminWarning,
  pendingCountOf,
  queueBanner,
  menuPath,
  route,
  standingExplanation,
  keyEvidence,
  failureEvidence,
  failureView,
  typedText,
  noPasswordLine,
  hasTyped,
  didWords,
  recordedAsViewer,
  requesterSection,
  profileHeader,
  rolesBlock,
  roleLabels,
  more,
  youHold,
  viewerHolds,
  quoteOfFreshservice,
  recordLine,
  recordSummary,
  apiKeySection,
};
