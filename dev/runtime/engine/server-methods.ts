import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { EngineTimers, PerMinuteLimit } from './limits';
import { FDK_LIMITS, jsonByteLength } from './limits';

/** `client.request.invoke` resolves `{ requestID, response }` and rejects `{ requestID, status, message }`. */
export type ServerMethodOutcome =
  | { ok: true; body: { requestID: string; response: unknown } }
  | { ok: false; body: { requestID: string; status: number; message: string } };

/** One server-method call in flight: `renderData` settles it, so does the timeout. */
interface PendingCall {
  requestID: string;
  settle(outcome: ServerMethodOutcome): void;
}

export interface ServerMethodRunnerDeps {
  replies: ReplyRouter;
  methods: Record<string, unknown>;
  declaredFunctions: ReadonlyMap<string, number | undefined>;
  toSandbox(value: unknown): unknown;
  /** Calls a method inside the sandbox, stopping its synchronous part after `timeoutMs`. */
  callInSandbox(method: (args: unknown) => unknown, args: unknown, timeoutMs: number): unknown;
  pace: PerMinuteLimit;
  timers: EngineTimers;
  timeoutMs: number;
  /** Where problems inside the app's code are reported (never with payloads or iparams). */
  warn(line: string): void;
}

const GENERIC_FAILURE = 'Error while executing the server method';
const TIMEOUT_MESSAGE = 'Timeout error while executing the server method';
/** The stricter of the two defaults Freshworks' SMI docs give for a function without `timeout`. */
const DEFAULT_TIMEOUT_SECONDS = 5;

function failure(requestID: string, status: number, message: string): ServerMethodOutcome {
  return { ok: false, body: { requestID, status, message } };
}

function describe(error: unknown): string {
  const text = error instanceof Error || (typeof error === 'object' && error !== null) ? String((error as Error).message) : String(error);
  return text.slice(0, 200);
}

/** FDK forwards only `status` and `message` of what the app passed to renderData(error). */
function errorOutcome(requestID: string, error: unknown): ServerMethodOutcome {
  if (typeof error === 'string') {
    return failure(requestID, 500, error);
  }
  const { status, message } = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const validStatus = typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
  return failure(requestID, validStatus ? status : 500, typeof message === 'string' ? message : GENERIC_FAILURE);
}

function successOutcome(requestID: string, data: unknown): ServerMethodOutcome {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch {
    return failure(requestID, 500, 'The server method replied with data that cannot be serialised to JSON');
  }
  if (text !== undefined && Buffer.byteLength(text, 'utf8') > FDK_LIMITS.serverMethodResponseBytes) {
    return failure(requestID, 500, 'The server method response exceeds the 100 KB limit');
  }
  return { ok: true, body: { requestID, response: text === undefined ? null : (JSON.parse(text) as unknown) } };
}

/**
 * The server-method call the running code belongs to, for every engine of the process. One for
 * all of them, never one per engine: Node 20 keeps each AsyncLocalStorage that has run in its
 * hook list until it is disabled and writes each onto every promise made after, so a process that
 * started many runtimes (a test worker starts one per test) made every promise slower with each.
 */
const currentCall = new AsyncLocalStorage<PendingCall>();

/**
 * The sandbox's `renderData` global. FDK reuses one container for many calls, so the global is
 * shared: async context tells which call a reply belongs to, even when calls overlap.
 */
export class ReplyRouter {
  constructor(private readonly warn: (line: string) => void) {}

  readonly renderData = (error: unknown, data?: unknown): void => {
    const call = currentCall.getStore();
    if (call === undefined) {
      this.warn('renderData was called outside a server-method call; ignored');
      return;
    }
    const hasError = error !== null && error !== undefined;
    call.settle(hasError ? errorOutcome(call.requestID, error) : successOutcome(call.requestID, data));
  };

  runAs(call: PendingCall, work: () => void): void {
    currentCall.run(call, work);
  }
}

/** Calls the app's server methods the way FDK does, with FDK's limits and reply shapes. */
export class ServerMethodRunner {
  private readonly pending = new Set<PendingCall>();

  constructor(private readonly deps: ServerMethodRunnerDeps) {}

  invoke(name: string, payload: Record<string, unknown>, iparams: Record<string, unknown>): Promise<ServerMethodOutcome> {
    const requestID = randomUUID();
    const method = this.methodNamed(name);
    if (method === undefined) {
      return Promise.resolve(failure(requestID, 404, `The server method "${name}" does not exist`));
    }
    if (jsonByteLength(payload) > FDK_LIMITS.serverMethodPayloadBytes) {
      return Promise.resolve(failure(requestID, 413, 'The payload exceeds the 100 KB limit for server method calls'));
    }
    if (!this.deps.pace.tryTake()) {
      return Promise.resolve(
        failure(requestID, 429, `The app exceeded the limit of ${FDK_LIMITS.serverMethodCallsPerMinute} server method calls per minute`),
      );
    }
    return this.run(requestID, `server method ${name}`, method, this.deps.toSandbox({ ...payload, iparams }), this.timeoutFor(name));
  }

  /**
   * An exported handler that is not a server method (an event's), ready to call with `args`,
   * which it copies into the sandbox's realm: the same renderData routing, timeout and watchdog,
   * none of the SMI's payload and per-minute limits (events have their own). Undefined when
   * server.js exports no such function.
   */
  handlerNamed(name: string): ((label: string, args: unknown, timeoutMs: number) => Promise<ServerMethodOutcome>) | undefined {
    const method = this.exported(name);
    return method === undefined ? undefined : (label, args, timeoutMs) => this.run(randomUUID(), label, method, this.deps.toSandbox(args), timeoutMs);
  }

  /** Ends calls still waiting for renderData, so nothing keeps the process alive after close. */
  close(): void {
    for (const call of [...this.pending]) {
      call.settle(failure(call.requestID, 503, 'The runtime stopped before the server method replied'));
    }
  }

  private methodNamed(name: string): ((args: unknown) => unknown) | undefined {
    return this.deps.declaredFunctions.has(name) ? this.exported(name) : undefined;
  }

  private exported(name: string): ((args: unknown) => unknown) | undefined {
    const method = Object.hasOwn(this.deps.methods, name) ? this.deps.methods[name] : undefined;
    return typeof method === 'function' ? (method as (args: unknown) => unknown) : undefined;
  }

  private run(requestID: string, label: string, method: (args: unknown) => unknown, args: unknown, timeoutMs: number) {
    return new Promise<ServerMethodOutcome>((resolve) => {
      const { timers } = this.deps;
      const call: PendingCall = {
        requestID,
        settle: (outcome) => {
          if (this.pending.delete(call)) {
            timers.clearTimeout(timer);
            resolve(outcome);
          }
        },
      };
      this.pending.add(call);
      const timer = timers.setTimeout(() => call.settle(failure(requestID, 504, TIMEOUT_MESSAGE)), timeoutMs);
      this.deps.replies.runAs(call, () => this.start(call, label, () => this.deps.callInSandbox(method, args, timeoutMs)));
    });
  }

  /**
   * A method's manifest `timeout` (seconds) may shorten FDK's 20 s limit, never extend it (25 and
   * 30 s are granted on request). Without one, Freshworks' SMI docs disagree (20 s, or 5 s): the
   * runtime plays the stricter 5 s (docs/platform-contract.md).
   */
  private timeoutFor(name: string): number {
    const declaredSeconds = this.deps.declaredFunctions.get(name) ?? DEFAULT_TIMEOUT_SECONDS;
    return Math.min(declaredSeconds * 1000, this.deps.timeoutMs);
  }

  /** A throw, or a rejected promise before any reply, fails the call with 500 as FDK does. */
  private start(call: PendingCall, label: string, invoke: () => unknown): void {
    const fail = (error: unknown): void => {
      this.deps.warn(`${label} failed: ${describe(error)}`);
      call.settle(failure(call.requestID, 500, GENERIC_FAILURE));
    };
    try {
      const returned = invoke();
      if (typeof (returned as Promise<unknown> | undefined)?.then === 'function') {
        (returned as Promise<unknown>).then(undefined, fail);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException | undefined)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        call.settle(failure(call.requestID, 504, TIMEOUT_MESSAGE));
        return;
      }
      fail(error);
    }
  }
}
