import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { z } from 'zod';
import { loadAccountFile, SimulatorSetupError } from './account-file';
import { UserEvents, type UserEventListener } from './agent-changes';
import { answerApi, API_PREFIX, type ApiContext } from './api';
import { buildCatalogue } from './catalogue';
import { answerControl, CONTROL_PREFIX, type ControlContext } from './control';
import { demoAccount, demoKeys, type DemoKey } from './demo-account';
import { createFaults } from './faults';
import { generateAccount, MAX_GENERATED_AGENTS } from './generate';
import { describeKeys } from './keys';
import { createRateLimiter } from './rate-limits';
import { roleTypeSpellingSchema, withRoleType, type RoleTypeSpelling } from './role-type';
import { internalError, jsonReply, notFound, type SimReply } from './responses';
import { partialFaultSettingsSchema, planSchema, type FaultSettings, type Plan, type SimAccount } from './schema';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Generate this many agents from `seed`; absent serves the demo account. */
  agents?: number;
  /** Default 1. */
  seed?: number;
  /** Default 'pro'. */
  plan?: Plan;
  /** Serve the account in this JSON file (docs/simulator.md). */
  accountFile?: string;
  /** How roles spell `role_type` (role-type.ts); default: the account file's `roleType`, else 'absent'. */
  roleType?: RoleTypeSpelling;
  faults?: Partial<FaultSettings>;
  /** Clock for rate-limit windows; default Date.now. */
  now?: () => number;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:4010, no trailing slash; the API is under `${url}/api/v2`. */
  url: string;
  port: number;
  account: SimAccount;
  keys: DemoKey[];
  setFaults(faults: Partial<FaultSettings>): void;
  resetRateLimits(): void;
  /**
   * Listens to the user events the control API's agent changes send (onUserUpdate,
   * onUserDelete); a listener may return a promise, which the control answer waits for.
   * Returns the function that stops listening.
   */
  onUserEvent(listener: UserEventListener): () => void;
  /** Closes the server and every socket, and drops delayed replies. */
  stop(): Promise<void>;
}

export const simulatorOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(0),
    host: z.string().min(1).default('127.0.0.1'),
    agents: z.number().int().min(1).max(MAX_GENERATED_AGENTS).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    plan: planSchema.optional(),
    accountFile: z.string().min(1).optional(),
    roleType: roleTypeSpellingSchema.optional(),
    faults: partialFaultSettingsSchema.default({}),
  })
  .refine((options) => options.agents === undefined || options.accountFile === undefined, {
    message: 'choose either a generated account (agents) or an account file, not both',
  });

type ValidOptions = z.infer<typeof simulatorOptionsSchema>;

/** The account as its source has it: a file, a generated account or the demo account. */
function sourceAccount(options: ValidOptions): SimAccount {
  if (options.accountFile !== undefined) {
    return loadAccountFile(options.accountFile);
  }
  if (options.agents !== undefined) {
    return generateAccount({ agents: options.agents, seed: options.seed, plan: options.plan ?? 'pro' });
  }
  return demoAccount();
}

function chooseAccount(options: ValidOptions): { account: SimAccount; keys: DemoKey[] } {
  const source = sourceAccount(options);
  const roleType = options.roleType ?? source.roleType;
  const account = { ...source, plan: options.plan ?? source.plan, roleType, roles: source.roles.map((role) => withRoleType(role, roleType)) };
  const isDemo = options.accountFile === undefined && options.agents === undefined;
  return { account, keys: isDemo ? demoKeys(account) : describeKeys(account) };
}

function validOptions(options: SimulatorOptions): ValidOptions {
  // The schema strips what it does not describe, such as the `now` clock.
  const parsed = simulatorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ');
    throw new SimulatorSetupError(`Invalid simulator options: ${problems}`);
  }
  return parsed.data;
}

const MAX_CONTROL_BODY = 64 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_CONTROL_BODY) {
        reject(new Error('body too large'));
        request.destroy();
      }
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, reply: SimReply): void {
  response.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.body)) });
  response.end(reply.body);
}

/** Cuts the body short mid-way so it no longer parses, keeping the HTTP framing intact. */
function malformed(reply: SimReply): SimReply {
  return { ...reply, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) };
}

interface Handlers {
  api: ApiContext;
  control: ControlContext;
  schedule(run: () => void, delayMs: number): void;
}

function answerApiRequest(handlers: Handlers, request: IncomingMessage, response: ServerResponse, url: URL): void {
  request.resume();
  const { faults } = handlers.api;
  const reply = answerApi(handlers.api, { method: request.method ?? 'GET', url, authorization: request.headers.authorization });
  const shaped = faults.malformed() ? malformed(reply) : reply;
  const delay = faults.delayMs();
  if (delay > 0) {
    handlers.schedule(() => send(response, shaped), delay);
  } else {
    send(response, shaped);
  }
}

async function answerControlRequest(handlers: Handlers, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  let body: string;
  try {
    body = await readBody(request);
  } catch {
    send(response, jsonReply(413, JSON.stringify({ code: 'invalid_simulator_request', message: 'Control bodies are limited to 64 KB.' })));
    return;
  }
  send(response, await answerControl(handlers.control, { method: request.method ?? 'GET', pathname: url.pathname, body }));
}

/** null for a request target no URL parser accepts (a raw client can send anything). */
function requestUrl(request: IncomingMessage, baseUrl: string): URL | null {
  try {
    return new URL(request.url ?? '/', baseUrl);
  } catch {
    return null;
  }
}

function handle(handlers: Handlers, request: IncomingMessage, response: ServerResponse): void {
  const url = requestUrl(request, handlers.api.baseUrl);
  if (url === null) {
    request.resume();
    send(response, jsonReply(400, JSON.stringify({ code: 'invalid_request', message: 'The request target is not a valid URL.' })));
  } else if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
    answerApiRequest(handlers, request, response, url);
  } else if (url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    answerControlRequest(handlers, request, response, url).catch((error: unknown) => failed(request, response, error));
  } else {
    request.resume();
    send(response, notFound());
  }
}

function failed(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  console.error(`simulator: ${request.method ?? ''} ${request.url ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!response.headersSent) {
    send(response, internalError());
  }
}

/** A bug in one answer must not take the whole simulator down with it. */
function handleSafely(handlers: Handlers, request: IncomingMessage, response: ServerResponse): void {
  try {
    handle(handlers, request, response);
  } catch (error) {
    failed(request, response, error);
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const advice = error.code === 'EADDRINUSE' ? ` Port ${port} is already in use: choose another one (--port), or 0 for a free one.` : '';
      reject(new SimulatorSetupError(`The simulator cannot listen on ${host}:${port} (${error.message}).${advice}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Resolves once the listening socket and every connection are closed, not merely asked to. */
function closeEverything(server: Server, sockets: Set<Socket>, timers: Set<NodeJS.Timeout>): Promise<void> {
  timers.forEach((timer) => clearTimeout(timer));
  timers.clear();
  const connectionsClosed = [...sockets].map((socket) => new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.destroy();
  }));
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  return Promise.all([serverClosed, ...connectionsClosed]).then(() => undefined);
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const valid = validOptions(options);
  const { account, keys } = chooseAccount(valid);
  const limiter = createRateLimiter(account.plan, options.now ?? Date.now);
  const faults = createFaults(valid.seed, valid.faults);
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const events = new UserEvents();
  const now = options.now ?? Date.now;
  const api: ApiContext = { catalogue: buildCatalogue(account), limiter, faults, baseUrl: '' };
  const handlers: Handlers = {
    api,
    control: { faults, limiter, keys, agents: { account, events, now, changed: () => (api.catalogue = buildCatalogue(account)) } },
    schedule: (run, delayMs) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, delayMs);
      timers.add(timer);
    },
  };
  const server = createServer((request, response) => handleSafely(handlers, request, response));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const address = await listen(server, valid.port, valid.host);
  const url = `http://${urlHost(valid.host)}:${address.port}`;
  handlers.api.baseUrl = url;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= closeEverything(server, sockets, timers);
    return stopping;
  };
  return {
    url,
    port: address.port,
    account,
    keys,
    setFaults: (changes) => {
      const parsed = partialFaultSettingsSchema.safeParse(changes);
      if (!parsed.success) {
        throw new SimulatorSetupError(`Invalid fault settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      }
      faults.update(parsed.data);
    },
    resetRateLimits: () => limiter.reset(),
    onUserEvent: (listener) => events.on(listener),
    stop,
  };
}
