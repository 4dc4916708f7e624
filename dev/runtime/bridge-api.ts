/**
 * The shell origin's /_shell/api routes: what the shell page asks the server on behalf of an
 * app iframe (server methods, request templates, non-secure iparams, $db). Every answer is
 * `{ ok, body }` with body in FDK's shapes; secure iparams never leave the engine.
 */
import { z } from 'zod';
import type { KeyValueStore } from '../../server/src/platform';
import type { AppEngine } from './engine/index';

/** The part of the engine the bridge calls. */
export type BridgeEngine = Pick<AppEngine, 'invokeServerMethod' | 'invokeTemplate' | 'invokeInstallationTemplate' | 'nonSecureIparams' | 'secureIparamNames'>;

export interface BridgeAnswer {
  ok: boolean;
  body: unknown;
}

const InvokeSchema = z.object({ name: z.string().min(1), payload: z.record(z.string(), z.unknown()) });
const TemplateSchema = z.object({
  name: z.string().min(1),
  options: z.object({ context: z.record(z.string(), z.unknown()).optional(), body: z.string().optional() }),
});

const JsonObjectSchema = z.record(z.string(), z.unknown());
const DbSchema = z.discriminatedUnion('operation', [
  z.object({ operation: z.literal('set'), args: z.tuple([z.string(), JsonObjectSchema], z.unknown()) }),
  z.object({ operation: z.literal('get'), args: z.tuple([z.string()], z.unknown()) }),
  z.object({ operation: z.literal('update'), args: z.tuple([z.string(), z.enum(['set', 'append', 'increment', 'remove']), z.unknown()]) }),
  z.object({ operation: z.literal('delete'), args: z.tuple([z.string()], z.unknown()) }),
]);
const StoreSetOptionsSchema = z.object({ ttl: z.number().optional(), setIf: z.enum(['exist', 'not_exist']).optional() }).optional();

function invalid(error: z.ZodError): BridgeAnswer {
  return { ok: false, body: { status: 400, message: `Invalid arguments: ${error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}` } };
}

/** FDK's documented rejection of a server method, and nothing more (no `code`, no extras). */
function serverMethodFailure(body: unknown): unknown {
  const parsed = z.looseObject({ requestID: z.string().optional(), status: z.number().optional(), message: z.string().optional() }).safeParse(body);
  if (!parsed.success) {
    return { status: 500, message: 'The server method failed' };
  }
  const { requestID, status, message } = parsed.data;
  return { requestID, status: status ?? 500, message: message ?? 'The server method failed' };
}

async function invoke(engine: BridgeEngine, input: unknown): Promise<BridgeAnswer> {
  const parsed = InvokeSchema.safeParse(input);
  if (!parsed.success) {
    return invalid(parsed.error);
  }
  const result = await engine.invokeServerMethod(parsed.data.name, parsed.data.payload);
  return result.ok ? { ok: true, body: result.body } : { ok: false, body: serverMethodFailure(result.body) };
}

type TemplateSender = (name: string, options: z.infer<typeof TemplateSchema>['options']) => ReturnType<AppEngine['invokeTemplate']>;

async function template(send: TemplateSender, input: unknown): Promise<BridgeAnswer> {
  const parsed = TemplateSchema.safeParse(input);
  if (!parsed.success) {
    return invalid(parsed.error);
  }
  const result = await send(parsed.data.name, parsed.data.options);
  return { ok: result.ok, body: result.body };
}

function storeFailure(error: unknown): BridgeAnswer {
  const parsed = z.object({ status: z.number(), message: z.string() }).safeParse(error);
  return { ok: false, body: parsed.success ? parsed.data : { status: 500, message: 'The key-value store failed' } };
}

function runStoreOperation(store: KeyValueStore, request: z.infer<typeof DbSchema>): Promise<unknown> {
  switch (request.operation) {
    case 'set': {
      const options = StoreSetOptionsSchema.parse(request.args[2] ?? undefined);
      return store.set(request.args[0], request.args[1], options ?? {});
    }
    case 'get':
      return store.get(request.args[0]);
    case 'update':
      return store.update(request.args[0], request.args[1], request.args[2] as Record<string, unknown>);
    case 'delete':
      return store.delete(request.args[0]);
  }
}

async function database(store: KeyValueStore, input: unknown): Promise<BridgeAnswer> {
  const parsed = DbSchema.safeParse(input);
  if (!parsed.success) {
    return invalid(parsed.error);
  }
  try {
    return { ok: true, body: await runStoreOperation(store, parsed.data) };
  } catch (error) {
    return error instanceof z.ZodError ? invalid(error) : storeFailure(error);
  }
}

function iparams(engine: BridgeEngine): Promise<BridgeAnswer> {
  return Promise.resolve({ ok: true, body: { values: engine.nonSecureIparams(), secure: engine.secureIparamNames() } });
}

export function createBridge(engine: BridgeEngine, store: KeyValueStore): (route: string, input: unknown) => Promise<BridgeAnswer> | null {
  const routes: Record<string, (input: unknown) => Promise<BridgeAnswer>> = {
    invoke: (input) => invoke(engine, input),
    // App pages reach `template` only through the shell's postMessage bridge; `install-template`
    // is posted by the /custom_configs page itself, which FDK lets use context in host and headers.
    template: (input) => template((name, options) => engine.invokeTemplate(name, options), input),
    'install-template': (input) => template((name, options) => engine.invokeInstallationTemplate(name, options), input),
    db: (input) => database(store, input),
    iparams: () => iparams(engine),
  };
  return (route, input) => routes[route]?.(input) ?? null;
}
