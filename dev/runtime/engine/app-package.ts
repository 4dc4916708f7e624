import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { freshserviceIparamsOf } from './freshservice-iparams';
import { FDK_LIMITS } from './limits';

/** A problem with the app folder that stops the runtime from starting; the message says how to fix it. */
export class EngineSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineSetupError';
  }
}

/** `modules.<module>.events.<eventName>.handler`: the exported function FDK calls for that event, in any module. */
const eventsSchema = z.record(z.string(), z.looseObject({ handler: z.string().min(1) })).optional();

const manifestSchema = z.looseObject({
  'platform-version': z.literal('3.0'),
  modules: z
    .looseObject({
      common: z
        .looseObject({
          requests: z.record(z.string(), z.looseObject({})).optional(),
          functions: z.record(z.string(), z.looseObject({ timeout: z.number().optional() })).optional(),
          events: eventsSchema,
        })
        .optional(),
    })
    .catchall(z.looseObject({ events: eventsSchema })),
  dependencies: z.record(z.string(), z.string()).optional(),
});

const templateMethodSchema = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** One entry of config/requests.json. Strict: FDK rejects unknown keys such as `body` in a schema. */
const requestTemplateSchema = z.strictObject({
  schema: z.strictObject({
    method: templateMethodSchema,
    protocol: z.enum(['https', 'http']).default('https'),
    host: z.string().min(1),
    // Freshworks' request-method docs: "Default value is `/` if no path is specified."
    path: z.string().startsWith('/', { message: 'path must start with /' }).default('/'),
    headers: z.record(z.string(), z.string()).optional(),
    query: z.record(z.string(), z.string()).optional(),
  }),
  options: z
    .strictObject({
      maxAttempts: z.int().min(1).max(FDK_LIMITS.templateMaxAttempts).optional(),
      retryDelay: z.int().min(0).max(FDK_LIMITS.templateMaxRetryDelayMs).optional(),
    })
    .optional(),
});

const requestsFileSchema = z
  .record(z.string(), requestTemplateSchema)
  .refine((templates) => Object.keys(templates).length <= FDK_LIMITS.templatesPerApp, {
    message: `an app may define at most ${FDK_LIMITS.templatesPerApp} request templates`,
  });

const iparamSchema = z.looseObject({
  display_name: z.string(),
  type: z.string(),
  secure: z.boolean().optional(),
  required: z.boolean().optional(),
});

const iparamsFileSchema = z.record(z.string(), iparamSchema);

export type RequestTemplate = z.infer<typeof requestTemplateSchema>;
export type IparamDefinition = z.infer<typeof iparamSchema>;

/** What the engine reads from the app folder, once, at start. */
export interface AppPackage {
  appRoot: string;
  serverFile: string;
  /** Server methods declared in manifest.json modules.common.functions, with their `timeout` in seconds if set. */
  declaredFunctions: ReadonlyMap<string, number | undefined>;
  /** Events declared under manifest.json modules.<module>.events, each with its handler (an exported function). */
  declaredEvents: ReadonlyMap<string, string>;
  /** The product modules (every module but common): currentHost.subscribed_modules. */
  productModules: readonly string[];
  /** Templates declared in manifest.json modules.common.requests. */
  declaredTemplates: ReadonlySet<string>;
  /** npm packages server code may require (manifest.json dependencies). */
  dependencies: ReadonlySet<string>;
  templates: Readonly<Record<string, RequestTemplate>>;
  iparams: Readonly<Record<string, IparamDefinition>>;
}

function readJson(file: string, fix: string): unknown {
  if (!existsSync(file)) {
    throw new EngineSetupError(`${file} is missing. ${fix}`);
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new EngineSetupError(`${file} is not valid JSON (${(error as Error).message}). ${fix}`);
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new EngineSetupError(`${file} does not have the shape FDK expects:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

function readOptionalConfig<T>(schema: z.ZodType<T>, file: string, fallback: T): T {
  if (!existsSync(file)) {
    return fallback;
  }
  return parseWith(schema, readJson(file, 'Fix the file and restart.'), file);
}

/** The product modules of manifest.json's `modules` (every module but common): currentHost.subscribed_modules. */
export function productModulesOf(modules: Record<string, unknown>): string[] {
  return Object.keys(modules).filter((name) => name !== 'common');
}

/** Reads and validates manifest.json, config/requests.json and config/iparams.json. */
export function loadAppPackage(appRoot: string): AppPackage {
  const manifestFile = join(appRoot, 'manifest.json');
  const manifest = parseWith(manifestSchema, readJson(manifestFile, 'Run the runtime from the app folder.'), manifestFile);
  const common = manifest.modules.common ?? {};
  const modules = Object.entries(manifest.modules) as [string, { events?: z.infer<typeof eventsSchema> }][];
  return {
    appRoot,
    serverFile: join(appRoot, 'server', 'server.js'),
    declaredFunctions: new Map(Object.entries(common.functions ?? {}).map(([name, fn]) => [name, fn.timeout])),
    declaredEvents: new Map(modules.flatMap(([, module]) => Object.entries(module.events ?? {}).map(([event, { handler }]) => [event, handler] as const))),
    productModules: productModulesOf(manifest.modules),
    declaredTemplates: new Set(Object.keys(common.requests ?? {})),
    dependencies: new Set(Object.keys(manifest.dependencies ?? {})),
    templates: readOptionalConfig(requestsFileSchema, join(appRoot, 'config', 'requests.json'), {}),
    iparams: readOptionalConfig(iparamsFileSchema, join(appRoot, 'config', 'iparams.json'), {}),
  };
}

export function secureIparamNames(app: AppPackage): string[] {
  return Object.entries(app.iparams)
    .filter(([, definition]) => definition.secure === true)
    .map(([name]) => name);
}

/**
 * Iparams that hold a Freshservice subdomain (the `<%= iparam.x %>.freshservice.com` of a
 * template host; Platform 3.0 has no `domain` type): requests to it the runtime may reroute.
 */
function domainIparamNames(app: AppPackage): string[] {
  return freshserviceIparamsOf(app.templates).domain.filter((name) => Object.hasOwn(app.iparams, name));
}

/** The account subdomains an installation's iparams hold (those of domainIparamNames that are strings); the first is the account's. */
export function accountDomainsOf(app: AppPackage): (iparams: Record<string, unknown>) => string[] {
  const names = domainIparamNames(app);
  return (iparams) => names.map((name) => iparams[name]).filter((value): value is string => typeof value === 'string');
}
