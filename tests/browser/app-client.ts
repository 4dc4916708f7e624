/**
 * The adversary's position: an agent with the browser's console open on an app page, calling the
 * page's own FDK `client` (what `app.initialized()` resolves) with any arguments they like. Every
 * call settles as the page's code would see it: FDK's value, or FDK's plain rejection object
 * (`{ status, message }` for a server method, `{ status, response | message, errorSource }` for a
 * template, `{ status, message }` for `client.db`).
 */
import { strict as assert } from 'node:assert';
import type { Frame, Page } from 'playwright-core';
import { appFrame } from './harness';

/** What FDK rejects with: a plain object, never an Error. */
export interface FdkRejection {
  status?: number;
  message?: string;
  response?: string;
  errorSource?: string;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: FdkRejection };

/** `client.request.invoke` resolves `{ requestID, response }`. */
export interface ServerMethodAnswer<T> {
  requestID: string;
  response: T;
}

/** `client.request.invokeTemplate` resolves `{ status, headers, response }` (the raw body). */
export interface TemplateAnswer {
  status: number;
  response: string;
}

/** The client's call paths this file uses: `request.invoke`, `db.get`, ... */
type ClientPath = `request.${'invoke' | 'invokeTemplate'}` | `db.${'get' | 'set' | 'update' | 'delete'}`;

export class AppClient {
  private constructor(private readonly frame: Frame) {}

  /** The client of the app frame in the shell's iframe `iframeId` on `page`. */
  static async of(page: Page, iframeId = 'app-contact_sidebar'): Promise<AppClient> {
    return new AppClient(await appFrame(page, iframeId));
  }

  invoke<T>(method: string, payload: unknown): Promise<Settled<ServerMethodAnswer<T>>> {
    return this.call('request.invoke', [method, payload]);
  }

  /** A server method's answer; fails the test with FDK's rejection when there is none. */
  async answer<T>(method: string, payload: unknown): Promise<T> {
    const settled = await this.invoke<T>(method, payload);
    assert.ok(settled.ok, `${method} was refused: ${JSON.stringify(settled.ok ? null : settled.error)}`);
    return settled.value.response;
  }

  /** A server method's refusal; fails the test when it answered. */
  async refusal(method: string, payload: unknown): Promise<FdkRejection> {
    const settled = await this.invoke(method, payload);
    assert.ok(!settled.ok, `${method} answered ${JSON.stringify(settled.ok ? settled.value : null)}`);
    return settled.error;
  }

  invokeTemplate(name: string, options: unknown): Promise<Settled<TemplateAnswer>> {
    return this.call('request.invokeTemplate', [name, options]);
  }

  db(operation: 'get' | 'set' | 'update' | 'delete', ...args: unknown[]): Promise<Settled<unknown>> {
    return this.call(`db.${operation}`, args);
  }

  /** Runs in the app frame: what typing `(await app.initialized()).<path>(...args)` in its console does. */
  private call<T>(path: ClientPath, args: unknown[]): Promise<Settled<T>> {
    return this.frame.evaluate(
      async ({ path: called, args: given }) => {
        type Client = Record<string, Record<string, (...values: unknown[]) => Promise<unknown>>>;
        const { app } = globalThis as unknown as { app: { initialized(): Promise<Client> } };
        const [group = '', name = ''] = called.split('.');
        try {
          const client = await app.initialized();
          return { ok: true as const, value: (await client[group]?.[name]?.(...given)) as T };
        } catch (error) {
          return { ok: false as const, error: (error instanceof Error ? { message: error.message } : error) as FdkRejection };
        }
      },
      { path, args },
    );
  }
}
