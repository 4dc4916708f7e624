import { readText } from './files';
import { error, warning, type Problem } from './problems';
import { MANIFEST_FILE, REQUESTS_FILE } from './config';
import type { Manifest } from './schemas/manifest';
import type { RequestTemplates } from './schemas/requests';

const INVOCATION = /invokeTemplate\(\s*(['"`])([^'"`]+)\1/g;

export interface Invocation {
  file: string;
  template: string;
}

/** Every `invokeTemplate("name"` with a literal name in the given JavaScript files. */
export function findInvocations(root: string, files: readonly string[]): Invocation[] {
  return files.flatMap((file) => Array.from(readText(root, file).matchAll(INVOCATION), (match) => ({ file, template: match[2] ?? '' })));
}

function checkInvoked(invocations: readonly Invocation[], inRequests: ReadonlySet<string>, inManifest: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  for (const { file, template } of invocations) {
    if (!inRequests.has(template)) {
      problems.push(error(file, 'templates/undeclared', `template "${template}" is invoked but not defined in ${REQUESTS_FILE}`));
    }
    if (!inManifest.has(template)) {
      problems.push(error(file, 'templates/undeclared', `template "${template}" is invoked but not listed in ${MANIFEST_FILE} modules.common.requests`));
    }
  }
  return problems;
}

/**
 * Declared templates named by a string literal anywhere in the JavaScript: compiled code often
 * passes the name through a constant (`TEMPLATES.listAgents`) rather than invoking it literally.
 */
function namedInCode(root: string, files: readonly string[], templates: Iterable<string>): Set<string> {
  const code = files.map((file) => readText(root, file)).join('\n');
  return new Set(Array.from(templates).filter((name) => ['"', "'", '`'].some((quote) => code.includes(`${quote}${name}${quote}`))));
}

function checkDeclared(inRequests: ReadonlySet<string>, inManifest: ReadonlySet<string>, referenced: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  for (const template of inRequests) {
    if (!inManifest.has(template)) {
      problems.push(error(REQUESTS_FILE, 'templates/one-sided', `template "${template}" is defined here but missing from ${MANIFEST_FILE} modules.common.requests; add it there as "${template}": {}`));
    } else if (!referenced.has(template)) {
      problems.push(warning(REQUESTS_FILE, 'templates/unused', `template "${template}" is declared but its name appears nowhere in server/, app/ or the install page's code; remove it if nothing invokes it`));
    }
  }
  for (const template of inManifest) {
    if (!inRequests.has(template)) {
      problems.push(error(MANIFEST_FILE, 'templates/one-sided', `template "${template}" is listed in modules.common.requests but not defined in ${REQUESTS_FILE}`));
    }
  }
  return problems;
}

/** Templates must be declared on both sides (requests.json and the manifest) and every invoked one declared. */
export function checkTemplates(root: string, manifest: Manifest, requests: RequestTemplates, jsFiles: readonly string[]): Problem[] {
  const inRequests = new Set(Object.keys(requests));
  const inManifest = new Set(Object.keys(manifest.modules.common?.requests ?? {}));
  const invocations = findInvocations(root, jsFiles);
  const referenced = namedInCode(root, jsFiles, inRequests);
  return [...checkInvoked(invocations, inRequests, inManifest), ...checkDeclared(inRequests, inManifest, referenced)];
}
