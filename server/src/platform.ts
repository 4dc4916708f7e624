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

/** `renderData`: exactly one call per server-method invocation. */
export type Reply = (error: AppErrorBody | null, data?: unknown) => void;

export interface Platform {
  request: TemplateClient;
  store: KeyValueStore;
  reply: Reply;
}

/** What every server method receives from FDK: the browser's payload plus `iparams`. */
export interface ServerArgs {
  iparams?: Record<string, unknown>;
  [key: string]: unknown;
}
