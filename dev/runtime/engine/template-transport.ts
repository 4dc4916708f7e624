import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { EngineTimers } from './limits';

export interface OutgoingTemplateRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What one attempt produced: an HTTP answer, or why there was none. */
export type AttemptResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'timeout' }
  | { kind: 'network'; reason: string }
  | { kind: 'too-large' };

export interface TransportSettings {
  timeoutMs: number;
  maxResponseBytes: number;
  timers: EngineTimers;
}

/** Headers as FDK hands them to apps: lower-case names, one string per header. */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      flat[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return flat;
}

/** Methods a client may send again when it cannot know whether the server saw them (RFC 9110, 9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * A kept-alive connection the server closed just as it was reused: the request never reached the
 * server's handler, and HTTP clients send an idempotent request again on a new connection
 * (RFC 9112, 9.3.1). Node's docs prescribe this check (`request.reusedSocket`). It is this transport's
 * own connection reuse, not a failure FDK would report, so it is not an attempt of the template.
 */
function isStaleConnection(request: ClientRequest, error: NodeJS.ErrnoException, method: string): boolean {
  return request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Sends template requests over Node's http/https with keep-alive agents closed by `close()`. */
export class TemplateTransport {
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(private readonly settings: TransportSettings) {}

  send(outgoing: OutgoingTemplateRequest): Promise<AttemptResult> {
    return new Promise((resolve) => {
      const { timers } = this.settings;
      let finished = false;
      let timer: unknown;
      const finish = (result: AttemptResult): void => {
        if (!finished) {
          finished = true;
          timers.clearTimeout(timer);
          resolve(result);
        }
      };
      const sendOnce = (): ClientRequest => {
        const request = this.open(outgoing, (response) => this.collect(response, finish));
        request.on('error', (error: NodeJS.ErrnoException) => {
          if (!finished && isStaleConnection(request, error, outgoing.method)) {
            current = sendOnce();
          } else {
            finish({ kind: 'network', reason: error.code ?? error.message });
          }
        });
        request.end(outgoing.body);
        return request;
      };
      let current = sendOnce();
      timer = timers.setTimeout(() => {
        finish({ kind: 'timeout' });
        current.destroy();
      }, this.settings.timeoutMs);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private open(outgoing: OutgoingTemplateRequest, onResponse: (response: IncomingMessage) => void) {
    const headers: Record<string, string> = { ...outgoing.headers };
    if (outgoing.body !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(outgoing.body));
    }
    const secure = outgoing.url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    return send(outgoing.url, { method: outgoing.method, headers, agent: secure ? this.httpsAgent : this.httpAgent }, onResponse);
  }

  private collect(response: IncomingMessage, finish: (result: AttemptResult) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.settings.maxResponseBytes) {
        finish({ kind: 'too-large' });
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.on('error', (error: Error) => finish({ kind: 'network', reason: error.message }));
    response.on('end', () =>
      finish({
        kind: 'response',
        status: response.statusCode ?? 0,
        headers: flattenHeaders(response.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      }),
    );
  }
}
