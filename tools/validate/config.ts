import type { z } from 'zod';
import { fileExists, readText } from './files';
import { error, warning, type Problem } from './problems';
import { disputedIparamWarnings, iparamsSchema, type Iparams } from './schemas/iparams';
import { manifestSchema, type Manifest } from './schemas/manifest';
import { requestsSchemaFor, type IparamFacts, type RequestTemplates } from './schemas/requests';

export const MANIFEST_FILE = 'manifest.json';
export const REQUESTS_FILE = 'config/requests.json';
export const IPARAMS_FILE = 'config/iparams.json';
export const IPARAMS_PAGE = 'config/iparams.html';

/** The app's configuration; a file is absent here when it failed its schema. */
export interface AppConfig {
  manifest?: Manifest;
  requests?: RequestTemplates;
  iparams?: Iparams;
}

interface Parsed<T> {
  value?: T;
  problems: Problem[];
}

function readJson(root: string, file: string, kind: string): Parsed<unknown> {
  try {
    return { value: JSON.parse(readText(root, file)) as unknown, problems: [] };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { problems: [error(file, `${kind}/json`, `cannot read this file as JSON (${reason}); fix its syntax`)] };
  }
}

function ruleOf(issue: z.core.$ZodIssue, kind: string): string {
  const rule: unknown = issue.code === 'custom' ? issue.params?.['rule'] : undefined;
  return typeof rule === 'string' ? rule : `${kind}/schema`;
}

/** zod's wording for the two commonest shape errors, rephrased into what to do. */
function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((key) => `"${key}"`).join(', ')}: FDK does not accept ${issue.keys.length === 1 ? 'it' : 'them'} here; remove or rename`;
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `is required (expected ${issue.expected})`;
  }
  return issue.message;
}

function messageOf(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join('.');
  return where === '' ? plainMessage(issue) : `${where}: ${plainMessage(issue)}`;
}

function parseWith<T>(root: string, file: string, kind: string, schema: z.ZodType<T>): Parsed<T> {
  const json = readJson(root, file, kind);
  if (json.value === undefined) {
    return { problems: json.problems };
  }
  const result = schema.safeParse(json.value);
  if (result.success) {
    return { value: result.data, problems: [] };
  }
  return { problems: result.error.issues.map((issue) => error(file, ruleOf(issue, kind), messageOf(issue))) };
}

/** What the request templates need to know about iparams, read leniently so one broken iparam does not hide template errors. */
function iparamFactsOf(root: string): IparamFacts {
  const names = new Set<string>();
  const secureNames = new Set<string>();
  const json = fileExists(root, IPARAMS_FILE) ? readJson(root, IPARAMS_FILE, 'iparams').value : undefined;
  if (typeof json === 'object' && json !== null) {
    for (const [name, iparam] of Object.entries(json)) {
      names.add(name);
      if ((iparam as { secure?: unknown } | null)?.secure === true) {
        secureNames.add(name);
      }
    }
  }
  return { names, secureNames };
}

/**
 * config/iparams.json, or config/iparams.html (a custom installation page): Freshworks' error
 * catalog says FDK answers "iparams.json is mandatory" without either, and that an app uses one, not both.
 */
function checkIparams(root: string): Parsed<Iparams> {
  const hasJson = fileExists(root, IPARAMS_FILE);
  const hasHtml = fileExists(root, IPARAMS_PAGE);
  if (!hasJson) {
    return hasHtml ? { value: {}, problems: [] } : { problems: [error(IPARAMS_FILE, 'iparams/missing', `there is no ${IPARAMS_FILE} (or ${IPARAMS_PAGE}); FDK answers "iparams.json is mandatory": add one, {} if the app has no settings`)] };
  }
  const parsed = parseWith(root, IPARAMS_FILE, 'iparams', iparamsSchema);
  const both = hasHtml ? [error(IPARAMS_PAGE, 'iparams/both', `an app uses ${IPARAMS_FILE} or a custom ${IPARAMS_PAGE}, not both: remove one`)] : [];
  const disputed = parsed.value === undefined ? [] : disputedIparamWarnings(parsed.value).map((found) => warning(IPARAMS_FILE, found.rule, `${found.path}: ${found.message}`));
  return { ...parsed, problems: [...parsed.problems, ...both, ...disputed] };
}

/** Reads and checks manifest.json, config/requests.json and config/iparams.json against the Platform 3.0 schemas. */
export function checkConfig(root: string): { config: AppConfig; problems: Problem[] } {
  if (!fileExists(root, MANIFEST_FILE)) {
    return { config: {}, problems: [error(MANIFEST_FILE, 'manifest/missing', 'there is no manifest.json at the app root; is --root the app folder?')] };
  }
  const manifest = parseWith(root, MANIFEST_FILE, 'manifest', manifestSchema);
  // requests.json is optional: an app without it has no templates.
  const requests = fileExists(root, REQUESTS_FILE)
    ? parseWith(root, REQUESTS_FILE, 'requests', requestsSchemaFor(iparamFactsOf(root)))
    : { value: {}, problems: [] };
  const iparams = checkIparams(root);
  const config: AppConfig = {};
  if (manifest.value !== undefined) config.manifest = manifest.value;
  if (requests.value !== undefined) config.requests = requests.value;
  if (iparams.value !== undefined) config.iparams = iparams.value;
  return { config, problems: [...manifest.problems, ...requests.problems, ...iparams.problems] };
}
