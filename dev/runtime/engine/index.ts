/**
 * The engine of the local FDK runtime: runs the app's server methods and event handlers in a vm
 * sandbox with FDK's globals and limits (`$schedule` included), and sends its request templates
 * with FDK's substitution rules, pace and retries. The HTTP host (dev/runtime) calls it for
 * client.request.invoke / invokeTemplate and delivers set-up and product events through it.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';
import type { KeyValueStore } from '../../../server/src/platform';
import type { AppPackage } from './app-package';
import { accountDomainsOf, EngineSetupError, loadAppPackage, secureIparamNames } from './app-package';
import { deliverEvent, type EventOutcome } from './events';
import type { EngineLimits, EngineTimers } from './limits';
import { FDK_LIMITS, PerMinuteLimit, realTimers } from './limits';
import { ServerSandbox } from './sandbox';
import type { ScheduleReadings } from '../schedule-book';
import { LocalScheduler, type SchedulePersistence } from '../scheduler';
import { ReplyRouter, ServerMethodRunner } from './server-methods';
import type { ContextInPath, TemplateCaller } from './template-render';
import type { NonSuccessAnswers, TemplateOutcome } from './template-executor';
import { TemplateExecutor } from './template-executor';
import { TemplateTransport } from './template-transport';

export { EngineSetupError } from './app-package';
export { FDK_LIMITS } from './limits';
export type { EngineLimits, EngineTimers } from './limits';
export type { NonSuccessAnswers } from './template-executor';
export type { ScheduleReadings } from '../schedule-book';
export type { SchedulePersistence } from '../scheduler';
export type { EventOutcome } from './events';

export interface EngineOptions {
  /** Folder with manifest.json, config/, server/server.js (built server/lib). */
  appRoot: string;
  /** Installation values, secure ones included (they never leave the engine). */
  iparams: Record<string, unknown>;
  /** The app's $db. */
  store: KeyValueStore;
  /** Template requests whose host is `<subdomain iparam>.freshservice.com` go here instead (http allowed only for this). */
  freshserviceUrl?: string;
  now?: () => number;
  /** One line per server-method or template call: kind, name, status, milliseconds; never a secret. */
  log?: (line: string) => void;
  /** Shorter timeouts for tests; FDK's 20 s (server methods, events) / 15 s (templates) by default. */
  limits?: Partial<EngineLimits>;
  /** Timer functions (a fake clock in tests); real timers by default. */
  timers?: EngineTimers;
  /** Whether a non-2xx API answer rejects (default, as Freshworks' samples assume) or resolves: FDK's docs are silent. */
  nonSuccessAnswers?: NonSuccessAnswers;
  /** Whether a context value in a template's path goes in as it is (default) or must stay one segment: FDK's docs are silent (template-render.ts). */
  contextInPath?: ContextInPath;
  /** What `$schedule` does where Freshworks is silent (schedule-book.ts); the strictest reading by default. */
  scheduleReadings?: ScheduleReadings;
  /** Keeps the installation's schedules across starts, as the platform keeps them across updates; in memory only without it. */
  schedules?: SchedulePersistence;
}

export interface TemplateInvocationOptions {
  context?: Record<string, unknown>;
  body?: string;
}

/** ok: `{ requestID, response }` / `{ status, headers, response }`; failure: FDK's rejection shapes. */
export interface EngineResult {
  ok: boolean;
  body: unknown;
}

export interface AppEngine {
  /** client.request.invoke */
  invokeServerMethod(name: string, payload: Record<string, unknown>): Promise<EngineResult>;
  /** client.request.invokeTemplate from an app page, with the front end's substitution rules. */
  invokeTemplate(name: string, options: TemplateInvocationOptions): Promise<EngineResult>;
  /** client.request.invokeTemplate from the installation page: context may also fill host and headers. */
  invokeInstallationTemplate(name: string, options: TemplateInvocationOptions): Promise<EngineResult>;
  /**
   * Delivers an event to the handler manifest.json declares for it, with FDK's envelope around
   * `payload` (usually `{ data }`), and waits for its renderData (20 s at most).
   */
  invokeEvent(name: string, payload: Record<string, unknown>): Promise<EventOutcome>;
  /** `$schedule`'s schedules still to fire (names and times, never their data). */
  pendingSchedules(): ReturnType<LocalScheduler['waiting']>;
  setIparams(iparams: Record<string, unknown>): void;
  /** What client.iparams.get() may return. */
  nonSecureIparams(): Record<string, unknown>;
  /** Asking client.iparams.get for one of these fails like FDK. */
  secureIparamNames(): string[];
  close(): Promise<void>;
}

/** The installation's current iparams, shared by everything that renders or passes them on. */
interface IparamsHolder {
  current: Record<string, unknown>;
}

type SendTemplate = (name: string, invocation: unknown, caller: TemplateCaller) => Promise<TemplateOutcome>;

interface EngineParts {
  app: AppPackage;
  iparams: IparamsHolder;
  sendTemplate: SendTemplate;
  methods: ServerMethodRunner;
  scheduler: LocalScheduler;
  deliver(name: string, payload: Record<string, unknown>): Promise<EventOutcome>;
  transport: TemplateTransport;
  log: (line: string) => void;
  now: () => number;
}

function statusOf(outcome: { ok: boolean; body: unknown }): number {
  if (outcome.ok) {
    const status = (outcome.body as { status?: unknown }).status;
    return typeof status === 'number' ? status : 200;
  }
  return (outcome.body as { status: number }).status;
}

/** The sandbox's console: app output goes to the runtime log, marked as the app's own. */
function sandboxConsole(log: (line: string) => void) {
  const write = (level: string) => (...values: unknown[]) => log(`[server ${level}] ${format(...values)}`);
  return { log: write('log'), info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug') };
}

function stopwatch(now: () => number) {
  const started = now();
  return () => now() - started;
}

class LocalAppEngine implements AppEngine {
  constructor(private readonly parts: EngineParts) {}

  async invokeServerMethod(name: string, payload: Record<string, unknown>): Promise<EngineResult> {
    const elapsed = stopwatch(this.parts.now);
    const outcome = await this.parts.methods.invoke(name, payload, this.parts.iparams.current);
    this.parts.log(`server-method ${name} ${statusOf(outcome)} ${elapsed()}ms`);
    return outcome;
  }

  invokeTemplate(name: string, options: TemplateInvocationOptions): Promise<EngineResult> {
    return this.parts.sendTemplate(name, options, 'frontend');
  }

  invokeEvent(name: string, payload: Record<string, unknown>): Promise<EventOutcome> {
    return this.parts.deliver(name, payload);
  }

  pendingSchedules(): ReturnType<LocalScheduler['waiting']> {
    return this.parts.scheduler.waiting();
  }

  invokeInstallationTemplate(name: string, options: TemplateInvocationOptions): Promise<EngineResult> {
    return this.parts.sendTemplate(name, options, 'installation');
  }

  setIparams(iparams: Record<string, unknown>): void {
    this.parts.iparams.current = { ...iparams };
  }

  nonSecureIparams(): Record<string, unknown> {
    const visible: Record<string, unknown> = {};
    const values = this.parts.iparams.current;
    for (const [name, definition] of Object.entries(this.parts.app.iparams)) {
      if (definition.secure !== true && Object.hasOwn(values, name)) {
        visible[name] = values[name];
      }
    }
    return visible;
  }

  secureIparamNames(): string[] {
    return secureIparamNames(this.parts.app);
  }

  close(): Promise<void> {
    this.parts.scheduler.close();
    this.parts.methods.close();
    this.parts.transport.close();
    return Promise.resolve();
  }
}

/** Sends a template and logs one line for it: name, status, milliseconds, attempts. */
function loggedTemplateSender(templates: TemplateExecutor, log: (line: string) => void, now: () => number): SendTemplate {
  return async (name, invocation, caller) => {
    const elapsed = stopwatch(now);
    const outcome = await templates.invoke(name, invocation, caller);
    const attempts = outcome.ok ? '' : ` (${outcome.body.attempts} attempts)`;
    log(`template ${name} ${statusOf(outcome)} ${elapsed()}ms${attempts}`);
    return outcome;
  };
}

/** `$request` inside the sandbox: server rules, results copied into the sandbox's realm. */
function sandboxRequest(sendTemplate: SendTemplate, sandbox: () => ServerSandbox) {
  return {
    invokeTemplate: async (name: unknown, invocation: unknown): Promise<unknown> => {
      const outcome = await sendTemplate(String(name), invocation, 'server');
      const body = sandbox().toSandbox(outcome.body);
      if (!outcome.ok) {
        throw body;
      }
      return body;
    },
  };
}

/**
 * Runs a host call for the sandbox and copies its answer, or its failure, into the sandbox's
 * realm. Errors become plain objects, as they would after crossing FDK's network boundary.
 */
function acrossToSandbox(sandbox: () => ServerSandbox) {
  return async (work: () => Promise<unknown>): Promise<unknown> => {
    try {
      // A synchronous throw (say, options that are not JSON) must not reach the sandbox as a host Error either.
      return sandbox().toSandbox(await work());
    } catch (error) {
      const plain = error instanceof Error ? { ...error, message: error.message } : error;
      throw sandbox().toSandbox(plain);
    }
  };
}

/** `$db` inside the sandbox: the installation's store, values copied into the sandbox's realm. */
function sandboxStore(store: KeyValueStore, sandbox: () => ServerSandbox) {
  const copy = acrossToSandbox(sandbox);
  return {
    set: (key: string, value: Record<string, unknown>, options?: Parameters<KeyValueStore['set']>[2]) => copy(() => store.set(key, value, options)),
    get: (key: string) => copy(() => store.get(key)),
    update: (key: string, action: Parameters<KeyValueStore['update']>[1], attributes: Record<string, unknown>) =>
      copy(() => store.update(key, action, attributes)),
    delete: (key: string) => copy(() => store.delete(key)),
  };
}

/** `$schedule` inside the sandbox: the engine's scheduler; what it takes is read as JSON, what it answers is copied into the sandbox's realm. */
function sandboxSchedule(scheduler: LocalScheduler, sandbox: () => ServerSandbox) {
  const copy = acrossToSandbox(sandbox);
  const plain = (options: unknown): unknown => {
    try {
      return JSON.parse(JSON.stringify(options) ?? 'null') as unknown;
    } catch {
      return null; // not JSON (a cycle): refused by the scheduler's schema like any other bad argument
    }
  };
  return {
    create: (options: unknown) => copy(() => scheduler.create(plain(options))),
    update: (options: unknown) => copy(() => scheduler.update(plain(options))),
    fetch: (options: unknown) => copy(() => scheduler.fetch(plain(options))),
    delete: (options: unknown) => copy(() => scheduler.delete(plain(options))),
  };
}

/** Delivers an event and logs one line for it: name, status, milliseconds; never its payload. */
function loggedEventDelivery(deliver: (name: string, payload: Record<string, unknown>) => Promise<EventOutcome>, log: (line: string) => void, now: () => number) {
  return async (name: string, payload: Record<string, unknown>): Promise<EventOutcome> => {
    const elapsed = stopwatch(now);
    const outcome = await deliver(name, payload);
    const note = outcome.delivered ? '' : ' (not delivered)';
    log(`event ${name} ${outcome.status} ${elapsed()}ms${note}`);
    return outcome;
  };
}

function loadServerMethods(app: AppPackage, sandbox: ServerSandbox): Record<string, unknown> {
  if (!existsSync(app.serverFile)) {
    if (app.declaredFunctions.size > 0) {
      throw new EngineSetupError(`${app.serverFile} is missing but manifest.json declares server methods.`);
    }
    return {};
  }
  try {
    return sandbox.runServerFile(app.serverFile);
  } catch (error) {
    if (error instanceof EngineSetupError) {
      throw error;
    }
    throw new EngineSetupError(
      `server/server.js could not be loaded in the FDK sandbox: ${(error as Error).message}. ` +
        'If a file under server/lib is missing, compile the server first: npx tsc -p tsconfig.server.json',
    );
  }
}

export function createAppEngine(options: EngineOptions): Promise<AppEngine> {
  try {
    return Promise.resolve(buildEngine(options));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function buildEngine(options: EngineOptions): AppEngine {
  const now = options.now ?? (() => Date.now());
  const log = options.log ?? ((): void => undefined);
  const timers = options.timers ?? realTimers;
  const app = loadAppPackage(options.appRoot);
  const iparams: IparamsHolder = { current: { ...options.iparams } };
  const transport = new TemplateTransport({
    timeoutMs: options.limits?.templateTimeoutMs ?? FDK_LIMITS.templateTimeoutMs,
    maxResponseBytes: FDK_LIMITS.templateResponseBytes,
    timers,
  });
  const templates = new TemplateExecutor({
    app,
    iparams: () => iparams.current,
    freshserviceUrl: options.freshserviceUrl,
    transport,
    pace: new PerMinuteLimit(FDK_LIMITS.templateRequestsPerMinute, now),
    timers,
    nonSuccess: options.nonSuccessAnswers ?? 'reject',
    contextInPath: options.contextInPath ?? 'raw',
  });
  const sendTemplate = loggedTemplateSender(templates, log, now);
  const replies = new ReplyRouter(log);
  // The scheduler fires through `deliver`, defined once the sandbox and its methods exist.
  let deliver: (name: string, payload: Record<string, unknown>) => Promise<EventOutcome> = () => Promise.reject(new Error('the engine is still starting'));
  const scheduler = new LocalScheduler({
    now,
    timers,
    log,
    fire: (_name, data) => deliver('onScheduledEvent', { data }),
    readings: options.scheduleReadings,
    persist: options.schedules,
  });
  const sandbox: ServerSandbox = new ServerSandbox(dirname(app.serverFile), app.dependencies, {
    $request: sandboxRequest(sendTemplate, () => sandbox),
    $db: sandboxStore(options.store, () => sandbox),
    $schedule: sandboxSchedule(scheduler, () => sandbox),
    renderData: replies.renderData,
    console: sandboxConsole(log),
  });
  const methods = new ServerMethodRunner({
    replies,
    methods: loadServerMethods(app, sandbox),
    declaredFunctions: app.declaredFunctions,
    toSandbox: (value) => sandbox.toSandbox(value),
    callInSandbox: (method, args, timeoutMs) => sandbox.callGuarded(method, args, timeoutMs),
    pace: new PerMinuteLimit(FDK_LIMITS.serverMethodCallsPerMinute, now),
    timers,
    timeoutMs: options.limits?.serverMethodTimeoutMs ?? FDK_LIMITS.serverMethodTimeoutMs,
    warn: log,
  });
  const accountDomains = accountDomainsOf(app);
  const eventDeps = {
    app,
    runner: methods,
    iparams: () => iparams.current,
    domain: () => accountDomains(iparams.current)[0],
    now,
    timeoutMs: options.limits?.eventTimeoutMs ?? FDK_LIMITS.eventTimeoutMs,
  };
  deliver = loggedEventDelivery((name, payload) => deliverEvent(eventDeps, name, payload), log, now);
  return new LocalAppEngine({ app, iparams, sendTemplate, methods, scheduler, deliver, transport, log, now });
}
