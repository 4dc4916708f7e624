/**
 * The FDK globals a server method uses, passed in explicitly by server/server.js so that
 * every method is a plain function tests can call with fakes.
 */
import type { AppErrorBody } from '../../common/errors';

export interface TemplateInvocation {
  context?: Record<string, string | number | boolean>;
  body?: string;
}

/** What `$request.invokeTemplate` resolves: the body is the raw string. */
export interface TemplateResponse {
  status: number;
  headers: Record<string, string | undefined>;
  response: string;
}

export interface TemplateClient {
  invokeTemplate(name: string, invocation: TemplateInvocation): Promise<TemplateResponse>;
}

export interface StoreSetOptions {
  ttl?: number;
  setIf?: 'exist' | 'not_exist';
}

export type StoreUpdateAction = 'set' | 'append' | 'increment' | 'remove';

/** `$db`: FDK's key-value store. `get` rejects with `{ status: 404 }` for a missing key. */
export interface KeyValueStore {
  set(key: string, value: Record<string, unknown>, options?: StoreSetOptions): Promise<unknown>;
  get(key: string): Promise<unknown>;
  update(key: string, action: StoreUpdateAction, attributes: Record<string, unknown>): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/**
 * `$schedule`: scheduled events (Freshworks' scheduled-events reference, freshworks-platform3
 * `references/architecture/scheduled_events_doc.md`): one-time schedules (`schedule_at`, at least
 * 5 minutes ahead) and one recurring schedule per installation (`repeat`), each firing
 * `onScheduledEvent` with `data` (at most 4 KB). Each call resolves `{ status, message }`.
 */
export interface ScheduleOptions {
  name: string;
  data: Record<string, unknown>;
  /** ISO 8601 time. */
  schedule_at: string;
  repeat?: { time_unit: 'minutes' | 'hours' | 'days'; frequency: number };
}

export interface ScheduleClient {
  create(options: ScheduleOptions): Promise<unknown>;
  update(options: ScheduleOptions): Promise<unknown>;
  fetch(options: { name: string }): Promise<unknown>;
  delete(options: { name: string }): Promise<unknown>;
}

/** `renderData`: exactly one call per server-method invocation. */
export type Reply = (error: AppErrorBody | null, data?: unknown) => void;

export interface Platform {
  request: TemplateClient;
  store: KeyValueStore;
  reply: Reply;
  /**
   * FDK's `$schedule`: server methods may "create and manage schedules" (Freshworks' server-method
   * reference); a view uses it to re-create the background refresh when it has stopped.
   */
  schedule?: ScheduleClient;
}

/** What an event handler gets: FDK's `$schedule` always, for the background refresh of the Account Admins. */
export interface EventPlatform extends Platform {
  schedule: ScheduleClient;
}

/** What every server method receives from FDK: the browser's payload plus `iparams`. */
export interface ServerArgs {
  iparams?: Record<string, unknown>;
  [key: string]: unknown;
}
