/*
 * Helpers shared by the sidebar and the console, exposed as window.accessKit.
 * Everything that shows data builds DOM nodes and sets textContent: no HTML strings.
 */

// Typed over every ErrorCode: a new server code fails the build until the widget handles it.
const ADVICE_BY_CODE: Record<ErrorCode, ErrorAdvice> = {
  KEY_INVALID: { title: 'Check the app settings', action: 'settings', hint: 'An admin must update the API key in this app\'s settings, then retry.' },
  KEY_OWNER_NOT_ADMIN: { title: 'The app\'s API key lacks access', action: 'settings', hint: 'The key in the app settings must belong to an agent with an admin role.' },
  NOT_FOUND: { title: 'Not found', action: 'refresh', hint: 'The agent may have been deleted. Refresh to see the current list.' },
  RATE_LIMITED: { title: 'Freshservice is busy', action: 'retry', hint: 'The account\'s API limit was reached. Wait a moment, then retry.' },
  FRESHSERVICE_UNAVAILABLE: { title: 'Freshservice did not answer', action: 'retry', hint: 'Retry in a moment.' },
  BAD_RESPONSE: { title: 'Unexpected answer from Freshservice', action: 'retry', hint: 'Retry; if it keeps happening, contact the app developer.' },
  INVALID_PAYLOAD: { title: 'The request was refused', action: 'refresh', hint: 'Reload the page and try again.' },
  ACCOUNT_ADMIN_ROLE_MISSING: { title: 'No Account Admin role', action: 'ask', hint: 'Freshservice support or the account owner must restore the Account Admin role.' },
  NOT_ACCOUNT_ADMIN: { title: 'Account Admin needed', action: 'ask', hint: 'Only an Account Admin can do this. Ask one of them.' },
  SELF_ACTION: { title: 'Not on your own key', action: 'ask', hint: 'Nobody can change their own API key or roles. Ask another Account Admin.' },
  TARGET_INACTIVE: { title: 'Agent is deactivated', action: 'refresh', hint: 'Reactivate the agent in Freshservice first.' },
  OUT_OF_ORDER: { title: 'The state has changed', action: 'refresh', hint: 'Refresh to see the current API-key state.' },
  STORE_UNAVAILABLE: { title: 'The app\'s storage is busy', action: 'retry', hint: 'Wait a moment, then retry.' },
  INTERNAL: { title: 'Something went wrong', action: 'retry', hint: 'Retry; if it keeps happening, contact the app developer.' },
};

// The platform forwards only { status, message } of a failed server method, so the status decides.
const ADVICE_BY_STATUS: Record<number, ErrorAdvice> = {
  400: ADVICE_BY_CODE.INVALID_PAYLOAD,
  401: ADVICE_BY_CODE.KEY_INVALID,
  403: { title: 'Not allowed', action: 'ask', hint: 'Ask an Account Admin (listed in this app) to do it.' },
  404: ADVICE_BY_CODE.NOT_FOUND,
  409: ADVICE_BY_CODE.OUT_OF_ORDER,
  429: ADVICE_BY_CODE.RATE_LIMITED,
  // The server answers the app's own storage ($db) with 507, so it is never blamed on Freshservice.
  507: ADVICE_BY_CODE.STORE_UNAVAILABLE,
};

const FALLBACK_MESSAGE = 'The app could not reach its server. Retry in a moment.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function knownCode(value: unknown): ErrorCode | null {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ADVICE_BY_CODE, value) ? (value as ErrorCode) : null;
}

function toWidgetError(raw: unknown): WidgetError {
  const body = isRecord(raw) ? raw : {};
  const status = typeof body['status'] === 'number' ? body['status'] : 500;
  const message = typeof body['message'] === 'string' && body['message'] !== '' ? body['message'] : FALLBACK_MESSAGE;
  return { status, message, code: knownCode(body['code']) };
}

function adviceFor(error: WidgetError): ErrorAdvice {
  if (error.code !== null) {
    return ADVICE_BY_CODE[error.code];
  }
  return ADVICE_BY_STATUS[error.status] ?? ADVICE_BY_CODE.FRESHSERVICE_UNAVAILABLE;
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
    throw toWidgetError({ status: 502, message: `The app's server sent an unreadable answer to ${name}. Retry in a moment.` });
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

function el(tag: string, spec: ElementSpec = {}, children: (Node | null)[] = []): HTMLElement {
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
  node.append(...children.filter((child): child is Node => child !== null));
  return node;
}

/*
 * Crayons draws some text below WCAG AA (4.5:1): the roles label (#6f7c87 on white), "Requested"
 * (#e86f25 on #fef1e1), "Declined" (#d72d30 on #ffecf0) and the pagination's "1 to 50 of 57".
 * Neither component exposes a part or a variable for it, so a sheet is added to its shadow root.
 */
const CONTRAST_FIXES: Record<string, string> = {
  'fw-label': '.label--normal { color: #475867 !important; } .label--yellow { color: #a6480d !important; } .label--red { color: #c0262a !important; }',
  'fw-pagination': '.current-record { color: #475867 !important; }',
};
const contrastSheets = new Map<string, CSSStyleSheet>();

function contrastSheet(tag: string): CSSStyleSheet | null {
  const css = CONTRAST_FIXES[tag];
  if (css === undefined || typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype)) {
    return null;
  }
  const known = contrastSheets.get(tag);
  if (known !== undefined) {
    return known;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  contrastSheets.set(tag, sheet);
  return sheet;
}

function addContrastSheet(node: HTMLElement, sheet: CSSStyleSheet): void {
  const root = node.shadowRoot;
  if (root !== null && !root.adoptedStyleSheets.includes(sheet)) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
}

/** Once the Crayons element is defined (and so has its shadow root), raise its text contrast. */
function raiseContrast(node: HTMLElement): void {
  const tag = node.tagName.toLowerCase();
  const sheet = contrastSheet(tag);
  if (sheet === null || typeof customElements === 'undefined') {
    return;
  }
  customElements
    .whenDefined(tag)
    .then(() => addContrastSheet(node, sheet))
    .catch(reportQuietly);
}

function label(text: string, color: string): HTMLElement {
  const node = el('fw-label', { attrs: { value: text, color } });
  raiseContrast(node);
  return node;
}

function button(text: string, color: string, onClick: () => void): HTMLElement {
  // No fw-button throttle: actions guard against double submits themselves, and a throttle swallows quick real clicks.
  const node = el('fw-button', { text, attrs: { color, size: 'small', 'throttle-delay': '0' } });
  node.addEventListener('fwClick', onClick);
  return node;
}

/** Placeholder lines with the words of what is being read, so a slow answer does not look like a blank page. */
function skeleton(lines: number, words = 'Loading…'): HTMLElement {
  return el('div', { className: 'skeleton', attrs: { 'aria-busy': 'true', 'aria-label': words } }, [
    el('p', { className: 'hint loading-words', text: words }),
    el('fw-skeleton', { attrs: { variant: 'text', count: String(lines), effect: 'sheen' } }),
  ]);
}

const RETRY_WORDS: Record<ErrorAction, string> = { retry: 'Retry', settings: 'Retry', refresh: 'Refresh', ask: '', none: '' };

function errorPanel(error: WidgetError, onRetry: (() => void) | null): HTMLElement {
  const advice = adviceFor(error);
  const retryWords = RETRY_WORDS[advice.action];
  const retry = onRetry !== null && retryWords !== '' ? button(retryWords, 'secondary', onRetry) : null;
  return el('fw-inline-message', { className: 'error-panel', attrs: { type: 'error', closable: 'false', role: 'alert' } }, [
    el('strong', { text: advice.title }),
    el('p', { className: 'server-message', text: error.message }),
    el('p', { className: 'hint', text: advice.hint }),
    retry,
  ]);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function reportQuietly(error: unknown): void {
  console.warn('Account Admin access:', toWidgetError(error).message);
}

function notify(client: FdkClient, type: NotifyType, title: string, message: string): void {
  client.interface
    .trigger('showNotify', { type, title: shorten(title, 30), message: shorten(message, 100) })
    .catch(reportQuietly);
}

function formatDate(iso: string | null): string {
  const time = iso === null ? NaN : Date.parse(iso);
  if (Number.isNaN(time)) {
    return 'never';
  }
  return new Date(time).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC';
}

const STATE_WORDS: Record<ApiKeyState, string> = {
  none: 'No request recorded',
  requested: 'Requested',
  enabled: 'Marked as enabled',
  declined: 'Declined',
};
const STATE_COLORS: Record<ApiKeyState, string> = { none: 'grey', requested: 'yellow', enabled: 'green', declined: 'red' };

function stateWords(state: ApiKeyState): string {
  return STATE_WORDS[state];
}

function stateColor(state: ApiKeyState): string {
  return STATE_COLORS[state];
}

// A spreadsheet treats a cell starting with = + - @ (or tab / CR) as a formula: prefix a quote.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

window.accessKit = {
  callServer,
  toWidgetError,
  adviceFor,
  readPerson,
  readHostUrl,
  permissionsUrl,
  el,
  label,
  raiseContrast,
  button,
  skeleton,
  errorPanel,
  notify,
  formatDate,
  stateWords,
  stateColor,
  toCsv,
  reportQuietly,
};
