import { z } from 'zod';
import { addRuleIssue } from './rule-issue';
import { expressionsIn, hasSubstitution, referencesIn, SUBSTITUTION_ROOTS, withoutSubstitutions } from './substitutions';

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const DOMAIN_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

const stringMap = z.record(z.string(), z.string());

/** The Content-Type values FDK's request method supports. */
export const CONTENT_TYPES = [
  'application/json',
  'application/xml',
  'text/html',
  'text/xml',
  'application/jsonp',
  'text/plain',
  'text/javascript',
  'application/vnd.api+json',
] as const;

const templateSchemaShape = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  // FDK: protocol and path are optional (https and "/" by default); when given they are checked below.
  protocol: z.string().optional(),
  host: z.string().min(1),
  path: z.string().optional(),
  headers: stringMap.optional(),
  query: stringMap.optional(),
  // Declared so that a body gets its own rule below rather than a generic "unknown key".
  body: z.unknown().optional(),
});

const templateSchema = z.strictObject({
  schema: templateSchemaShape,
  options: z
    .strictObject({
      maxAttempts: z.int().min(1).max(5).optional(),
      retryDelay: z.int().min(0).max(1500).multipleOf(100, { message: 'retryDelay must be a multiple of 100 ms' }).optional(),
    })
    .optional(),
});

export type RequestTemplate = z.infer<typeof templateSchema>;
type TemplateSchema = RequestTemplate['schema'];

/** What the checks of a template need to know about the install parameters. */
export interface IparamFacts {
  names: ReadonlySet<string>;
  secureNames: ReadonlySet<string>;
}

function hostProblem(host: string): string | undefined {
  const literal = withoutSubstitutions(host, 'x');
  if (/[/:?#@\s]/.test(literal)) {
    return 'host must be a bare domain name: no protocol (https://), path, port, query or credentials';
  }
  if (IPV4.test(literal)) {
    return 'host must be a domain name, not an IP address';
  }
  if (!DOMAIN_NAME.test(literal) || (!hasSubstitution(host) && !literal.includes('.'))) {
    return 'host must be a fully qualified domain name such as api.example.com, or a substitution such as <%= iparam.subdomain %>.freshservice.com';
  }
  return undefined;
}

function checkContentType(schema: TemplateSchema, ctx: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(schema.headers ?? {})) {
    const mediaType = value.split(';')[0]?.trim().toLowerCase() ?? '';
    const isKnown = CONTENT_TYPES.some((allowed) => allowed === mediaType);
    if (name.toLowerCase() === 'content-type' && !hasSubstitution(value) && !isKnown) {
      addRuleIssue(ctx, 'requests/content-type', `Content-Type "${value}" is not supported by FDK; use one of ${CONTENT_TYPES.join(', ')}`, ['schema', 'headers', name]);
    }
  }
}

function checkShape(schema: TemplateSchema, ctx: z.RefinementCtx): void {
  if (schema.protocol !== undefined && schema.protocol !== 'https') {
    addRuleIssue(ctx, 'requests/https-only', `protocol is "${schema.protocol}"; FDK accepts only "https" in an app that ships`, ['schema', 'protocol']);
  }
  const problem = hostProblem(schema.host);
  if (problem !== undefined) {
    addRuleIssue(ctx, 'requests/host', `${problem} (found "${schema.host}")`, ['schema', 'host']);
  }
  if (schema.path !== undefined && !schema.path.startsWith('/')) {
    addRuleIssue(ctx, 'requests/path', `path must start with "/" (found "${schema.path}")`, ['schema', 'path']);
  }
  if (schema.body !== undefined) {
    addRuleIssue(ctx, 'requests/no-body-in-schema', 'remove "body" from the schema; pass the body as a string when invoking the template', ['schema', 'body']);
  }
}

/** Each templated string with where it sits: secure iparams may appear only in headers. */
function templatedFields(schema: TemplateSchema): { path: string[]; text: string; inHeaders: boolean }[] {
  const fields = [
    { path: ['schema', 'host'], text: schema.host, inHeaders: false },
    { path: ['schema', 'path'], text: schema.path ?? '/', inHeaders: false },
  ];
  for (const [name, text] of Object.entries(schema.query ?? {})) {
    fields.push({ path: ['schema', 'query', name], text, inHeaders: false });
  }
  for (const [name, text] of Object.entries(schema.headers ?? {})) {
    fields.push({ path: ['schema', 'headers', name], text, inHeaders: true });
  }
  return fields;
}

function checkReference(reference: string[], field: { path: string[]; inHeaders: boolean }, iparams: IparamFacts, ctx: z.RefinementCtx): void {
  const [root, name] = reference;
  const shown = reference.join('.');
  if (!SUBSTITUTION_ROOTS.some((allowed) => allowed === root)) {
    addRuleIssue(ctx, 'requests/substitution', `"${shown}" cannot be substituted; use iparam.*, context.*, current_host.*, encode(...) or access_token`, field.path);
    return;
  }
  if (root === 'context' && field.path[1] === 'path') {
    // This project's rule, stricter than fdk validate: any agent can invoke any template with any context,
    // FDK does not document that it encodes a context value in a path, and Freshworks' own sample
    // (request-method-samples config/requests.json) substitutes whole paths from context.
    addRuleIssue(ctx, 'requests/context-in-path', `"${shown}" in the path lets anyone who can open the app point this template at another endpoint (FDK does not say it encodes the value): pass it as a query parameter`, field.path);
    return;
  }
  if (root !== 'iparam' || name === undefined) {
    return;
  }
  if (!iparams.names.has(name)) {
    addRuleIssue(ctx, 'requests/unknown-iparam', `"${shown}" is not declared in config/iparams.json`, field.path);
  } else if (iparams.secureNames.has(name) && !field.inHeaders) {
    addRuleIssue(ctx, 'requests/secure-iparam-outside-headers', `secure iparam "${name}" may be substituted only in headers, not in ${field.path.slice(1).join('.')}`, field.path);
  }
}

function checkSubstitutions(schema: TemplateSchema, iparams: IparamFacts, ctx: z.RefinementCtx): void {
  for (const field of templatedFields(schema)) {
    for (const expression of expressionsIn(field.text)) {
      for (const reference of referencesIn(expression)) {
        checkReference(reference, field, iparams, ctx);
      }
    }
  }
}

/** config/requests.json, checked against the app's own install parameters. */
export function requestsSchemaFor(iparams: IparamFacts) {
  const checkedTemplate = templateSchema.superRefine((template, ctx) => {
    checkShape(template.schema, ctx);
    checkContentType(template.schema, ctx);
    checkSubstitutions(template.schema, iparams, ctx);
  });
  return z.record(z.string(), checkedTemplate);
}

export type RequestTemplates = Record<string, RequestTemplate>;
