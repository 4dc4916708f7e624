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

/** An Account Admin learns of requests during their normal work: the app sends no mail. */
function queueBanner(pending: number | null, onOpen: (() => void) | undefined): HTMLElement | null {
  if (pending === null || pending <= 0 || onOpen === undefined) {
    return null;
  }
  const kit = window.accessKit;
  return kit.el('div', { className: 'queue-banner', attrs: { role: 'status', 'data-pending': String(pending), title: window.accessText.count('queue.waiting', pending) } }, [
    kit.el('span', { className: 'queue-count', text: window.accessText.count('queue.waitingShort', pending) }),
    kit.button(window.accessText.t('queue.open'), 'link', onOpen),
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

function quoteOfFreshservice(): HTMLElement {
  const kit = window.accessKit;
  return kit.el('p', { className: 'freshservice-says' }, [
    kit.el('span', { className: 'says-who', text: window.accessText.t('self.freshserviceSays') }),
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

/** "Nothing recorded" in words; a state as its label, with who asked on the same line while the request waits. */
function stateLine(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  if (record.state === 'none') {
    return kit.el('p', { className: 'record-line muted', text: kit.stateWords('none') });
  }
  const asked = record.state === 'requested' ? recordLine('record.by', record.requestedBy, record.requestedAt) : null;
  return kit.el('div', { className: 'labels state-line' }, [kit.label(kit.stateWords(record.state), kit.stateColor(record.state)), asked]);
}

/** The state and who did what when: the app's record of someone else's key. */
function recordSummary(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  const reason = record.reason === null || record.reason === '' ? null : kit.el('p', { className: 'record-line reason', text: window.accessText.t('record.reason', { reason: record.reason }) });
  return kit.el('div', { className: 'api-key', attrs: { 'data-state': record.state } }, [
    stateLine(record),
    record.state === 'requested' ? null : recordLine('record.requestedBy', record.requestedBy, record.requestedAt),
    reason,
    recordLine('record.openedBy', record.openedBy, record.openedAt),
    recordLine(DECIDED_WORDS[record.state], record.decidedBy, record.decidedAt),
  ]);
}

/** For a viewer who cannot act: the record, and once that it is only the app's record. */
function apiKeySection(record: ApiKeyRecord): HTMLElement {
  const kit = window.accessKit;
  return kit.el('section', { className: 'api-key-section' }, [
    kit.el('h3', { text: window.accessText.t('apiKey.title') }),
    recordSummary(record),
    kit.el('p', { className: 'hint', text: window.accessText.t('apiKey.recordedHere') }),
  ]);
}

window.accessParts = {
  enableStep,
  enableWords,
  firstName,
  hasNoAccountAdmin,
  noAccountAdminWarning,
  queueBanner,
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
