import type { RequestTemplate } from './app-package';
import { renderTemplateString, TemplateRenderError } from './template-expression';

/**
 * Who invokes a template decides where `context.*` may appear. Freshworks' request-method docs:
 * host and Authorization headers may use context "for installation page requests and Serverless";
 * from an app page only path and query may (docs/platform-contract.md).
 */
export type TemplateCaller = 'server' | 'installation' | 'frontend';

/** The parts of a template schema a substitution can sit in. */
export type TemplateField = 'host' | 'path' | 'query' | 'headers';

/**
 * What FDK does with a `context` value substituted into a path is not documented. Freshworks' own
 * request-method sample substitutes a whole path from context (`"path": "<%= context.path %>"`
 * with `/api/people/1`, from a server method and from the front end: request-method-samples
 * `config/requests.json`, `readme.md`), so a slash is not encoded: under `raw` (the default) the
 * value goes into the URL as it is, and `../tickets` reaches another endpoint, as it would if FDK
 * does the same; `segment` plays a stricter platform that keeps a value inside one path segment.
 * The app is safe under both: none of its templates has a caller's value in its path.
 */
export type ContextInPath = 'raw' | 'segment';

export interface RenderInputs {
  caller: TemplateCaller;
  contextInPath: ContextInPath;
  iparams: Record<string, unknown>;
  secureIparams: ReadonlySet<string>;
  context: Record<string, unknown>;
  currentHost: Record<string, unknown> | undefined;
}

export interface RenderedRequest {
  method: RequestTemplate['schema']['method'];
  protocol: 'https' | 'http';
  host: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

const FRONTEND_CONTEXT_FIELDS: ReadonlySet<TemplateField> = new Set(['path', 'query']);

function lookup(value: unknown, keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asText(value: unknown, label: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === undefined || value === null) {
    throw new TemplateRenderError(`${label} has no value`);
  }
  throw new TemplateRenderError(`${label} is not a string, number or boolean`);
}

function checkIparamPlacement(name: string | undefined, field: TemplateField, inputs: RenderInputs): void {
  if (name !== undefined && field !== 'headers' && inputs.secureIparams.has(name)) {
    throw new TemplateRenderError(`secure iparam "${name}" may only be used in headers, not in ${field}`);
  }
}

function checkContextPlacement(field: TemplateField, inputs: RenderInputs): void {
  if (inputs.caller === 'frontend' && !FRONTEND_CONTEXT_FIELDS.has(field)) {
    throw new TemplateRenderError(
      `context may only be used in path and query when the template is invoked from the front end, not in ${field}`,
    );
  }
}

/** Under the `segment` reading, a context value in a path must stay one segment (`../roles` is refused). */
function checkPathSegment(value: string, field: TemplateField, label: string, inputs: RenderInputs): string {
  if (inputs.contextInPath === 'segment' && field === 'path' && (/[/\\?#]/.test(value) || value === '.' || value === '..')) {
    throw new TemplateRenderError(`${label} must be a single path segment (no "/", "\\", "?", "#", "." or "..")`);
  }
  return value;
}

function resolverFor(field: TemplateField, inputs: RenderInputs) {
  return (root: string, keys: string[]): string => {
    const label = [root, ...keys].join('.');
    switch (root) {
      case 'iparam':
        checkIparamPlacement(keys[0], field, inputs);
        return asText(lookup(inputs.iparams, keys), label);
      case 'context':
        checkContextPlacement(field, inputs);
        return checkPathSegment(asText(lookup(inputs.context, keys), label), field, label, inputs);
      case 'current_host':
        return asText(lookup(inputs.currentHost, keys), label);
      default:
        throw new TemplateRenderError(`"${label}" is not available to request templates in this runtime`);
    }
  };
}

function renderRecord(record: Record<string, string> | undefined, field: TemplateField, inputs: RenderInputs) {
  const rendered: Record<string, string> = {};
  for (const [key, template] of Object.entries(record ?? {})) {
    rendered[key] = renderTemplateString(template, resolverFor(field, inputs));
  }
  return rendered;
}

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const BARE_HOST = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`, 'i');

function checkHost(host: string): void {
  const lastLabel = host.split('.').pop() ?? '';
  if (!BARE_HOST.test(host) || /^\d+$/.test(lastLabel)) {
    throw new TemplateRenderError(`host "${host}" must be a bare domain name (no protocol, port, path or IP address)`);
  }
}

function checkPath(path: string): void {
  if (!path.startsWith('/') || /[\s?#]/.test(path)) {
    throw new TemplateRenderError('path must start with / and hold no spaces, "?" or "#" (put parameters in query)');
  }
}

function checkHeaders(headers: Record<string, string>): void {
  if (Object.values(headers).some((value) => /[\r\n]/.test(value))) {
    throw new TemplateRenderError('a header value may not contain line breaks');
  }
}

/** Renders a template schema with FDK's placement rules; throws TemplateRenderError on any violation. */
export function renderRequestTemplate(template: RequestTemplate, inputs: RenderInputs): RenderedRequest {
  const { schema } = template;
  const host = renderTemplateString(schema.host, resolverFor('host', inputs));
  const path = renderTemplateString(schema.path, resolverFor('path', inputs));
  const query = renderRecord(schema.query, 'query', inputs);
  const headers = renderRecord(schema.headers, 'headers', inputs);
  checkHost(host);
  checkPath(path);
  checkHeaders(headers);
  return { method: schema.method, protocol: schema.protocol, host, path, query, headers };
}
