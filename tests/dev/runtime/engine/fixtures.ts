import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, found from build/tests/dev/runtime/engine. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

export interface FixtureApp {
  root: string;
  remove(): void;
}

export interface FixtureAppFiles {
  /** The literal server/server.js source. */
  server?: string;
  /** Extra files under server/, by relative path. */
  serverFiles?: Record<string, string>;
  /** Extra files anywhere in the app folder, by relative path. */
  otherFiles?: Record<string, string>;
  functions?: string[];
  requests?: Record<string, unknown>;
  /** Defaults to all keys of `requests`. */
  declaredRequests?: string[];
  dependencies?: Record<string, string>;
  iparams?: Record<string, unknown>;
  /** manifest.json events by module: `{ common: { onAppInstall: 'installHandler' } }`. */
  events?: Record<string, Record<string, string>>;
}

export const FIXTURE_IPARAMS = {
  // Platform 3.0: both are "text"; the engine learns the subdomain iparam from the template hosts.
  freshservice_domain: { display_name: 'Domain', type: 'text', required: true },
  api_key: { display_name: 'API key', type: 'text', secure: true },
  team_name: { display_name: 'Team', type: 'text' },
};

function manifest(files: FixtureAppFiles): Record<string, unknown> {
  const requests = Object.fromEntries((files.declaredRequests ?? Object.keys(files.requests ?? {})).map((name) => [name, {}]));
  const functions = Object.fromEntries((files.functions ?? []).map((name) => [name, { timeout: 20 }]));
  const eventsOf = (module: string) => {
    const declared = files.events?.[module];
    return declared === undefined ? {} : { events: Object.fromEntries(Object.entries(declared).map(([event, handler]) => [event, { handler }])) };
  };
  return {
    'platform-version': '3.0',
    modules: { common: { requests, functions, ...eventsOf('common') }, service_user: { location: {}, ...eventsOf('service_user') } },
    engines: { node: '24.11.0', fdk: '10.0.1' },
    dependencies: files.dependencies ?? {},
  };
}

function write(root: string, relativePath: string, text: string): void {
  const file = join(root, relativePath);
  mkdirSync(resolve(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A small FDK app in a temp folder; zod is linked from the repository so `require('zod')` resolves. */
export function createFixtureApp(files: FixtureAppFiles): FixtureApp {
  const root = mkdtempSync(join(tmpdir(), 'engine-app-'));
  write(root, 'manifest.json', JSON.stringify(manifest(files)));
  write(root, 'config/requests.json', JSON.stringify(files.requests ?? {}));
  write(root, 'config/iparams.json', JSON.stringify(files.iparams ?? FIXTURE_IPARAMS));
  if (files.server !== undefined) {
    write(root, 'server/server.js', files.server);
  }
  for (const [path, text] of Object.entries({ ...files.serverFiles })) {
    write(root, join('server', path), text);
  }
  for (const [path, text] of Object.entries({ ...files.otherFiles })) {
    write(root, path, text);
  }
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'node_modules', 'zod'), join(root, 'node_modules', 'zod'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; may leave the response open to simulate a hanging API. */
export type ScriptedAnswer = (response: ServerResponse, request: RecordedRequest) => void;

export function answer(status: number, body: string, headers: Record<string, string> = {}): ScriptedAnswer {
  return (response) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(body);
  };
}

/** A stand-in API on 127.0.0.1 that replays scripted answers in order and records what it received. */
export interface StubApi {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<RecordedRequest>;
  stop(): Promise<void>;
}

export async function startStubApi(script: ScriptedAnswer[], fallback: ScriptedAnswer = answer(200, '{}')): Promise<StubApi> {
  const requests: RecordedRequest[] = [];
  let waiting: ((request: RecordedRequest) => void) | undefined;
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const scripted = script[requests.length] ?? fallback;
      requests.push(recorded);
      waiting?.(recorded);
      waiting = undefined;
      scripted(response, recorded);
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    nextRequest: () => new Promise((resolveNext) => (waiting = resolveNext)),
    stop: () =>
      new Promise<void>((resolveStop) => {
        server.closeAllConnections();
        server.close(() => resolveStop());
      }),
  };
}

/** A port nothing listens on: bound, read, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  return port;
}
