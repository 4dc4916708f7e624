/*
 * Types shared by every widget script. The app's scripts are classic scripts in one global
 * scope (no bundler: FDK lints every .js under app/), so the contracts come in as global type
 * aliases from the server's declarations, and each script exposes its API on one window object.
 */

type AgentAccess = import('@common/audit').AgentAccess;
type AccessOverviewPayload = import('@common/audit').AccessOverviewPayload;
type AccessOverviewSlice = import('@common/audit').AccessOverviewSlice;
type AccessSummary = import('@common/audit').AccessSummary;
type UserAccessPayload = import('@common/audit').UserAccessPayload;
type UserAccess = import('@common/audit').UserAccess;
type AccountAdminsResult = import('@common/audit').AccountAdminsResult;
type ApiKeyState = import('@common/ledger').ApiKeyState;
type ApiKeyRecord = import('@common/ledger').ApiKeyRecord;
type AdminAction = import('@common/ledger').AdminAction;
type LedgerAction = import('@common/ledger').LedgerAction;
type RecordedUnderName = import('@common/ledger').RecordedUnderName;
type TrailEntry = import('@common/ledger').TrailEntry;
type RequestApiKeyPayload = import('@common/ledger').RequestApiKeyPayload;
type RecordApiKeyActionPayload = import('@common/ledger').RecordApiKeyActionPayload;
type GetApiKeyStatePayload = import('@common/ledger').GetApiKeyStatePayload;
type ListApiKeyIndexPayload = import('@common/ledger').ListApiKeyIndexPayload;
type ApiKeyIndexEntry = import('@common/ledger').ApiKeyIndexEntry;
type ApiKeyIndexPage = import('@common/ledger').ApiKeyIndexPage;
type GetApiKeyHistoryPayload = import('@common/ledger').GetApiKeyHistoryPayload;
type ApiKeyHistoryPage = import('@common/ledger').ApiKeyHistoryPage;
/** An agent's API-key state as the console knows it: from the index, or from an action's answer (the higher version wins). */
type KnownApiKeyState = Pick<ApiKeyIndexEntry, 'agentId' | 'version' | 'state'>;

/** A waiting request as the queue and the console list it (from the ledger's index; the reason is in the agent's access view). */
interface PendingRequest {
  agent: { id: number; name: string };
  requestedAt: string;
}
type ErrorCode = import('@common/errors').ErrorCode;
type ProfileAccessPayload = import('@common/profile').ProfileAccessPayload;
type ProfileAccess = import('@common/profile').ProfileAccess;
type ProfileViewer = import('@common/profile').ProfileViewer;
type PersonRef = import('@common/ledger').PersonRef;

/** A catalogue entry: plain, or one form per plural category of the language (`other` always). */
type PluralMessage = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;
type Message = string | PluralMessage;
/** Every string the widget shows has a key in the English catalogue (app/src/i18n/en.ts). */
type MessageKey = keyof typeof ENGLISH_CATALOGUE;
/** One language's words: every key, so a translation missing one fails the build. */
type Catalogue = Record<MessageKey, Message>;
type MessageValues = Record<string, string | number>;

/** The slice of FDK's client library the widget uses. */
interface FdkClient {
  data: { get(name: string): Promise<unknown> };
  request: { invoke(name: string, payload: Record<string, unknown>): Promise<unknown> };
  interface: { trigger(action: string, options: Record<string, unknown>): Promise<unknown> };
  /**
   * FDK documents a CSS length for the height ("400px"), at most 700 px. A modal's `send` reaches
   * the instance that opened it, whose `receive` callback reads `event.helper.getData()` as
   * `{ sender, message }` (Freshworks' instance-method sample).
   */
  instance: {
    resize(options: { height: string }): unknown;
    close?(): unknown;
    send?(options: { message: unknown }): Promise<unknown>;
    receive?(callback: (event: { helper: { getData(): unknown } }) => void): void;
  };
  events: { on(event: string, callback: () => void): void };
}

declare const app: { initialized(): Promise<FdkClient> };

/** Server methods by name (the manifest's modules.common.functions): payload in, response out. */
interface ServerMethods {
  getAccessOverview: { payload: AccessOverviewPayload; result: AccessOverviewSlice };
  getUserAccess: { payload: UserAccessPayload; result: UserAccess };
  listAccountAdmins: { payload: Record<string, never>; result: AccountAdminsResult };
  requestApiKey: { payload: RequestApiKeyPayload; result: ApiKeyRecord };
  recordApiKeyAction: { payload: RecordApiKeyActionPayload; result: ApiKeyRecord };
  listApiKeyIndex: { payload: ListApiKeyIndexPayload; result: ApiKeyIndexPage };
  getApiKeyState: { payload: GetApiKeyStatePayload; result: ApiKeyRecord };
  getApiKeyHistory: { payload: GetApiKeyHistoryPayload; result: ApiKeyHistoryPage };
  getProfileAccess: { payload: ProfileAccessPayload; result: ProfileAccess };
}
type ServerMethodName = keyof ServerMethods;

/** A failed server method as the browser receives it: `code` only when the platform forwards it. */
interface WidgetError {
  status: number;
  message: string;
  code: ErrorCode | null;
  /** Seconds to wait, when the answer said (RATE_LIMITED, APP_RATE_LIMITED, STORE_UNAVAILABLE). */
  retryAfterSeconds?: number;
}

/** `wait`: a rate limit; the page goes on by itself after the wait. */
type ErrorAction = 'retry' | 'settings' | 'ask' | 'refresh' | 'wait' | 'none';

/** What the widget says about a failure, in the viewer's language (the server's message is the detail). */
interface ErrorAdvice {
  /** Short heading, e.g. "Check the app settings". */
  title: string;
  action: ErrorAction;
  /** What to do next. */
  hint: string;
}

/** Someone the page knows about: the signed-in agent or the viewed user. */
interface Person {
  id: number;
  name: string;
  email: string;
}

type NotifyType = 'success' | 'info' | 'warning' | 'danger' | 'alert';

interface ElementSpec {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

/** window.accessText: the catalogue, the formatter, dates and numbers in the viewer's locale (app/src/text.ts). */
interface AccessText {
  locale(): string;
  /** Switches the locale (tests; the page starts with the browser's). */
  useLocale(locale: string): void;
  /** Resolves once the viewer's catalogue is loaded (at once for English). */
  ready(): Promise<void>;
  t(key: MessageKey, values?: MessageValues): string;
  /** A message with {count} in the plural form the language needs. */
  count(key: MessageKey, value: number, values?: MessageValues): string;
  number(value: number): string;
  /** Relative for the last seven days ("3 hours ago"), else a date and time in the viewer's time zone. */
  when(iso: string | null): string;
  /** The full date and time with the time zone: for tooltips. */
  exactWhen(iso: string | null): string;
}

/** window.accessKit: helpers shared by every page (app/src/kit.ts). */
interface AccessKit {
  callServer<K extends ServerMethodName>(client: FdkClient, name: K, payload: ServerMethods[K]['payload']): Promise<ServerMethods[K]['result']>;
  readLedgerIndex(client: FdkClient): Promise<ApiKeyIndexEntry[]>;
  pendingRequestsOf(entries: ApiKeyIndexEntry[]): PendingRequest[];
  toWidgetError(raw: unknown): WidgetError;
  adviceFor(error: WidgetError): ErrorAdvice;
  /** The app's own storage ($db) refused or failed: 507 or STORE_UNAVAILABLE, never Freshservice. */
  isStorageBusy(error: WidgetError): boolean;
  readPerson(raw: unknown, key: string): Person | null;
  readHostUrl(raw: unknown): string;
  permissionsUrl(host: string, path: string): string;
  el(tag: string, spec?: ElementSpec, children?: (Node | string | null)[]): HTMLElement;
  label(text: string, color: string): HTMLElement;
  /** Adds small sheets to Crayons' shadow roots: AA contrast (fw-label, fw-pagination), wrapping buttons (fw-button). */
  adjustCrayons(node: HTMLElement): void;
  button(text: string, color: string, onClick: () => void): HTMLElement;
  /** Moves focus to a control: a Crayons one (fw-button, fw-input) through setFocus() once it is drawn, anything else through focus(). */
  focusControl(node: HTMLElement | null): void;
  skeleton(lines: number, words: string): HTMLElement;
  errorPanel(error: WidgetError, onRetry: (() => void) | null): HTMLElement;
  notify(client: FdkClient, type: NotifyType, title: string, message: string): void;
  /** A <time> with the relative or local time as text and the exact time as tooltip. */
  timeElement(iso: string | null): HTMLElement;
  stateWords(state: ApiKeyState): string;
  stateColor(state: ApiKeyState): string;
  toCsv(rows: string[][]): string;
  reportQuietly(error: unknown): void;
}

/** How many requests wait; `partial` when only the ledger's first agents were counted ("at least"). */
interface PendingCount {
  count: number;
  partial: boolean;
}

/** What the app last saw of its own API key: accepted (API keys work on this account) or refused, and when. */
interface KeyEvidence {
  works: boolean;
  at: string;
}

/** A change made through an access view: the answer, what was done, and how the waiting count moved. */
interface LedgerChange {
  record: ApiKeyRecord;
  action: LedgerAction;
  /** The record is new (a repeat answers it unchanged). */
  changed: boolean;
  /** -1 a waiting request was decided, +1 one was filed or put back, 0 otherwise. */
  pendingDelta: number;
}

/** A ready-made message to the Account Admins: the app sends no mail itself. */
interface AskMessage {
  subject: string;
  body: string;
}

interface AskFor {
  /** Whose key: the viewed agent. */
  agent: { name: string; email: string };
  /** Who writes: the signed-in agent. */
  sender: { name: string };
  /** The agent's Permissions page, when known. */
  link: string | null;
  reason: string | null;
  /** 'enable' asks to switch the key on; 'stillDisabled' says it is marked enabled but still off. */
  kind: 'enable' | 'stillDisabled';
}

/** window.accessAsk: mail links and copyable messages to the Account Admins (app/src/ask.ts). */
interface AccessAsk {
  message(about: AskFor): AskMessage;
  /** A plain mail link to the addresses (no subject or body), each address encoded. */
  mailto(to: string[]): string;
  mailtoHref(to: string[], message: AskMessage): string;
  /** Opens the message in the viewer's mail program (inside the click that asks, so no blocker stops it). */
  openMail(to: string[], message: AskMessage): void;
  /** Account Admins, each name a mail link with the message. */
  peopleLinks(admins: AgentAccess[], message: AskMessage): HTMLElement;
  /** "Email the Account Admins" (a mailto link, primary unless the mail was just opened), "Copy message", and the message itself to read. */
  panel(admins: AgentAccess[], message: AskMessage, mailPrimary: boolean): HTMLElement;
}

/** Where an Account Admin stands with another agent's key, so the words match the buttons shown. */
type EnableStep = 'open' | 'mark' | 'enabled' | 'declined';

/** window.accessParts: the access view's pieces, pure DOM builders (app/src/access-parts.ts). */
interface AccessParts {
  enableStep(record: ApiKeyRecord | null): EnableStep;
  enableWords(step: EnableStep, name: string, record: ApiKeyRecord | null): string;
  firstName(agent: AgentAccess): string;
  /** No "Account Admin" role, or nobody active holds it: the warning says so, once. */
  hasNoAccountAdmin(admins: AccountAdminsResult): boolean;
  noAccountAdminWarning(admins: AccountAdminsResult | null): HTMLElement | null;
  pendingCountOf(profile: ProfileAccess): PendingCount | null;
  queueBanner(pending: PendingCount | null, onOpen: (() => void) | undefined): HTMLElement | null;
  /** "Admin > Global Settings > User Management > Agents > {agent} > Permissions > API key". */
  menuPath(agentName: string): string;
  route(agentName: string): HTMLElement;
  standingExplanation(): HTMLElement;
  keyEvidence(evidence: KeyEvidence | null): HTMLElement | null;
  failureEvidence(error: WidgetError): HTMLElement | null;
  failureView(error: WidgetError, onRetry: (() => void) | null): HTMLElement;
  typedText(captionKey: 'typed.reasonOf' | 'typed.noteOf', name: string, typed: string): HTMLElement;
  noPasswordLine(): HTMLElement;
  /** The record holds a reason or note someone typed. */
  hasTyped(record: ApiKeyRecord | null): boolean;
  didWords(action: LedgerAction, target: string): string;
  recordedAsViewer(entries: RecordedUnderName[], heading: 'h2' | 'h3'): HTMLElement;
  requesterSection(name: string, email: string): HTMLElement;
  profileHeader(agent: AgentAccess): HTMLElement;
  rolesBlock(agent: AgentAccess): HTMLElement;
  roleLabels(agent: AgentAccess): HTMLElement;
  more(summaryKey: MessageKey, children: (Node | null)[]): HTMLElement;
  youHold(agent: AgentAccess, accountAdminRoleId: number | null): string;
  viewerHolds(viewer: ProfileViewer | null): string | null;
  quoteOfFreshservice(): HTMLElement;
  recordLine(key: MessageKey, who: PersonRef | null, at: string | null): HTMLElement | null;
  recordSummary(record: ApiKeyRecord): HTMLElement;
  apiKeySection(record: ApiKeyRecord): HTMLElement;
}

/** Options of the agent access view (the sidebar's content, also shown in the console's dialogs). */
interface AccessViewOptions {
  client: FdkClient;
  viewer: Person;
  /** The user whose access is shown. */
  viewedId: number;
  /** Their name as the page knows it: shown for requesters, who have no agent record. */
  viewedName?: string;
  /** Shown for a requester (the server's answer has no profile for them); the sidebar knows it from the page. */
  viewedEmail?: string;
  /** Freshservice's base URL from currentHost (the Permissions page is `${host}${permissionsPath}`). */
  host: string;
  /** An answer already read (the console reads the viewer's own to know who is looking): no second call. */
  profile?: ProfileAccess;
  /** Where the action buttons go (a dialog's footer, always visible); inline when absent. */
  actionsSlot?: HTMLElement;
  /** Shown to an Account Admin when requests wait: opens the queue. */
  onOpenQueue?: () => void;
  /** Called after the ledger changed through this view. */
  onLedgerChange?: (change: LedgerChange) => void;
}

interface AccessViewHandle {
  /** Stops timers (the API-key retry) and callbacks: the view is being replaced. */
  dispose(): void;
  /** Requests were decided or filed elsewhere (the queue's modal): the waiting count follows. */
  adjustPending(delta: number): void;
}

/** window.accessView: the agent access view (app/src/access-view.ts). */
interface AccessViewApi {
  mount(container: HTMLElement, options: AccessViewOptions): AccessViewHandle;
}

/** Options of the pending-request queue (the console's dialog, the sidebar's modal page). */
interface QueueOptions {
  client: FdkClient;
  viewer: Person;
  host: string;
  /** The requests to work through; read from the ledger's index when absent. */
  requests?: PendingRequest[];
  /** Where the title goes ("Request 1 of 3: Chloé Dubois"). */
  title: HTMLElement;
  /** FDK's modal already shows the queue's name: the title then shows only the position, and hides between requests. */
  titledByHost?: boolean;
  /** The always-visible footer: the step's primary action and the queue's own buttons. */
  footer: HTMLElement;
  onClose: () => void;
  onLedgerChange?: (change: LedgerChange) => void;
}

/** window.accessQueue: one pending request after the other (app/src/queue.ts). */
interface AccessQueueApi {
  mount(body: HTMLElement, options: QueueOptions): void;
}

/** One agent prepared once for fast filter, sort and search in the console. */
interface ConsoleRow {
  agent: AgentAccess;
  rolesText: string;
  /** Lowercased name, email and roles: what search matches. */
  searchText: string;
  nameKey: string;
  emailKey: string;
  lastLoginMs: number;
}

type ConsoleFilter = 'all' | 'lacking' | 'pending';
type ConsoleSortKey = 'name' | 'email' | 'roles' | 'accountAdmin' | 'lastLogin' | 'apiKey';

interface ConsoleQuery {
  filter: ConsoleFilter;
  search: string;
  sortKey: ConsoleSortKey;
  descending: boolean;
}

/** window.consoleModel: the console's pure data logic (app/src/console-model.ts). */
interface ConsoleModelApi {
  toRow(agent: AgentAccess): ConsoleRow;
  /** Filtered, searched and sorted rows; `apiKeyState` gives each agent's recorded state. */
  query(rows: ConsoleRow[], query: ConsoleQuery, apiKeyState: (id: number) => ApiKeyState): ConsoleRow[];
  page(rows: ConsoleRow[], page: number, perPage: number): ConsoleRow[];
  /** Each agent's newest known API-key state: from the listed states and the answers of actions since, the newer wins. */
  knownStates(listed: KnownApiKeyState[], answered: KnownApiKeyState[]): Map<number, KnownApiKeyState>;
  /** The state an action answered (`none` too, so it replaces an older listed state). */
  stateOfRecord(record: ApiKeyRecord): KnownApiKeyState;
  /** How many agents are known to be in `state`. */
  countState(states: Map<number, KnownApiKeyState>, state: ApiKeyState): number;
  /** The CSV's rows, header first, in the viewer's language. */
  csvRows(rows: ConsoleRow[], apiKeyState: (id: number) => ApiKeyState): string[][];
}

interface Window {
  accessCatalogues?: Partial<Record<string, Catalogue>>;
  accessText: AccessText;
  accessKit: AccessKit;
  accessAsk: AccessAsk;
  accessParts: AccessParts;
  accessView: AccessViewApi;
  accessQueue: AccessQueueApi;
  consoleModel: ConsoleModelApi;
}
