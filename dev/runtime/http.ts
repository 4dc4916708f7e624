/** Small HTTP helpers for the host: answers, bodies, and static files confined to one folder. */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, relative, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * How long a browser may keep an answer: never, for everything the app and the runtime make (the
 * developer edits the app while it runs); an hour, for a package's own files (Crayons and its
 * icons), which change only when the package is reinstalled. Kept, they cost a page that opens
 * again no download and no new compile: the browser tests open a few hundred pages.
 */
export type Keeping = 'never' | 'package';

const CACHE_CONTROL: Record<Keeping, string> = { never: 'no-store', package: 'max-age=3600' };

export function send(response: ServerResponse, status: number, contentType: string, body: string, keeping: Keeping = 'never'): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': CACHE_CONTROL[keeping] });
  response.end(body);
}

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  send(response, status, 'text/html; charset=utf-8', html);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  send(response, status, 'text/plain; charset=utf-8', text);
}

export function redirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): void {
  response.writeHead(303, { Location: location, 'Cache-Control': 'no-store', ...headers });
  response.end();
}

/** The file under `root` that `path` names, or null when it escapes the folder or is not a file. */
export function fileWithin(root: string, path: string): string | null {
  const file = resolve(root, `.${sep}${decodeURIComponent(path)}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || resolve(root, inside) !== file) {
    return null;
  }
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

export function sendFile(response: ServerResponse, file: string, keeping: Keeping = 'never'): void {
  response.writeHead(200, { 'Content-Type': contentTypeOf(file), 'Cache-Control': CACHE_CONTROL[keeping] });
  createReadStream(file).pipe(response);
}

export class BodyTooLargeError extends Error {}

/** Reads a request body as text, refusing more than `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`The request body is larger than ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
