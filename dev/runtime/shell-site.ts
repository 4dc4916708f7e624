/**
 * The shell origin (http://localhost:PORT): the agent-portal pages, the shell script, the
 * /_shell/api bridge and /custom_configs. The signed-in agent comes from a cookie that the
 * "Signed in as" switcher, or `?as=<agentId>` on any page, sets.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loggedInUserOf, requesterOf, type AccountDirectory, type ShellAgent } from './account';
import type { AppPlaceholders } from './app-manifest';
import { APP_ROUTE } from './app-pages';
import type { BridgeAnswer } from './bridge-api';
import { saveIparams, type IparamDefinition, type IparamDefinitions } from './config';
import { BodyTooLargeError, readBody, redirect, send, sendHtml, sendJson, sendText } from './http';
import { renderAgentEdit, renderAgents, renderCustomConfigs, renderFullPage, renderLayout, renderMessage, renderUser, SHELL_CSS, type PageFrame, type Placeholders } from './shell-pages';

export interface ShellSiteOptions {
  shellUrl: string;
  appOrigin: string;
  appRoot: string;
  placeholders: AppPlaceholders;
  definitions: IparamDefinitions;
  directory: AccountDirectory;
  bridge: (route: string, input: unknown) => Promise<BridgeAnswer> | null;
  iparams: {
    current: Record<string, unknown>;
    configFile: string;
    tag: string;
    apply: (next: Record<string, unknown>) => void;
    /** Runs once the new values are applied, before they are written (the first save installs the app); a message refuses the save. */
    beforeSave: () => Promise<string | null>;
  };
  shellScript: string;
  /** The /custom_configs page's stand-in for FDK's install-page globals (build/runtime-browser/install-page.js). */
  installPageScript: string;
  log: (line: string) => void;
}

/** The app's install-page code, read on each request so an edit shows on reload, as with `fdk run`. */
const INSTALL_PAGE_ASSETS = ['config', 'assets', 'iparams.js'] as const;

export type ShellHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

const SIGNED_IN_COOKIE = 'fdk_runtime_as';
/** Above FDK's 100 KB payload cap, so the engine (not the host) answers an oversized payload. */
const BRIDGE_BODY_LIMIT = 1024 * 1024;

interface PageRequest {
  url: URL;
  agents: ShellAgent[];
  signedIn: ShellAgent | null;
  setCookie: string | null;
}

function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const cookies = (request.headers.cookie ?? '').split(';').map((part) => part.trim().split('='));
  return cookies.find(([key]) => key === name)?.[1];
}

export function createShellSite(options: ShellSiteOptions): ShellHandler {
  const shellScript = readFileSync(options.shellScript, 'utf8');
  const installPageScript = readFileSync(options.installPageScript, 'utf8');
  const installPageAssets = join(options.appRoot, ...INSTALL_PAGE_ASSETS);

  function settingsScripts(): string[] {
    return existsSync(installPageAssets) ? ['/_shell/install-page.js', '/_shell/assets/iparams.js'] : ['/_shell/install-page.js'];
  }

  function settingsPage(response: ServerResponse, context: PageRequest, content: string, status = 200): void {
    page(response, context, { title: 'App settings', section: 'settings', scripts: settingsScripts() }, content, null, status);
  }
  const placeholders: Placeholders = {
    fullPageApp: options.placeholders.fullPageApp === null ? null : `${options.appOrigin}${APP_ROUTE}${options.placeholders.fullPageApp}`,
    contactSidebar: options.placeholders.contactSidebar === null ? null : `${options.appOrigin}${APP_ROUTE}${options.placeholders.contactSidebar}`,
    appName: options.placeholders.appName,
  };
  const currentHost = { subscribed_modules: options.placeholders.productModules, endpoint_urls: { freshservice: options.shellUrl } };

  async function signedInAgent(request: IncomingMessage, url: URL): Promise<PageRequest> {
    const agents = await options.directory.agents();
    const asked = url.searchParams.get('as') ?? cookieValue(request, SIGNED_IN_COOKIE);
    const chosen = agents.find((agent) => String(agent.id) === asked && agent.active !== false);
    const fallbackId = chosen === undefined ? await options.directory.defaultAgentId().catch(() => null) : null;
    const signedIn = chosen ?? agents.find((agent) => agent.id === fallbackId) ?? agents.find((agent) => agent.active !== false) ?? null;
    const setCookie = url.searchParams.has('as') && chosen !== undefined ? `${SIGNED_IN_COOKIE}=${chosen.id}; Path=/; SameSite=Lax; HttpOnly` : null;
    return { url, agents, signedIn, setCookie };
  }

  function page(response: ServerResponse, context: PageRequest, frame: Omit<PageFrame, 'agents' | 'signedIn' | 'placeholders' | 'runtime'>, content: string, requester: ShellAgent | null, status = 200): void {
    const runtime = {
      appOrigin: options.appOrigin,
      loggedInUser: context.signedIn === null ? null : loggedInUserOf(context.signedIn),
      requester: requester === null ? null : requesterOf(requester),
      currentHost,
    };
    const html = renderLayout({ ...frame, agents: context.agents, signedIn: context.signedIn, placeholders, runtime }, content);
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (context.setCookie !== null) {
      headers['Set-Cookie'] = context.setCookie;
    }
    response.writeHead(status, headers);
    response.end(html);
  }

  function agentById(context: PageRequest, id: string | undefined): ShellAgent | undefined {
    return context.agents.find((agent) => String(agent.id) === id);
  }

  function notFound(response: ServerResponse, context: PageRequest, what: string): void {
    page(response, context, { title: 'Not found', section: 'agents' }, renderMessage('Not found', what), null, 404);
  }

  async function showPage(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    const path = url.pathname;
    const user = /^\/users\/(\d+)$/.exec(path);
    const edit = /^\/agents\/(\d+)\/edit$/.exec(path);
    if (!['/agents', '/apps/full_page_app', '/custom_configs'].includes(path) && user === null && edit === null) {
      return false;
    }
    const context = await signedInAgent(request, url);
    const roles = await options.directory.roles();
    if (path === '/agents') {
      page(response, context, { title: 'Agents', section: 'agents' }, renderAgents(context.agents, roles, (await options.directory.requesters?.()) ?? []), null);
    } else if (path === '/apps/full_page_app') {
      page(response, context, { title: options.placeholders.appName, section: 'app' }, renderFullPage(placeholders), null);
    } else if (path === '/custom_configs') {
      settingsPage(response, context, renderCustomConfigs(options.definitions, options.iparams.current, { saved: url.searchParams.has('saved'), errors: [] }));
    } else {
      // A user page may show a requester (a user who is not an agent); an agent's edit page may not.
      const requesters = user === null ? [] : ((await options.directory.requesters?.()) ?? []);
      showAgentPage(response, context, user?.[1] ?? edit?.[1], user !== null, roles, requesters);
    }
    return true;
  }

  function showAgentPage(response: ServerResponse, context: PageRequest, id: string | undefined, userPage: boolean, roles: Awaited<ReturnType<AccountDirectory['roles']>>, requesters: ShellAgent[]): void {
    const agent = agentById(context, id) ?? requesters.find((requester) => String(requester.id) === id);
    if (agent === undefined) {
      notFound(response, context, `No user with id ${id ?? ''} in this account.`);
    } else if (userPage) {
      page(response, context, { title: agent.email, section: 'agents' }, renderUser(agent, roles, placeholders), agent);
    } else {
      page(response, context, { title: 'Edit agent', section: 'agents' }, renderAgentEdit(agent, context.signedIn, roles), null);
    }
  }

  function sameOrigin(request: IncomingMessage): boolean {
    // Only the shell's own pages may post: the app origin must go through postMessage.
    return request.headers.origin === options.shellUrl;
  }

  async function bridge(request: IncomingMessage, response: ServerResponse, route: string): Promise<void> {
    if (!sameOrigin(request) || !(request.headers['content-type'] ?? '').startsWith('application/json')) {
      sendJson(response, 403, { ok: false, body: { status: 403, message: 'Only the shell page may call this route' } });
      return;
    }
    let input: unknown;
    try {
      input = JSON.parse(await readBody(request, BRIDGE_BODY_LIMIT));
    } catch (error) {
      const status = error instanceof BodyTooLargeError ? 413 : 400;
      sendJson(response, 200, { ok: false, body: { status, message: error instanceof Error ? error.message : 'Unreadable request' } });
      return;
    }
    const answer = options.bridge(route, input);
    if (answer === null) {
      sendJson(response, 404, { ok: false, body: { status: 404, message: `No route ${route}` } });
      return;
    }
    sendJson(response, 200, await answer);
  }

  async function saveConfigs(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (!sameOrigin(request)) {
      sendText(response, 403, 'Only the /custom_configs page may save the app settings');
      return;
    }
    const form = new URLSearchParams(await readBody(request, 64 * 1024));
    const { values, errors } = readIparamForm(form, options.definitions, options.iparams.current);
    const previous = options.iparams.current;
    if (errors.length === 0) {
      options.iparams.current = values;
      options.iparams.apply(values);
      const refusal = await options.iparams.beforeSave();
      if (refusal !== null) {
        options.iparams.current = previous;
        options.iparams.apply(previous);
        errors.push(refusal);
      }
    }
    if (errors.length > 0) {
      const context = await signedInAgent(request, url);
      // Re-show what was typed, never a secure value.
      settingsPage(response, context, renderCustomConfigs(options.definitions, { ...previous, ...values }, { saved: false, errors }), 400);
      return;
    }
    saveIparams(options.iparams.configFile, options.iparams.tag, values);
    options.log('App settings saved from /custom_configs');
    redirect(response, '/custom_configs?saved=1');
  }

  return async (request, response, url) => {
    const path = url.pathname;
    if (request.method === 'POST' && path.startsWith('/_shell/api/')) {
      await bridge(request, response, path.slice('/_shell/api/'.length));
    } else if (request.method === 'POST' && path === '/custom_configs') {
      await saveConfigs(request, response, url);
    } else if (request.method !== 'GET') {
      sendText(response, 405, 'Method not allowed');
    } else if (path === '/') {
      redirect(response, `/agents${url.search}`);
    } else if (path === '/_shell/shell.js') {
      send(response, 200, 'text/javascript; charset=utf-8', shellScript);
    } else if (path === '/_shell/install-page.js') {
      send(response, 200, 'text/javascript; charset=utf-8', installPageScript);
    } else if (path === '/_shell/assets/iparams.js' && existsSync(installPageAssets)) {
      send(response, 200, 'text/javascript; charset=utf-8', readFileSync(installPageAssets, 'utf8'));
    } else if (path === '/_shell/shell.css') {
      send(response, 200, 'text/css; charset=utf-8', SHELL_CSS);
    } else if (!(await showPage(request, response, url))) {
      sendHtml(response, 404, renderMessage('Not found', `No page ${path} in this local Freshservice.`));
    }
  };
}

function formValue(form: URLSearchParams, name: string, definition: IparamDefinition, current: unknown): unknown {
  if (definition.type === 'checkbox') {
    return form.has(name);
  }
  if (definition.type === 'multiselect') {
    return form.getAll(name);
  }
  const raw = (form.get(name) ?? '').trim();
  if (definition.secure === true && raw === '') {
    return current;
  }
  if (definition.type === 'number' && raw !== '') {
    return Number(raw);
  }
  return raw;
}

function problemWith(value: unknown, definition: IparamDefinition): string | null {
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) {
    return definition.required === true ? `${definition.display_name} is required` : null;
  }
  if (definition.type === 'number' && Number.isNaN(value)) {
    return `${definition.display_name} must be a number`;
  }
  const options = definition.options?.map(String);
  if (options !== undefined && ['dropdown', 'radio'].includes(definition.type) && !options.includes(String(value))) {
    return `${definition.display_name} must be one of ${options.join(', ')}`;
  }
  return null;
}

export function readIparamForm(form: URLSearchParams, definitions: IparamDefinitions, current: Record<string, unknown>): { values: Record<string, unknown>; errors: string[] } {
  const values: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [name, definition] of Object.entries(definitions)) {
    const value = formValue(form, name, definition, current[name]);
    const problem = problemWith(value, definition);
    if (problem !== null) {
      errors.push(problem);
    }
    values[name] = value;
  }
  return { values, errors };
}
