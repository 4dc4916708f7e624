import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInThisContext } from 'node:vm';
import type { AgentAccess } from '#common/audit';
import type { ErrorCode } from '#common/errors';
import type { ApiKeyIndexEntry, ApiKeyRecord, ApiKeyState } from '#common/ledger';

/** An agent's API-key state as the console knows it (the widget's KnownApiKeyState). */
export type KnownApiKeyState = Pick<ApiKeyIndexEntry, 'agentId' | 'version' | 'state'>;

/** The repository root, from build/tests/app/. */
export const repoRoot = resolve(__dirname, '..', '..', '..');

interface WidgetError {
  status: number;
  message: string;
  code: ErrorCode | null;
  retryAfterSeconds?: number;
}

/** The pure part of window.accessKit (app/src/globals.d.ts has the full type, with DOM types). */
export interface KitUnderTest {
  toCsv(rows: string[][]): string;
  toWidgetError(raw: unknown): WidgetError;
  adviceFor(error: WidgetError): { title: string; action: string; hint: string };
  isStorageBusy(error: WidgetError): boolean;
  readPerson(raw: unknown, key: string): { id: number; name: string; email: string } | null;
  readHostUrl(raw: unknown): string;
  permissionsUrl(host: string, path: string): string;
  stateWords(state: ApiKeyState): string;
}

type Values = Record<string, string | number>;

/** window.accessText (app/src/text.ts); keys are the English catalogue's. */
export interface TextUnderTest {
  locale(): string;
  useLocale(locale: string): void;
  ready(): Promise<void>;
  t(key: string, values?: Values): string;
  count(key: string, value: number, values?: Values): string;
  number(value: number): string;
  when(iso: string | null): string;
  exactWhen(iso: string | null): string;
}

/** The pure part of window.accessAsk (app/src/ask.ts). */
export interface AskUnderTest {
  message(about: { agent: { name: string; email: string }; sender: { name: string }; link: string | null; reason: string | null; kind: 'enable' | 'stillDisabled' }): { subject: string; body: string };
  mailto(to: string[]): string;
  mailtoHref(to: string[], message: { subject: string; body: string }): string;
}

export interface ConsoleRow {
  agent: AgentAccess;
  rolesText: string;
}

export interface ConsoleQuery {
  filter: 'all' | 'lacking' | 'pending';
  search: string;
  sortKey: 'name' | 'email' | 'roles' | 'accountAdmin' | 'lastLogin' | 'apiKey';
  descending: boolean;
}

export interface ConsoleModelUnderTest {
  toRow(agent: AgentAccess): ConsoleRow;
  query(rows: ConsoleRow[], query: ConsoleQuery, apiKeyState: (id: number) => ApiKeyState): ConsoleRow[];
  page(rows: ConsoleRow[], page: number, perPage: number): ConsoleRow[];
  knownStates(listed: KnownApiKeyState[], answered: KnownApiKeyState[]): Map<number, KnownApiKeyState>;
  stateOfRecord(record: ApiKeyRecord): KnownApiKeyState;
  countState(states: Map<number, KnownApiKeyState>, state: ApiKeyState): number;
  csvRows(rows: ConsoleRow[], apiKeyState: (id: number) => ApiKeyState): string[][];
}

export interface WidgetWindow {
  accessCatalogues: Record<string, Record<string, unknown>>;
  accessText: TextUnderTest;
  accessKit: KitUnderTest;
  accessAsk: AskUnderTest;
  consoleModel: ConsoleModelUnderTest;
}

/** Every widget page loads the English catalogue and the formatter first. */
export const WORDS = ['i18n/en.js', 'text.js'] as const;

/**
 * Runs built widget scripts (app/scripts/*.js, classic scripts that publish their API on
 * `window`) against a bare window object. Each script runs in this realm, wrapped in a function,
 * so results compare with deepEqual. DOM-facing code is covered by the browser tests.
 */
export function loadWidgetScripts(...names: string[]): WidgetWindow {
  const window = {} as WidgetWindow;
  for (const name of names) {
    const code = readFileSync(join(repoRoot, 'app', 'scripts', name), 'utf8');
    const run = runInThisContext(`(function (window) {\n${code}\n})`, { filename: name }) as (target: WidgetWindow) => void;
    run(window);
  }
  return window;
}
