/*
 * Types shared by every widget script. The app's scripts are classic scripts in one global
 * scope (no bundler: FDK lints every .js under app/), so the contracts come in as global type
 * aliases from the server's declarations, and each script exposes its API on one window object.
 */

type AgentAccess = import('@common/audit').AgentAccess;
type AccessOverviewPayload = import('@common/audit').AccessOverviewPayload;
type AccessOverviewSlice = import('@common/audit').AccessOverviewSlice;
type UserAccessPayload = import('@common/audit').UserAccessPayload;
type UserAccess = import('@common/audit').UserAccess;
type AccountAdminsResult = import('@common/audit').AccountAdminsResult;
type ApiKeyState = import('@common/ledger').ApiKeyState;
type ApiKeyRecord = import('@common/ledger').ApiKeyRecord;
type AdminAction = import('@common/ledger').AdminAction;
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
type ErrorCode = import('@common/errors').ErrorCode;
type ProfileAccessPayload = import('@common/profile').ProfileAccessPayload;
type ProfileAccess = import('@common/profile').ProfileAccess;

/** The slice of FDK's client library the widget uses. */
interface FdkClient {
  data: { get(name: string): Promise<unknown> };
  request: { invoke(name: string, payload: Record<string, unknown>): Promise<unknown> };
  interface: { trigger(action: string, options: Record<string, unknown>): Promise<unknown> };
  instance: { resize(options: { height: string }): unknown };
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
}

type ErrorAction = 'retry' | 'settings' | 'ask' | 'refresh' | 'none';

interface ErrorAdvice {
  /** Short heading, e.g. "Check the app settings". */
  title: string;
  action: ErrorAction;
  /** What the admin should do, shown under the server's own message. */
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

/** window.accessKit: helpers shared by the sidebar and the console (app/src/kit.ts). */
interface AccessKit {
  callServer<K extends ServerMethodName>(client: FdkClient, name: K, payload: ServerMethods[K]['payload']): Promise<ServerMethods[K]['result']>;
  toWidgetError(raw: unknown): WidgetError;
  adviceFor(error: WidgetError): ErrorAdvice;
  readPerson(raw: unknown, key: string): Person | null;
  readHostUrl(raw: unknown): string;
  permissionsUrl(host: string, path: string): string;
  el(tag: string, spec?: ElementSpec, children?: (Node | null)[]): HTMLElement;
  label(text: string, color: string): HTMLElement;
  /** Adds AA-contrast colours to a Crayons element whose own text colour is too light (fw-label, fw-pagination). */
  raiseContrast(node: HTMLElement): void;
  button(text: string, color: string, onClick: () => void): HTMLElement;
  skeleton(lines: number, words?: string): HTMLElement;
  errorPanel(error: WidgetError, onRetry: (() => void) | null): HTMLElement;
  notify(client: FdkClient, type: NotifyType, title: string, message: string): void;
  formatDate(iso: string | null): string;
  stateWords(state: ApiKeyState): string;
  stateColor(state: ApiKeyState): string;
  toCsv(rows: string[][]): string;
  reportQuietly(error: unknown): void;
}

/** Options of the agent access view (the sidebar's content, also shown in the console's modals). */
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
  /** Called after every render (the sidebar resizes itself). */
  onRender?: () => void;
  /** Called after the ledger changed through this view. */
  onLedgerChange?: (record: ApiKeyRecord) => void;
}

interface AccessViewHandle {
  reload(): Promise<void>;
}

/** window.accessView: the agent access view (app/src/access-view.ts). */
interface AccessViewApi {
  mount(container: HTMLElement, options: AccessViewOptions): AccessViewHandle;
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
type ConsoleSortKey = 'name' | 'email' | 'roles' | 'accountAdmin' | 'occasional' | 'lastLogin' | 'apiKey';

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
  csvRows(rows: ConsoleRow[], apiKeyState: (id: number) => ApiKeyState): string[][];
}

interface Window {
  accessKit: AccessKit;
  accessView: AccessViewApi;
  consoleModel: ConsoleModelApi;
}
