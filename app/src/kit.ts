/*
 * Helpers shared by every page, exposed as window.accessKit.
 * Everything that shows data builds DOM nodes and sets textContent: no HTML strings.
 */

interface AdviceKeys {
  title: MessageKey;
  hint: MessageKey;
  action: ErrorAction;
}

// Typed over every ErrorCode: a new server code fails the build until the widget handles it.
const ADVICE_BY_CODE: Record<ErrorCode, AdviceKeys> = {
  KEY_INVALID: { title: 'error.keyInvalid.title', hint: 'error.keyInvalid.hint', action: 'settings' },
  KEY_OWNER_NOT_ADMIN: { title: 'error.keyOwnerNotAdmin.title', hint: 'error.keyOwnerNotAdmin.hint', action: 'settings' },
  NOT_FOUND: { title: 'error.notFound.title', hint: 'error.notFound.hint', action: 'refresh' },
  RATE_LIMITED: { title: 'error.rateLimited.title', hint: 'error.rateLimited.hint', action: 'wait' },
  APP_RATE_LIMITED: { title: 'error.appRateLimited.title', hint: 'error.appRateLimited.hint', action: 'wait' },
  FRESHSERVICE_UNAVAILABLE: { title: 'error.freshserviceUnavailable.title', hint: 'error.freshserviceUnavailable.hint', action: 'retry' },
  BAD_RESPONSE: { title: 'error.badResponse.title', hint: 'error.badResponse.hint', action: 'retry' },
  INVALID_PAYLOAD: { title: 'error.invalidPayload.title', hint: 'error.invalidPayload.hint', action: 'refresh' },
  ACCOUNT_ADMIN_ROLE_MISSING: { title: 'error.accountAdminRoleMissing.title', hint: 'error.accountAdminRoleMissing.hint', action: 'ask' },
  NOT_ACCOUNT_ADMIN: { title: 'error.notAccountAdmin.title', hint: 'error.notAccountAdmin.hint', action: 'ask' },
  SELF_ACTION: { title: 'error.selfAction.title', hint: 'error.selfAction.hint', action: 'ask' },
  TARGET_INACTIVE: { title: 'error.targetInactive.title', hint: 'error.targetInactive.hint', action: 'refresh' },
  OUT_OF_ORDER: { title: 'error.outOfOrder.title', hint: 'error.outOfOrder.hint', action: 'refresh' },
  STORE_UNAVAILABLE: { title: 'error.storeUnavailable.title', hint: 'error.storeUnavailable.hint', action: 'retry' },
  RECORD_TAMPERED: { title: 'error.recordTampered.title', hint: 'error.recordTampered.hint', action: 'refresh' },
  INTERNAL: { title: 'error.internal.title', hint: 'error.internal.hint', action: 'retry' },
};

/**
 * The platform may forward only { status, message } of a failed server method, so the status
 * decides. The server keeps them apart: 503 is Freshservice's, 507 the app's own storage ($db).
 */
const ADVICE_BY_STATUS: Record<number, AdviceKeys> = {
  400: ADVICE_BY_CODE.INVALID_PAYLOAD,
  401: ADVICE_BY_CODE.KEY_INVALID,
  403: { title: 'error.forbidden.title', hint: 'error.forbidden.hint', action: 'ask' },
  404: ADVICE_BY_CODE.NOT_FOUND,
  409: ADVICE_BY_CODE.OUT_OF_ORDER,
  // Freshservice's limit or the app's own (FDK's 50 a minute): without the code, the words fit both.
  429: { title: 'error.requestLimit.title', hint: 'error.requestLimit.hint', action: 'wait' },
  500: ADVICE_BY_CODE.INTERNAL,
  502: ADVICE_BY_CODE.BAD_RESPONSE,
  503: ADVICE_BY_CODE.FRESHSERVICE_UNAVAILABLE,
  504: ADVICE_BY_CODE.FRESHSERVICE_UNAVAILABLE,
  507: ADVICE_BY_CODE.STORE_UNAVAILABLE,
};
const UNKNOWN_ADVICE: AdviceKeys = { title: 'error.unknown.title', hint: 'error.unknown.hint', action: 'retry' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function knownCode(value: unknown): ErrorCode | null {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ADVICE_BY_CODE, value) ? (value as ErrorCode) : null;
}

function retryAfter(value: unknown): { retryAfterSeconds?: number } {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? { retryAfterSeconds: value } : {};
}

function toWidgetError(raw: unknown): WidgetError {
  const body = isRecord(raw) ? raw : {};
  const status = typeof body['status'] === 'number' ? body['status'] : 500;
  const message = typeof body['message'] === 'string' && body['message'] !== '' ? body['message'] : window.accessText.t('error.noServer');
  return { status, message, code: knownCode(body['code']), ...retryAfter(body['retryAfterSeconds']) };
}

function adviceKeys(error: WidgetError): AdviceKeys {
  return error.code !== null ? ADVICE_BY_CODE[error.code] : (ADVICE_BY_STATUS[error.status] ?? UNKNOWN_ADVICE);
}

/** A rate limit's wait when nothing says otherwise: the platform's and Freshservice's limits are per minute. */
const RATE_WINDOW_SECONDS = 60;

/**
 * Seconds to wait after a rate-limit refusal: what the answer said, else what the server's
 * message says ("... Retry after 40 seconds.", server/src/freshservice/failures.ts: the platform
 * may forward only the status and the message), else a full minute.
 */
function waitSeconds(error: WidgetError): number {
  const said = /Retry after (\d{1,4}) seconds?\./.exec(error.message)?.[1];
  return error.retryAfterSeconds ?? (said === undefined ? RATE_WINDOW_SECONDS : Number(said));
}

function adviceFor(error: WidgetError): ErrorAdvice {
  const keys = adviceKeys(error);
  return { title: window.accessText.t(keys.title), hint: window.accessText.t(keys.hint, { seconds: String(waitSeconds(error)) }), action: keys.action };
}

function isStorageBusy(error: WidgetError): boolean {
  return adviceKeys(error) === ADVICE_BY_CODE.STORE_UNAVAILABLE;
}

async function callServer<K extends ServerMethodName>(
  client: FdkClient,
  name: K,
  payload: ServerMethods[K]['payload'],
): Promise<ServerMethods[K]['result']> {
  let answer: unknown;
  try {
    answer = await client.request.invoke(name, payload as Record<string, unknown>);
  } catch (error) {
    throw toWidgetError(error);
  }
  if (!isRecord(answer) || !isRecord(answer['response'])) {
    throw toWidgetError({ status: 500, message: window.accessText.t('error.unreadableAnswer', { method: name }) });
  }
  return answer['response'] as unknown as ServerMethods[K]['result'];
}

/** FDK wraps data under its name ({ loggedInUser: {...} }); sources disagree on a further user/agent key. */
function unwrapPerson(raw: unknown, key: string): Record<string, unknown> | null {
  const outer = isRecord(raw) && isRecord(raw[key]) ? raw[key] : raw;
  if (!isRecord(outer)) {
    return null;
  }
  const inner = outer['user'] ?? outer['agent'];
  return isRecord(inner) && inner['id'] !== undefined ? inner : outer;
}

function textField(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  return typeof value === 'string' ? value : '';
}

function personName(record: Record<string, unknown>): string {
  const full = [textField(record, 'first_name'), textField(record, 'last_name')].join(' ').trim();
  return textField(record, 'name') || full || textField(record, 'email');
}

function readPerson(raw: unknown, key: string): Person | null {
  const record = unwrapPerson(raw, key);
  const id = record === null ? NaN : Number(record['id']);
  if (record === null || !Number.isSafeInteger(id) || id <= 0) {
    return null;
  }
  return { id, name: personName(record), email: textField(record, 'email') };
}

function readHostUrl(raw: unknown): string {
  const outer = isRecord(raw) && isRecord(raw['currentHost']) ? raw['currentHost'] : raw;
  const urls = isRecord(outer) ? outer['endpoint_urls'] : null;
  const url = isRecord(urls) ? urls['freshservice'] : null;
  return typeof url === 'string' ? url.replace(/\/+$/, '') : '';
}

function permissionsUrl(host: string, path: string): string {
  return `${host}${path.startsWith('/') ? path : `/${path}`}`;
}

function el(tag: string, spec: ElementSpec = {}, children: (Node | string | null)[] = []): HTMLElement {
  const node = document.createElement(tag);
  if (spec.className) {
    node.className = spec.className;
  }
  if (spec.text !== undefined) {
    node.textContent = spec.text;
  }
  for (const [name, value] of Object.entries(spec.attrs ?? {})) {
    node.setAttribute(name, value);
  }
  node.append(...children.filter((child): child is Node | string => child !== null));
  return node;
}

/*
 * Crayons draws some text below WCAG AA (4.5:1): the roles label (#6f7c87 on white), "Requested"
 * (#e86f25 on #fef1e1), "Declined" (#d72d30 on #ffecf0) and the pagination's "1 to 50 of 57".
 * fw-button never wraps its label and cuts it with an ellipsis, which clips "Still disabled? Ask
 * again" in a 200 px sidebar. None exposes a part or a variable for it, so a sheet is added to
 * the shadow root.
 */
const SHADOW_STYLES: Record<string, string> = {
  'fw-label': '.label--normal { color: #475867 !important; } .label--yellow { color: #a6480d !important; } .label--red { color: #c0262a !important; }',
  'fw-pagination': '.current-record { color: #475867 !important; }',
  'fw-button':
    '.fw-btn { white-space: normal !important; height: auto !important; min-height: 24px; } .fw-btn .fw-btn--label { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; text-align: center; padding-block: 3px !important; line-height: 16px !important; }',
};
const shadowSheets = new Map<string, CSSStyleSheet>();

function shadowSheet(tag: string): CSSStyleSheet | null {
  const css = SHADOW_STYLES[tag];
  if (css === undefined || typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype)) {
    return null;
  }
  const known = shadowSheets.get(tag);
  if (known !== undefined) {
    return known;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  shadowSheets.set(tag, sheet);
  return sheet;
}

function addShadowSheet(node: HTMLElement, sheet: CSSStyleSheet): void {
  const root = node.shadowRoot;
  if (root !== null && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}

/** Once the Crayons element is defined (and so has its shadow root), add its sheet. */
function adjustCrayons(node: HTMLElement): void {
  const tag = node.tagName.toLowerCase();
  const sheet = shadowSheet(tag);
  if (sheet === null || typeof customElements === 'undefined') {
    return;
  }
  customElements
    .whenDefined(tag)
    .then(() => addShadowSheet(node, sheet))
    .catch(reportQuietly);
}

function label(text: string, color: string): HTMLElement {
  const node = el('fw-label', { attrs: { value: text, color } });
  adjustCrayons(node);
  return node;
}

function button(text: string, color: string, onClick: () => void): HTMLElement {
  // No fw-button throttle: actions guard against double submits themselves, and a throttle swallows quick real clicks.
  const node = el('fw-button', { text, attrs: { color, size: 'small', 'throttle-delay': '0' } });
  node.addEventListener('fwClick', onClick);
  adjustCrayons(node);
  return node;
}

/** A Crayons control (fw-button, fw-input) takes focus through its setFocus() once it is drawn; anything else through focus(). */
function focusControl(node: HTMLElement | null): void {
  if (node === null) {
    return;
  }
  const tag = node.localName;
  if (!tag.includes('-')) {
    node.focus();
    return;
  }
  if (typeof customElements === 'undefined') {
    return;
  }
  customElements
    .whenDefined(tag)
    .then(() => (node as HTMLElement & { setFocus?: () => Promise<void> }).setFocus?.())
    .catch(reportQuietly);
}

/** Placeholder lines with the words of what is being read, so a slow answer does not look like a blank page. */
function skeleton(lines: number, words: string): HTMLElement {
  return el('div', { className: 'skeleton', attrs: { 'aria-busy': 'true', 'aria-label': words } }, [
    el('p', { className: 'hint loading-words', text: words }),
    el('fw-skeleton', { attrs: { variant: 'text', count: String(lines), effect: 'sheen' } }),
  ]);
}

const RETRY_WORDS: Record<ErrorAction, MessageKey | null> = { retry: 'action.retry', settings: 'action.retry', refresh: 'action.refresh', wait: 'action.retryNow', ask: null, none: null };

function errorDetails(error: WidgetError): HTMLElement {
  return el('details', { className: 'error-details' }, [el('summary', { text: window.accessText.t('error.details') }), el('p', { className: 'server-message', text: error.message })]);
}

/**
 * A rate-limit refusal goes on by itself: the panel says which limit and counts the wait down,
 * then calls `onContinue` once (Try now does it sooner). Nobody has to click: the limits are per
 * minute, so waiting is all it takes. The count stops if the panel leaves the page.
 */
function waitingPanel(error: WidgetError, onContinue: () => void): HTMLElement {
  const text = window.accessText;
  const keys = adviceKeys(error);
  let left = waitSeconds(error);
  let timer = 0;
  let done = false;
  const hint = el('p', { className: 'hint error-hint', text: text.t(keys.hint, { seconds: String(left) }), attrs: { 'aria-live': 'polite' } });
  const go = (): void => {
    window.clearTimeout(timer);
    if (!done) {
      done = true;
      onContinue();
    }
  };
  const panel = el('fw-inline-message', { className: 'error-panel', attrs: { type: 'warning', closable: 'false', role: 'status', 'data-waiting': 'true' } }, [
    el('strong', { className: 'error-title', text: text.t(keys.title) }),
    hint,
    button(text.t('action.retryNow'), 'secondary', go),
    errorDetails(error),
  ]);
  const tick = (): void => {
    if (!panel.isConnected) {
      return; // the page moved on (the view was replaced)
    }
    left -= 1;
    if (left <= 0) {
      go();
      return;
    }
    hint.textContent = text.t(keys.hint, { seconds: String(left) });
    timer = window.setTimeout(tick, 1000);
  };
  timer = window.setTimeout(tick, 1000);
  return panel;
}

/**
 * The widget's own words (what happened, what to do), then the server's message as a detail:
 * it is English text written for an admin, and often says the same thing in more words.
 */
function errorPanel(error: WidgetError, onRetry: (() => void) | null): HTMLElement {
  const text = window.accessText;
  const advice = adviceFor(error);
  if (advice.action === 'wait' && onRetry !== null) {
    return waitingPanel(error, onRetry);
  }
  const retryWords = RETRY_WORDS[advice.action];
  const retry = onRetry !== null && retryWords !== null ? button(text.t(retryWords), 'secondary', onRetry) : null;
  return el('fw-inline-message', { className: 'error-panel', attrs: { type: 'error', closable: 'false', role: 'alert' } }, [
    el('strong', { className: 'error-title', text: advice.title }),
    el('p', { className: 'hint error-hint', text: advice.hint }),
    retry,
    errorDetails(error),
  ]);
}

function shorten(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function reportQuietly(error: unknown): void {
  const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : String(error);
  console.warn('Account Admin access:', message);
}

function notify(client: FdkClient, type: NotifyType, title: string, message: string): void {
  client.interface
    .trigger('showNotify', { type, title: shorten(title, 30), message: shorten(message, 100) })
    .catch(reportQuietly);
}

function timeElement(iso: string | null): HTMLElement {
  const text = window.accessText;
  const attrs: Record<string, string> = iso === null ? {} : { datetime: iso, title: text.exactWhen(iso) };
  return el('time', { text: text.when(iso), attrs });
}

const STATE_WORDS: Record<ApiKeyState, MessageKey> = {
  none: 'state.none',
  requested: 'state.requested',
  enabled: 'state.enabled',
  declined: 'state.declined',
};
const STATE_COLORS: Record<ApiKeyState, string> = { none: 'grey', requested: 'yellow', enabled: 'green', declined: 'red' };

function stateWords(state: ApiKeyState): string {
  return window.accessText.t(STATE_WORDS[state]);
}

function stateColor(state: ApiKeyState): string {
  return STATE_COLORS[state];
}

/*
 * A spreadsheet runs a cell starting with = + - @ as a formula, and so it does when blank
 * characters come first (spaces, no-break and zero-width spaces, tab, CR, LF: some programs trim
 * them) or when the character is the full-width form (＝ ＋ － ＠, which spreadsheets in East Asian
 * locales read as the ASCII one). It also splits a line on the list separator of the viewer's
 * locale (',' in some, ';' in many), so a formula can start after a separator inside a quoted
 * cell. Wherever a formula character begins a cell or follows a separator, whatever blanks come
 * between, a quote goes right before it; a cell starting with tab, CR or LF gets one in front too.
 */
const BLANKS = '\\s\\u200B-\\u200D\\u2060\\uFEFF';
const FORMULA_CHARACTERS = '=+\\-@\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const FORMULA_BEGINS = new RegExp(`(^|[,;\\t\\r\\n])([${BLANKS}]*)(?=[${FORMULA_CHARACTERS}])`, 'g');
const STARTS_WITH_CONTROL = /^[\t\r\n]/;
/** Excel reads a CSV without a byte-order mark in the system's code page, so "Chloé" would break. */
const UTF8_BOM = '\uFEFF';

function csvCell(value: string): string {
  const neutral = value.replace(FORMULA_BEGINS, "$1$2'");
  const safe = STARTS_WITH_CONTROL.test(neutral) ? `'${neutral}` : neutral;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Every cell quoted, CRLF line ends, a UTF-8 byte-order mark first. */
function toCsv(rows: string[][]): string {
  return UTF8_BOM + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The ledger's index: the head, then at most 256 shards (server/src/ledger/ledger-index.ts); more pages would be a loop. */
const MAX_INDEX_PAGES = 257;
/**
 * Between two pages after the first: each page is a server-method call and a read of the app's
 * storage, and FDK allows 50 of each a minute for everyone using the app. Only a ledger of more
 * than 100 agents has a second page.
 */
const INDEX_PAGE_GAP_MS = 3_000;

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => {
    window.setTimeout(resolve, ms);
  });
}

/** Every agent with a record, from every page of listApiKeyIndex (usually one page: one read of the app's storage). */
async function readLedgerIndex(client: FdkClient): Promise<ApiKeyIndexEntry[]> {
  const entries: ApiKeyIndexEntry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_INDEX_PAGES; page += 1) {
    if (page > 0) {
      await wait(INDEX_PAGE_GAP_MS);
    }
    const answer: ApiKeyIndexPage = await callServer(client, 'listApiKeyIndex', { cursor });
    entries.push(...answer.entries);
    cursor = answer.cursor;
    if (cursor === null) {
      break;
    }
  }
  return entries;
}

/** The requests waiting, oldest first (the order they were made); an agent listed twice (a rare race) counts once, by the higher version. */
function pendingRequestsOf(entries: ApiKeyIndexEntry[]): PendingRequest[] {
  const newest = new Map<number, ApiKeyIndexEntry>();
  for (const entry of entries) {
    const known = newest.get(entry.agentId);
    if (known === undefined || entry.version > known.version) {
      newest.set(entry.agentId, entry);
    }
  }
  const pending: PendingRequest[] = [];
  for (const entry of newest.values()) {
    if (entry.state === 'requested') {
      pending.push({ agent: { id: entry.agentId, name: entry.name }, requestedAt: entry.since });
    }
  }
  return pending.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.agent.id - b.agent.id);
}

window.accessKit = {
  callServer,
  readLedgerIndex,
  pendingRequestsOf,
  toWidgetError,
  adviceFor,
  isStorageBusy,
  readPerson,
  readHostUrl,
  permissionsUrl,
  el,
  label,
  adjustCrayons,
  button,
  focusControl,
  skeleton,
  errorPanel,
  notify,
  timeElement,
  stateWords,
  stateColor,
  toCsv,
  reportQuietly,
};
