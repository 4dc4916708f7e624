/**
 * The shell's pages: a local look-alike of the Freshservice agent portal around the app's
 * placeholders. Every page is a handlebars template, so account data is always escaped.
 */
import { compile } from 'handlebars';
import type { IparamDefinitions } from './config';
import { agentName, type ShellAgent, type ShellRole } from './account';

export interface Placeholders {
  fullPageApp: string | null;
  contactSidebar: string | null;
  appName: string;
}

export interface PageFrame {
  title: string;
  section: 'agents' | 'app' | 'settings';
  agents: ShellAgent[];
  signedIn: ShellAgent | null;
  placeholders: Placeholders;
  /** What the shell script needs: the app origin and the data methods' answers. */
  runtime: Record<string, unknown>;
  /** Scripts this page needs before the shell script (the install page's). */
  scripts?: string[];
}

const LAYOUT = compile(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} · Freshservice (local FDK runtime)</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_shell/shell.css">
</head>
<body data-runtime="{{runtimeJson}}">
<header class="topbar">
  <span class="brand">Freshservice</span>
  <span class="local-badge">local FDK runtime</span>
  <label class="switcher">Signed in as
    <select id="signed-in-as">
      {{#each choices}}<option value="{{id}}"{{#if selected}} selected{{/if}}>{{name}} · {{email}}</option>{{/each}}
    </select>
  </label>
</header>
<nav class="sidebar" aria-label="Main">
  <a class="nav-item{{#if onAgents}} current{{/if}}" href="/agents">Agents</a>
  {{#if fullPageApp}}<a class="nav-item{{#if onApp}} current{{/if}}" id="nav-full_page_app" href="/apps/full_page_app" data-activates="full_page_app">{{appName}}</a>{{/if}}
  <a class="nav-item{{#if onSettings}} current{{/if}}" href="/custom_configs">App settings</a>
</nav>
<main class="content">{{{content}}}</main>
<div id="notifications" aria-live="polite"></div>
{{#each scripts}}<script src="{{this}}"></script>
{{/each}}<script src="/_shell/shell.js"></script>
</body>
</html>`);

export function renderLayout(frame: PageFrame, content: string): string {
  return LAYOUT({
    title: frame.title,
    runtimeJson: JSON.stringify(frame.runtime),
    choices: frame.agents
      .filter((agent) => agent.active !== false)
      .map((agent) => ({ id: agent.id, name: agentName(agent), email: agent.email, selected: agent.id === frame.signedIn?.id })),
    onAgents: frame.section === 'agents',
    onApp: frame.section === 'app',
    onSettings: frame.section === 'settings',
    fullPageApp: frame.placeholders.fullPageApp,
    appName: frame.placeholders.appName,
    scripts: frame.scripts ?? [],
    content,
  });
}

const AGENTS = compile(`<h1>Agents</h1>
<table class="list">
<thead><tr><th>Name</th><th>Email</th><th>Job title</th><th>Roles</th><th>Status</th><th></th></tr></thead>
<tbody>
{{#each rows}}<tr>
<td><a href="/users/{{id}}">{{name}}</a></td><td>{{email}}</td><td>{{jobTitle}}</td><td>{{roles}}</td>
<td>{{#if active}}Active{{else}}<span class="muted">Deactivated</span>{{/if}}</td>
<td><a href="/agents/{{id}}/edit">Edit</a></td>
</tr>{{/each}}
</tbody>
</table>`);

function roleNames(agent: ShellAgent, roles: ShellRole[]): string {
  return (agent.roles ?? []).map((assignment) => roles.find((role) => role.id === assignment.role_id)?.name ?? `role ${assignment.role_id}`).join(', ');
}

const REQUESTERS = compile(`<h2>Requesters</h2>
<table class="list">
<thead><tr><th>Name</th><th>Email</th><th>Job title</th></tr></thead>
<tbody>
{{#each rows}}<tr><td><a href="/users/{{id}}">{{name}}</a></td><td>{{email}}</td><td>{{jobTitle}}</td></tr>{{/each}}
</tbody>
</table>`);

/** The agents, then (when the account has any) the requesters: users who are not agents. */
export function renderAgents(agents: ShellAgent[], roles: ShellRole[], requesters: ShellAgent[]): string {
  const requesterRows = requesters.map((requester) => ({ id: requester.id, name: agentName(requester), email: requester.email, jobTitle: requester.job_title ?? '' }));
  return agentsTable(agents, roles) + (requesterRows.length === 0 ? '' : REQUESTERS({ rows: requesterRows }));
}

function agentsTable(agents: ShellAgent[], roles: ShellRole[]): string {
  return AGENTS({
    rows: agents.map((agent) => ({
      id: agent.id,
      name: agentName(agent),
      email: agent.email,
      jobTitle: agent.job_title ?? '',
      roles: roleNames(agent, roles),
      active: agent.active !== false,
    })),
  });
}

const USER = compile(`<div class="user-page">
<section class="user-details">
  <h1>{{name}}</h1>
  <dl>
    <dt>Email</dt><dd>{{email}}</dd>
    <dt>Job title</dt><dd>{{jobTitle}}</dd>
    <dt>Roles</dt><dd>{{roles}}</dd>
    <dt>Status</dt><dd>{{status}}</dd>
  </dl>
</section>
<aside class="user-sidebar">
{{#if sidebarUrl}}
  <div class="app-card open">
    <button class="app-card-header" type="button" data-activates="contact_sidebar">{{appName}}</button>
    <iframe id="app-contact_sidebar" class="app-frame" data-placeholder="contact_sidebar" title="{{appName}}" src="{{sidebarUrl}}"></iframe>
  </div>
{{else}}
  <p class="muted">This app has no contact_sidebar placeholder.</p>
{{/if}}
</aside>
</div>`);

export function renderUser(agent: ShellAgent, roles: ShellRole[], placeholders: Placeholders): string {
  return USER({
    name: agentName(agent),
    email: agent.email,
    jobTitle: agent.job_title ?? '',
    roles: roleNames(agent, roles),
    status: agent.active === false ? 'Deactivated' : 'Active',
    sidebarUrl: placeholders.contactSidebar,
    appName: placeholders.appName,
  });
}

const FULL_PAGE = compile(`{{#if url}}<iframe id="app-full_page_app" class="app-frame full-page" data-placeholder="full_page_app" title="{{appName}}" src="{{url}}"></iframe>
{{else}}<p class="muted">This app has no full_page_app placeholder.</p>{{/if}}`);

export function renderFullPage(placeholders: Placeholders): string {
  return FULL_PAGE({ url: placeholders.fullPageApp, appName: placeholders.appName });
}

const AGENT_EDIT = compile(`<h1>Edit agent: {{name}}</h1>
<p class="stand-in">Local stand-in for Freshservice's agent admin page (Admin &gt; Global Settings &gt; User Management &gt; Agents &gt; the agent &gt; Permissions). The toggle below is a mock: nothing is saved, and Freshservice has no API for it.</p>
<section class="permissions" id="permissions">
  <h2>Permissions</h2>
  <label class="toggle-row">
    <input type="checkbox" id="api-key-toggle" role="switch"{{#unless allowed}} disabled{{/unless}}>
    <span>API key</span>
  </label>
  <p class="muted" id="api-key-note">{{note}}</p>
</section>`);

export function renderAgentEdit(agent: ShellAgent, signedIn: ShellAgent | null, roles: ShellRole[]): string {
  const accountAdminRole = roles.find((role) => role.default === true && role.name === 'Account Admin');
  const signedInIsAccountAdmin = accountAdminRole !== undefined && (signedIn?.roles ?? []).some((assignment) => assignment.role_id === accountAdminRole.id);
  const self = signedIn?.id === agent.id;
  const note = self
    ? 'Nobody can change their own API key permission.'
    : signedInIsAccountAdmin
      ? 'As an Account Admin you can switch this agent’s API key on or off.'
      : 'Only an Account Admin can switch on another agent’s API key.';
  return AGENT_EDIT({ name: agentName(agent), allowed: signedInIsAccountAdmin && !self, note });
}

const CUSTOM_CONFIGS = compile(`<h1>App settings</h1>
<p class="muted">Installation parameters from config/iparams.json, as <code>fdk run</code>'s /custom_configs page, with the change callbacks of config/assets/iparams.js. Saved under .fdk/ and applied at once.</p>
{{#if saved}}<p class="saved" role="status">Saved.</p>{{/if}}
{{#if errors.length}}<ul class="errors" role="alert">{{#each errors}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
<form method="post" action="/custom_configs" class="iparams">
{{#each fields}}
  <div class="field">
    <label for="iparam-{{name}}">{{label}}{{#if required}} *{{/if}}</label>
    <p class="hint" id="iparam-hint-{{name}}">{{description}}</p>
    {{#if isSelect}}<select id="iparam-{{name}}" name="{{name}}" data-change="{{change}}"{{#if multiple}} multiple{{/if}}>{{#each options}}<option value="{{value}}"{{#if selected}} selected{{/if}}>{{value}}</option>{{/each}}</select>
    {{else if isCheckbox}}<input id="iparam-{{name}}" name="{{name}}" data-change="{{change}}" type="checkbox"{{#if checked}} checked{{/if}}>
    {{else if secure}}<input id="iparam-{{name}}" name="{{name}}" data-change="{{change}}" type="password" autocomplete="off" value="" placeholder="{{#if hasValue}}A value is saved (hidden). Leave empty to keep it.{{else}}Not set{{/if}}">
    {{else}}<input id="iparam-{{name}}" name="{{name}}" data-change="{{change}}" type="{{inputType}}" value="{{value}}">{{/if}}
    <p class="field-error" id="iparam-error-{{name}}" role="alert" hidden></p>
  </div>
{{/each}}
  <button class="button button-primary" id="save-iparams" type="submit">Save</button> <span class="muted" id="save-note" aria-live="polite"></span>
</form>`);

function inputTypeOf(type: string): string {
  const types: Record<string, string> = { number: 'number', email: 'email', url: 'url', date: 'date', phone_number: 'tel' };
  return types[type] ?? 'text';
}

function fieldOf(name: string, definitions: IparamDefinitions, values: Record<string, unknown>): Record<string, unknown> {
  const definition = definitions[name];
  const value = values[name];
  const chosen = Array.isArray(value) ? value.map(String) : [String(value ?? '')];
  return {
    name,
    label: definition?.display_name ?? name,
    description: definition?.description,
    required: definition?.required === true,
    secure: definition?.secure === true,
    hasValue: value !== undefined && value !== '',
    isSelect: ['dropdown', 'radio', 'multiselect'].includes(definition?.type ?? ''),
    multiple: definition?.type === 'multiselect',
    isCheckbox: definition?.type === 'checkbox',
    checked: value === true,
    options: (definition?.options ?? []).map((option) => ({ value: String(option), selected: chosen.includes(String(option)) })),
    inputType: inputTypeOf(definition?.type ?? 'text'),
    // Change callbacks (config/assets/iparams.js) the install-page script calls by name.
    change: (definition?.events ?? []).flatMap((event) => (event['change'] === undefined ? [] : [event['change']])).join(' '),
    // A secure value is write-only: the page never carries it back.
    value: definition?.secure === true ? '' : String(value ?? ''),
  };
}

export function renderCustomConfigs(definitions: IparamDefinitions, values: Record<string, unknown>, state: { saved: boolean; errors: string[] }): string {
  return CUSTOM_CONFIGS({
    fields: Object.keys(definitions).map((name) => fieldOf(name, definitions, values)),
    saved: state.saved,
    errors: state.errors,
  });
}

const MESSAGE = compile(`<h1>{{title}}</h1><p>{{message}}</p>`);

export function renderMessage(title: string, message: string): string {
  return MESSAGE({ title, message });
}

export const SHELL_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #12344d; background: #f5f7f9;
  display: grid; grid-template-columns: 64px 1fr; grid-template-rows: 52px 1fr; min-height: 100vh; }
.topbar { grid-column: 1 / 3; display: flex; align-items: center; gap: 12px; padding: 0 16px; background: #fff; border-bottom: 1px solid #cfd7df; }
.brand { font-weight: 700; font-size: 16px; color: #2c5cc5; }
.local-badge { font-size: 11px; padding: 2px 8px; border-radius: 10px; background: #fff3cd; color: #7a5b00; border: 1px solid #f0d98c; }
.switcher { margin-left: auto; display: flex; gap: 8px; align-items: center; font-size: 13px; color: #475867; }
.switcher select { max-width: 340px; padding: 4px 6px; border: 1px solid #cfd7df; border-radius: 4px; }
.sidebar { background: #1f2d3d; display: flex; flex-direction: column; padding-top: 8px; }
.nav-item { color: #dbe3ea; text-decoration: none; font-size: 11px; text-align: center; padding: 12px 4px; word-break: break-word; }
.nav-item.current, .nav-item:hover { background: #2c3e50; color: #fff; border-left: 3px solid #2c5cc5; }
.content { padding: 20px 24px; min-width: 0; }
h1 { font-size: 20px; margin: 0 0 16px; }
table.list { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #cfd7df; }
table.list th, table.list td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #ebeff3; }
table.list th { background: #f5f7f9; font-weight: 600; font-size: 12px; color: #475867; }
a { color: #2c5cc5; }
.muted { color: #6f7c87; }
.user-page { display: grid; grid-template-columns: 1fr 300px; gap: 16px; align-items: start; }
.user-details { background: #fff; border: 1px solid #cfd7df; border-radius: 4px; padding: 16px 20px; }
.user-details dl { display: grid; grid-template-columns: 120px 1fr; gap: 6px 12px; margin: 0; }
.user-details dt { color: #6f7c87; }
.user-details dd { margin: 0; }
.user-sidebar { width: 300px; }
.app-card { background: #fff; border: 1px solid #cfd7df; border-radius: 4px; overflow: hidden; }
.app-card-header { display: block; width: 100%; text-align: left; border: 0; background: #f5f7f9; padding: 10px 12px; font-weight: 600; cursor: pointer; border-bottom: 1px solid #ebeff3; }
.app-card:not(.open) .app-frame { display: none; }
.app-frame { display: block; width: 100%; height: 300px; border: 0; background: #fff; }
.app-frame.full-page { height: calc(100vh - 100px); border: 1px solid #cfd7df; border-radius: 4px; }
#notifications { position: fixed; top: 60px; left: 50%; transform: translateX(-50%); display: flex; flex-direction: column; gap: 8px; z-index: 20; }
.notify { min-width: 260px; max-width: 360px; padding: 10px 36px 10px 12px; border-radius: 4px; background: #fff; border-left: 4px solid #2c5cc5; box-shadow: 0 2px 8px rgba(18,52,77,.2); position: relative; }
.notify-success { border-color: #00a886; } .notify-warning { border-color: #f8ab59; } .notify-danger, .notify-alert { border-color: #d72d30; }
.notify-title { display: block; }
.notify-close { position: absolute; top: 6px; right: 8px; border: 0; background: none; font-size: 16px; cursor: pointer; }
.overlay { position: fixed; inset: 0; background: rgba(18,52,77,.45); display: flex; align-items: center; justify-content: center; z-index: 10; }
.dialog { background: #fff; border-radius: 6px; padding: 16px 20px; min-width: 360px; max-width: 80vw; position: relative; }
.dialog.modal { width: 720px; }
.dialog-title { font-size: 16px; margin: 0 0 12px; }
.dialog-actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
.dialog-close { position: absolute; top: 8px; right: 10px; border: 0; background: none; font-size: 18px; cursor: pointer; }
.modal-frame { height: 400px; }
.button { padding: 6px 14px; border-radius: 4px; border: 1px solid #cfd7df; background: #fff; cursor: pointer; }
.button-primary { background: #2c5cc5; border-color: #2c5cc5; color: #fff; }
.stand-in { background: #fff3cd; border: 1px solid #f0d98c; padding: 8px 12px; border-radius: 4px; }
.permissions { background: #fff; border: 1px solid #cfd7df; border-radius: 4px; padding: 16px 20px; max-width: 560px; }
.toggle-row { display: flex; align-items: center; gap: 10px; font-weight: 600; }
.iparams { background: #fff; border: 1px solid #cfd7df; border-radius: 4px; padding: 16px 20px; max-width: 560px; }
.field { margin-bottom: 14px; } .field label { font-weight: 600; display: block; }
.field input, .field select { width: 100%; padding: 6px 8px; border: 1px solid #cfd7df; border-radius: 4px; }
.field input[type=checkbox] { width: auto; }
.hint { margin: 2px 0 6px; color: #6f7c87; font-size: 12px; }
.saved { color: #00795b; } .errors { color: #d72d30; }
.field-error { margin: 4px 0 0; color: #d72d30; font-size: 12px; } .field input[aria-invalid=true] { border-color: #d72d30; }
.button:disabled { opacity: .5; cursor: not-allowed; }
`;
