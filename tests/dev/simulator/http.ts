/**
 * A plain HTTP client for the simulator tests: no connection pooling (agent: false), so a
 * stopped simulator leaves nothing open behind the test, and raw bodies so malformed JSON
 * can be asserted as such.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface SimResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): unknown;
}

export interface CallOptions {
  method?: string;
  /** API key sent as Basic base64(key:X); absent sends no Authorization header. */
  key?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Give up after this long without an answer (for slow-response faults). */
  timeoutMs?: number;
}

export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:X`).toString('base64')}`;
}

export function call(url: string, options: CallOptions = {}): Promise<SimResponse> {
  const headers: Record<string, string> = { ...(options.key === undefined ? {} : { Authorization: basicAuth(options.key) }), ...options.headers };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: options.method ?? 'GET', headers, agent: false }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        body += chunk;
      });
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body, json: () => JSON.parse(body) as unknown }));
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    if (options.timeoutMs !== undefined) {
      outgoing.setTimeout(options.timeoutMs, () => outgoing.destroy(new Error('client timeout')));
    }
    outgoing.end(options.body);
  });
}

/** Parses a JSON body and narrows it for assertions. */
export function bodyOf<T>(response: SimResponse): T {
  return response.json() as T;
}
