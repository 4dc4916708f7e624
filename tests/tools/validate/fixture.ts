import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A minimal FDK app that passes validation; each test breaks one thing in it. */
const VALID_APP: Record<string, unknown> = {
  'manifest.json': {
    'platform-version': '3.0',
    modules: {
      common: {
        location: { full_page_app: { url: 'index.html', icon: 'styles/icon.svg' } },
        requests: { listAgents: {} },
        functions: { getAgents: { timeout: 20 } },
      },
      service_user: { location: { contact_sidebar: { url: 'index.html', icon: 'styles/icon.svg' } } },
    },
    engines: { node: '24.11.1', fdk: '10.1.9' },
    dependencies: { zod: '4.6.7' },
    scripts: { 'fdk-unit-test': 'mocha' },
  },
  'config/requests.json': {
    listAgents: {
      schema: {
        method: 'GET',
        protocol: 'https',
        host: '<%= iparam.domain %>.freshservice.com',
        path: '/api/v2/agents',
        headers: { Authorization: "Basic <%= encode(iparam.api_key + ':X') %>", 'Content-Type': 'application/json' },
        query: { page: '<%= context.page %>', per_page: '100' },
      },
      options: { maxAttempts: 3, retryDelay: 1000 },
    },
  },
  'config/iparams.json': {
    // Platform 3.0: a domain and a key are "text" iparams (no "domain"/"api_key" types, no type_attributes).
    domain: { display_name: 'Freshservice subdomain', type: 'text', required: true, events: [{ change: 'checkDomain' }] },
    api_key: { display_name: 'API key', type: 'text', secure: true, required: true },
    view: { display_name: 'Default view', type: 'dropdown', options: ['admins', 'everyone'], default_value: 'admins' },
  },
  'server/server.js': [
    "const agents = require('./lib/agents');",
    '',
    'exports = {',
    '  getAgents: function (args) {',
    '    return agents.getAgents(args, $request, renderData);',
    '  }',
    '};',
    '',
  ].join('\n'),
  'server/lib/agents.js': [
    "'use strict';",
    "const { z } = require('zod');",
    '',
    'const pageSchema = z.object({ page: z.number() });',
    '',
    'async function getAgents(args, request, reply) {',
    '  try {',
    '    const page = pageSchema.parse(args).page;',
    "    const result = await request.invokeTemplate('listAgents', { context: { page } });",
    '    reply(null, JSON.parse(result.response));',
    '  } catch (failure) {',
    "    reply({ status: failure.status || 500, message: 'Could not list agents' });",
    '  }',
    '}',
    '',
    'exports.getAgents = getAgents;',
    '',
  ].join('\n'),
  'app/index.html': '<!doctype html><html><body><ul id="agents"></ul><script src="{{{appclient}}}"></script><script src="scripts/app.js"></script></body></html>\n',
  'app/scripts/app.js': appScript(''),
  'app/styles/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"></svg>\n',
  'node_modules/zod/package.json': { name: 'zod', version: '4.6.7' },
};

/** The fixture's app script, with extra code appended (a lint case) if given. */
export function appScript(extra: string): string {
  return [
    'function showAgents(list, agents) {',
    "  list.textContent = agents.map((agent) => agent.name).join(', ');",
    '}',
    '',
    'app.initialized()',
    "  .then((client) => client.request.invoke('getAgents', { page: 1 }))",
    "  .then((data) => showAgents(document.getElementById('agents'), data.response))",
    "  .catch((failure) => console.error('getAgents failed', failure.status));",
    extra,
  ].join('\n');
}

export interface FixtureApp {
  root: string;
  write(file: string, text: string): void;
  remove(file: string): void;
  /** Sets (or, with `undefined`, deletes) the value at `path` inside a JSON file. */
  setJson(file: string, path: readonly string[], value: unknown): void;
  cleanup(): void;
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) {
    throw new Error('setJson needs a path');
  }
  if (rest.length === 0) {
    if (value === undefined) {
      delete target[head];
    } else {
      target[head] = value;
    }
    return;
  }
  const child = target[head];
  const next: Record<string, unknown> = typeof child === 'object' && child !== null ? (child as Record<string, unknown>) : {};
  target[head] = next;
  setIn(next, rest, value);
}

export function createFixtureApp(): FixtureApp {
  const root = mkdtempSync(join(tmpdir(), 'fdk-validate-'));
  const write = (file: string, text: string): void => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  for (const [file, content] of Object.entries(VALID_APP)) {
    write(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
  return {
    root,
    write,
    remove: (file) => rmSync(join(root, file), { recursive: true, force: true }),
    setJson: (file, path, value) => {
      const json = JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
      setIn(json, path, value);
      write(file, `${JSON.stringify(json, null, 2)}\n`);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
