/**
 * The runtime's configuration boundaries, each validated with zod: the environment
 * (PORT, FRESHSERVICE_*, SIMULATOR_*), the app's config/iparams.json, and the iparam values saved from
 * /custom_configs under .fdk/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { MAX_GENERATED_AGENTS } from '../simulator/generate';
import { planSchema } from '../simulator/schema';
import type { SimulatorOptions } from '../simulator/server';
import { freshserviceIparamsOf, type FreshserviceIparams } from './engine/freshservice-iparams';
import { writeJsonAtomic } from './json-file';
import { RuntimeStartupError } from './startup-error';

const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const EnvironmentSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).optional(),
    FRESHSERVICE_URL: z
      .url({ protocol: /^https?$/ })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    FRESHSERVICE_DOMAIN: z.string().regex(SUBDOMAIN, 'the account subdomain, e.g. acme for acme.freshservice.com').optional(),
    FRESHSERVICE_API_KEY: z.string().min(1).optional(),
    /** The built-in simulator's account, as `npm run simulator -- --agents N --seed N --plan P` takes it. */
    SIMULATOR_AGENTS: z.coerce.number().int().min(1).max(MAX_GENERATED_AGENTS, `at most ${MAX_GENERATED_AGENTS} agents`).optional(),
    SIMULATOR_SEED: z.coerce.number().int().min(0).max(2 ** 32 - 1).optional(),
    SIMULATOR_PLAN: planSchema.optional(),
  })
  .refine(
    (env) => {
      const given = [env.FRESHSERVICE_URL, env.FRESHSERVICE_DOMAIN, env.FRESHSERVICE_API_KEY].filter((value) => value !== undefined);
      return given.length === 0 || given.length === 3;
    },
    { message: 'set all three of FRESHSERVICE_URL, FRESHSERVICE_DOMAIN and FRESHSERVICE_API_KEY, or none of them (none = the built-in simulator)' },
  )
  .refine((env) => env.FRESHSERVICE_URL === undefined || [env.SIMULATOR_AGENTS, env.SIMULATOR_SEED, env.SIMULATOR_PLAN].every((value) => value === undefined), {
    message: 'SIMULATOR_* choose the built-in simulator\'s account: leave them unset with FRESHSERVICE_*',
  });

export interface FreshserviceTarget {
  url: string;
  domain: string;
  apiKey: string;
}

/** The built-in simulator's account: generated agents (SIMULATOR_AGENTS, SIMULATOR_SEED) and the plan's rate limits (SIMULATOR_PLAN). */
export type SimulatorChoice = Pick<SimulatorOptions, 'agents' | 'seed' | 'plan'>;

export interface EnvironmentSettings {
  port: number | undefined;
  freshservice: FreshserviceTarget | undefined;
  /** undefined: the simulator's demo account. */
  simulator: SimulatorChoice | undefined;
}

/** Every issue as `path: message`; `topLevel` names an issue without a path. */
export function describeIssues(error: z.ZodError, topLevel: string): string {
  return error.issues.map((issue) => `${issue.path.join('.') || topLevel}: ${issue.message}`).join('; ');
}

/** Reads PORT, FRESHSERVICE_* and SIMULATOR_* (empty values count as unset); never echoes the key. */
export function readEnvironment(env: Record<string, string | undefined>): EnvironmentSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvironmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new RuntimeStartupError(`Bad configuration in the environment: ${describeIssues(parsed.error, 'environment')}. Fix or unset these variables and start again.`);
  }
  const { PORT, FRESHSERVICE_URL, FRESHSERVICE_DOMAIN, FRESHSERVICE_API_KEY, SIMULATOR_AGENTS, SIMULATOR_SEED, SIMULATOR_PLAN } = parsed.data;
  const freshservice =
    FRESHSERVICE_URL !== undefined && FRESHSERVICE_DOMAIN !== undefined && FRESHSERVICE_API_KEY !== undefined
      ? { url: FRESHSERVICE_URL, domain: FRESHSERVICE_DOMAIN, apiKey: FRESHSERVICE_API_KEY }
      : undefined;
  const simulator: SimulatorChoice = {
    ...(SIMULATOR_AGENTS === undefined ? {} : { agents: SIMULATOR_AGENTS }),
    ...(SIMULATOR_SEED === undefined ? {} : { seed: SIMULATOR_SEED }),
    ...(SIMULATOR_PLAN === undefined ? {} : { plan: SIMULATOR_PLAN }),
  };
  return { port: PORT, freshservice, simulator: Object.keys(simulator).length === 0 ? undefined : simulator };
}

export const IPARAM_TYPES = ['text', 'paragraph', 'dropdown', 'email', 'number', 'phone_number', 'date', 'url', 'radio', 'checkbox', 'multiselect'] as const;

/**
 * Freshworks' sources disagree on these types in platform 3.0 (docs/platform-contract.md): older
 * material rejects them, current material requires `type_attributes.product`. The runtime starts an
 * app that is valid under the current reading and refuses what both readings refuse; `npm run
 * validate` warns about the rest.
 */
const DISPUTED_TYPES = ['domain', 'api_key'] as const;

const IparamDefinitionSchema = z
  .looseObject({
    display_name: z.string(),
    description: z.string().optional(),
    type: z.enum([...IPARAM_TYPES, ...DISPUTED_TYPES]),
    type_attributes: z.looseObject({ product: z.string().optional() }).optional(),
    secure: z.boolean().optional(),
    required: z.boolean().optional(),
    options: z.array(z.union([z.string(), z.number()])).optional(),
    default_value: z.unknown().optional(),
    /** Change callbacks the install page calls by name: [{ "change": "<function in config/assets/iparams.js>" }]. */
    events: z.array(z.record(z.string(), z.string())).optional(),
  })
  .refine((definition) => !DISPUTED_TYPES.some((type) => type === definition.type) || definition.type_attributes?.product === 'freshservice', {
    path: ['type'],
    error: (issue) =>
      `type "${String((issue.input as { type?: unknown }).type)}" needs "type_attributes": { "product": "freshservice" } (and older Freshworks material rejects it on platform 3.0): use "text" and check the value in a change callback (config/assets/iparams.js)`,
  });

const IparamDefinitionsSchema = z.record(z.string(), IparamDefinitionSchema);

export type IparamDefinition = z.infer<typeof IparamDefinitionSchema>;
export type IparamDefinitions = z.infer<typeof IparamDefinitionsSchema>;

/** A JSON file the runtime starts from; one it cannot read or parse stops the start: "Cannot read <what>: <why>. <fix>". */
export function readJsonFile(file: string, fix: string, what: string = file): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RuntimeStartupError(`Cannot read ${what}: ${error instanceof Error ? error.message : String(error)}. ${fix}`);
  }
}

const FIX_JSON = "Fix the file's JSON and start again.";

/** The app's config/iparams.json (absent = an app without installation parameters). */
export function readIparamDefinitions(file: string): IparamDefinitions {
  if (!existsSync(file)) {
    return {};
  }
  const parsed = IparamDefinitionsSchema.safeParse(readJsonFile(file, FIX_JSON, `the installation parameters (${file})`));
  if (!parsed.success) {
    throw new RuntimeStartupError(`Bad configuration in ${file}: ${describeIssues(parsed.error, 'environment')}. Fix config/iparams.json and start again.`);
  }
  return parsed.data;
}

/** Which iparams hold the Freshservice subdomain and key, from config/requests.json (absent or unreadable: none). */
export function readFreshserviceIparams(file: string): FreshserviceIparams {
  if (!existsSync(file)) {
    return { domain: [], apiKey: [] };
  }
  try {
    return freshserviceIparamsOf(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // The engine reports a broken requests.json with its own message; here it only means no defaults.
    return { domain: [], apiKey: [] };
  }
}

/**
 * Values saved from /custom_configs, tagged with the Freshservice they were saved for, so
 * values saved against the simulator never leak into a run against a real account.
 */
const SavedIparamsSchema = z.object({
  target: z.string(),
  iparams: z.record(z.string(), z.unknown()),
});

export function loadSavedIparams(file: string, target: string): Record<string, unknown> {
  if (!existsSync(file)) {
    return {};
  }
  const parsed = SavedIparamsSchema.safeParse(readJsonFile(file, FIX_JSON, `the saved installation parameters (${file})`));
  if (!parsed.success) {
    throw new RuntimeStartupError(`Bad configuration in ${file}: ${describeIssues(parsed.error, 'environment')}. Delete the file (the app settings return to their defaults) and start again.`);
  }
  return parsed.data.target === target ? parsed.data.iparams : {};
}

export function saveIparams(file: string, target: string, iparams: Record<string, unknown>): void {
  writeJsonAtomic(file, { target, iparams }, 0o600);
}

const GeneratedSecretsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/** Where generatedSecrets keeps what it made, in the runtime's data folder. */
export const GENERATED_IPARAMS_FILE = 'generated_iparams.json';
/** The target tag of a runtime against its embedded simulator (saved settings and generated secrets are kept per target). */
export const SIMULATOR_TARGET_TAG = 'simulator';

/**
 * Values for secure iparams that neither the Freshservice target nor a default fills (the app's
 * storage secret). On a real installation the installation page's onFormLoad creates one
 * (config/assets/iparams.js: 32 random bytes, base64url); `npm start` installs without showing
 * that page, so the runtime makes one the same way, once per data folder and target, and keeps it
 * in `file` so the app's records survive restarts. A value saved from /custom_configs wins.
 */
export function generatedSecrets(file: string, target: string, names: readonly string[]): Record<string, string> {
  const parsed = existsSync(file) ? GeneratedSecretsSchema.safeParse(readJsonFile(file, FIX_JSON, `the generated installation secrets (${file})`)) : null;
  if (parsed !== null && !parsed.success) {
    throw new RuntimeStartupError(`Bad configuration in ${file}: ${describeIssues(parsed.error, 'environment')}. Delete the file (the app's local records then start empty) and start again.`);
  }
  const all = parsed?.data ?? {};
  const mine = { ...all[target] };
  const missing = names.filter((name) => mine[name] === undefined);
  missing.forEach((name) => (mine[name] = randomBytes(32).toString('base64url')));
  if (missing.length > 0) {
    writeJsonAtomic(file, { ...all, [target]: mine }, 0o600);
  }
  return Object.fromEntries(names.map((name) => [name, mine[name] as string]));
}

