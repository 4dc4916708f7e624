/**
 * The HTTP host of the local runtime: one port, two origins. http://localhost:PORT is the
 * "Freshservice" shell; http://127.0.0.1:PORT is the app origin its iframes load from, so app
 * code cannot touch the shell's globals. Dependencies (engine, simulator) come in as
 * functions, so tests can run the host against stubs; index.ts wires the real ones.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { KeyValueStore } from '../../server/src/platform';
import { directoryOfFreshservice, directoryOfSimulator, type AccountDirectory } from './account';
import { createAppSite, type AppSite } from './app-pages';
import { readAppPlaceholders } from './app-manifest';
import { createBridge, type BridgeEngine } from './bridge-api';
import { GENERATED_IPARAMS_FILE, SIMULATOR_TARGET_TAG, generatedSecrets, loadSavedIparams, readEnvironment, readFreshserviceIparams, readIparamDefinitions, type FreshserviceTarget, type IparamDefinitions } from './config';
import type { FreshserviceIparams } from './engine/freshservice-iparams';
import type { EventOutcome, SchedulePersistence } from './engine/index';
import { InstallationRecord } from './installation';
import { createKeyValueStore, type MemoryKeyValueStore } from './kv-store';
import { scheduleFile } from './schedule-file';
import { createShellSite, type ShellHandler } from './shell-site';
import { RuntimeStartupError } from './startup-error';

export interface HostEngineOptions {
  appRoot: string;
  iparams: Record<string, unknown>;
  store: KeyValueStore;
  /** Where `$schedule` keeps the installation's schedules between starts. */
  schedules?: SchedulePersistence;
  freshserviceUrl?: string;
  log?: (line: string) => void;
}

export interface HostEngine extends BridgeEngine {
  setIparams(iparams: Record<string, unknown>): void;
  invokeEvent(name: string, payload: Record<string, unknown>): Promise<EventOutcome>;
  close(): Promise<void>;
}

/** A user event the embedded simulator sends when its control API changes an agent. */
export interface HostUserEvent {
  name: string;
  payload: Record<string, unknown>;
}

export interface HostSimulator {
  url: string;
  account: { domain: string; agents: unknown[]; roles: unknown[] };
  keys: { key: string; agentId: number; label: string }[];
  /** The runtime delivers these to the app; the control answer waits for the delivery. */
  onUserEvent?(listener: (event: HostUserEvent) => unknown): () => void;
  stop(): Promise<void>;
}

export interface HostDependencies<Engine extends HostEngine, Simulator extends HostSimulator, SimulatorOptions> {
  createEngine(options: HostEngineOptions): Promise<Engine>;
  startSimulator(options?: SimulatorOptions): Promise<Simulator>;
}

export interface HostOptions<SimulatorOptions> {
  port?: number;
  appRoot?: string;
  dataDir?: string;
  simulator?: SimulatorOptions;
  freshservice?: FreshserviceTarget;
  log?: (line: string) => void;
  /** Told each start-up step as it begins (npm start prints them); default: nothing. */
  progress?: (step: string) => void;
}

export interface RunningHost<Engine, Simulator> {
  shellUrl: string;
  appOrigin: string;
  simulator: Simulator | null;
  engine: Engine;
  /** The installation's $db: what the server's `$db` and every app page's `client.db` reach. */
  store: MemoryKeyValueStore;
  stop(): Promise<void>;
}

export const DEFAULT_PORT = 10001;
/** build/dev/runtime/ -> the repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Compiled by tsconfig.runtime-browser.json. */
export const BROWSER_SCRIPTS = resolve(REPO_ROOT, 'build', 'runtime-browser');

const BUILD_MISSING = 'The app is not built. Run `npm run build` (or `npm start`, which builds first), then start again.';

/** Sources without their compiled output mean someone skipped the build. */
function checkBuild(appRoot: string): void {
  const pairs: [string, string][] = [
    ['app/src', 'app/scripts'],
    ['server/src', 'server/lib'],
  ];
  for (const [source, output] of pairs) {
    if (existsSync(join(appRoot, source)) && !existsSync(join(appRoot, output))) {
      throw new RuntimeStartupError(`${output}/ is missing. ${BUILD_MISSING}`);
    }
  }
  if (!['client.js', 'shell.js', 'install-page.js'].every((script) => existsSync(join(BROWSER_SCRIPTS, script)))) {
    throw new RuntimeStartupError(`The runtime's browser scripts (build/runtime-browser/) are missing. ${BUILD_MISSING}`);
  }
}

/** The demo key labelled exactly "Account Admin" (others mention it too: "not Account Admin"); else the first key. */
function accountAdminKey(simulator: HostSimulator): string {
  const key = simulator.keys.find((entry) => entry.label === 'Account Admin') ?? simulator.keys[0];
  if (key === undefined) {
    throw new RuntimeStartupError('The simulator account has no API keys. Start it with its demo account (no `agents` option).');
  }
  return key.key;
}

/**
 * Installation values for the target: the iparams the request templates use as the Freshservice
 * subdomain get its subdomain, those sent in their headers its key (Platform 3.0 types them "text"),
 * others their default; a secure one left without a value (the storage secret) is generated, as the
 * installation page would (config.ts generatedSecrets).
 */
function defaultIparams(definitions: IparamDefinitions, roles: FreshserviceIparams, target: FreshserviceTarget, secretsFile: string, tag: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const [name, definition] of Object.entries(definitions)) {
    if (roles.domain.includes(name)) {
      values[name] = target.domain;
    } else if (roles.apiKey.includes(name)) {
      values[name] = target.apiKey;
    } else if (definition.default_value !== undefined) {
      values[name] = definition.default_value;
    } else if (definition.secure === true) {
      secrets.push(name);
    }
  }
  return { ...values, ...generatedSecrets(secretsFile, tag, secrets) };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolvePort(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function portError(error: unknown, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new RuntimeStartupError(`Port ${port} is already in use (another \`npm start\` or \`fdk run\`?). Stop that process, or pick another port: PORT=${port + 1} npm start`);
  }
  if (code === 'EACCES') {
    return new RuntimeStartupError(`Port ${port} needs privileges this user does not have. Pick a port above 1024: PORT=10001 npm start`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** 127.0.0.1 (both origins), and ::1 on the same port when the machine has it: browsers may try localhost there first. */
async function listenOnLoopback(handler: (request: IncomingMessage, response: ServerResponse) => void, requestedPort: number): Promise<{ port: number; servers: Server[] }> {
  const ipv4 = createServer(handler);
  const port = await listen(ipv4, requestedPort, '127.0.0.1').catch((error: unknown) => {
    throw portError(error, requestedPort);
  });
  const ipv6 = createServer(handler);
  const servers = (await listen(ipv6, port, '::1').then(() => true, () => false)) ? [ipv4, ipv6] : [ipv4];
  return { port, servers };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

/** Why an installation event that was delivered did not complete, for the log and the settings page. */
function refusalOf(outcome: EventOutcome): string | null {
  return outcome.delivered && !outcome.ok ? `${outcome.status}${outcome.message === null ? '' : `: ${outcome.message}`}` : null;
}

/** Delivers onAppInstall and records the installation unless the app refuses it; answers the refusal, or null. */
async function install(engine: HostEngine, installations: InstallationRecord, target: Target, settingsSaved: boolean): Promise<string | null> {
  const refusal = refusalOf(await engine.invokeEvent('onAppInstall', {}));
  if (refusal === null) {
    installations.recordInstall(target.tag, settingsSaved);
  }
  return refusal;
}

/**
 * FDK's app set-up event for this start (docs/runtime.md): onAppInstall the first time this data
 * directory runs the app on this Freshservice. A later start stands for an update of the app,
 * which the platform makes automatically for an app without an afterAppUpdate handler (Freshworks'
 * app set-up events reference, freshworks-platform3 `references/architecture/app_setup_events_doc.md`:
 * an app with one "is not automatically moved to the latest version"): no event, and the
 * installation's data and schedules carry on. An installation the app refuses
 * (`renderData({ message })`) is not recorded, so the next start offers it again.
 */
async function deliverSetUpEvent(engine: HostEngine, installations: InstallationRecord, target: Target, settingsSaved: boolean, log: (line: string) => void): Promise<void> {
  if (installations.isInstalled(target.tag)) {
    return;
  }
  const refusal = await install(engine, installations, target, settingsSaved);
  if (refusal !== null) {
    log(`onAppInstall did not complete (${refusal}): Freshservice would not install the app. The runtime serves it anyway and offers onAppInstall again on the next start or settings save.`);
  }
}

/**
 * The first save of /custom_configs is the installation page's Install: onAppInstall with the
 * new settings (already applied). A refusal is the message the settings page shows; FDK would
 * not install, so nothing is saved.
 */
async function installOnFirstSave(engine: HostEngine, installations: InstallationRecord, target: Target): Promise<string | null> {
  if (installations.hasSavedSettings(target.tag)) {
    return null;
  }
  const refusal = await install(engine, installations, target, true);
  return refusal === null ? null : `The app did not complete its installation (${refusal}). Nothing was saved.`;
}

interface Sites {
  app: AppSite;
  shell: ShellHandler;
}

interface Target {
  freshservice: FreshserviceTarget;
  /** Saved /custom_configs values apply only to the Freshservice they were saved for. */
  tag: string;
}

async function startTarget<Simulator extends HostSimulator, SimulatorOptions>(
  options: HostOptions<SimulatorOptions>,
  deps: HostDependencies<HostEngine, Simulator, SimulatorOptions>,
): Promise<{ target: Target; simulator: Simulator | null; directory: AccountDirectory }> {
  if (options.freshservice !== undefined) {
    const freshservice = options.freshservice;
    return { target: { freshservice, tag: `${freshservice.url}#${freshservice.domain}` }, simulator: null, directory: directoryOfFreshservice(freshservice) };
  }
  const simulator = await deps.startSimulator(options.simulator);
  try {
    const freshservice = { url: simulator.url, domain: simulator.account.domain, apiKey: accountAdminKey(simulator) };
    return { target: { freshservice, tag: SIMULATOR_TARGET_TAG }, simulator, directory: directoryOfSimulator(simulator, freshservice.apiKey) };
  } catch (error) {
    await simulator.stop();
    throw error;
  }
}

export async function startHost<Engine extends HostEngine, Simulator extends HostSimulator, SimulatorOptions>(
  options: HostOptions<SimulatorOptions>,
  deps: HostDependencies<Engine, Simulator, SimulatorOptions>,
): Promise<RunningHost<Engine, Simulator>> {
  const appRoot = resolve(options.appRoot ?? REPO_ROOT);
  const dataDir = resolve(options.dataDir ?? join(appRoot, '.fdk'));
  const log = options.log ?? ((line: string) => console.log(line));
  const requestedPort = options.port ?? readEnvironment({ PORT: process.env['PORT'] }).port ?? DEFAULT_PORT;
  checkBuild(appRoot);
  const placeholders = readAppPlaceholders(appRoot);
  const definitions = readIparamDefinitions(join(appRoot, 'config', 'iparams.json'));
  const configFile = join(dataDir, 'custom_configs.json');
  const progress = options.progress ?? (() => undefined);

  if (options.freshservice === undefined) {
    progress('starting the built-in Freshservice simulator …');
  }
  const { target, simulator, directory } = await startTarget(options, deps);
  if (simulator !== null) {
    progress(`simulator ready at ${simulator.url}: ${simulator.account.agents.length} agents, ${simulator.account.roles.length} roles`);
  }
  const cleanups: (() => Promise<void>)[] = simulator === null ? [] : [() => simulator.stop()];
  // Last started, first stopped; a second stop() finds nothing left to do.
  const cleanUp = async (): Promise<void> => {
    for (const step of cleanups.splice(0).reverse()) {
      await step();
    }
  };
  try {
    const roles = readFreshserviceIparams(join(appRoot, 'config', 'requests.json'));
    const saved = loadSavedIparams(configFile, target.tag);
    const iparams = { ...defaultIparams(definitions, roles, target.freshservice, join(dataDir, GENERATED_IPARAMS_FILE), target.tag), ...saved };
    const installations = new InstallationRecord(join(dataDir, 'installation.json'));
    const store = createKeyValueStore({ file: join(dataDir, 'db.json') });
    progress('loading the app (manifest.json, config/, server/server.js) …');
    const engine = await deps.createEngine({ appRoot, iparams, store, schedules: scheduleFile(join(dataDir, 'schedules.json')), freshserviceUrl: target.freshservice.url, log });
    cleanups.push(() => engine.close());
    progress(installations.isInstalled(target.tag) ? 'installed by an earlier start: no set-up event (as after an automatic update), the schedules carry on …' : `delivering onAppInstall (the first start with ${dataDir}) …`);
    await deliverSetUpEvent(engine, installations, target, Object.keys(saved).length > 0, log);
    const stopListening = simulator?.onUserEvent?.((event) => engine.invokeEvent(event.name, event.payload));
    if (stopListening !== undefined) {
      cleanups.push(() => Promise.resolve(stopListening()));
    }

    let site: Sites | null = null;
    let port = requestedPort;
    const handler = (request: IncomingMessage, response: ServerResponse): void => {
      void route(request, response, port, site);
    };
    const listening = await listenOnLoopback(handler, requestedPort);
    port = listening.port;
    cleanups.push(...listening.servers.map((server) => () => closeServer(server)));

    const shellUrl = `http://localhost:${port}`;
    const appOrigin = `http://127.0.0.1:${port}`;
    site = {
      app: createAppSite({ appRoot, appOrigin, shellOrigin: shellUrl, clientScript: join(BROWSER_SCRIPTS, 'client.js') }),
      shell: createShellSite({
        shellUrl,
        appOrigin,
        appRoot,
        placeholders,
        definitions,
        directory,
        bridge: createBridge(engine, store),
        iparams: { current: iparams, configFile, tag: target.tag, apply: (next) => engine.setIparams(next), beforeSave: () => installOnFirstSave(engine, installations, target) },
        shellScript: join(BROWSER_SCRIPTS, 'shell.js'),
        installPageScript: join(BROWSER_SCRIPTS, 'install-page.js'),
        log,
      }),
    };
    return { shellUrl, appOrigin, simulator, engine, store, stop: cleanUp };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  site: Sites | null,
): Promise<void> {
  const url = new URL(request.url ?? '/', `http://localhost:${port}`);
  const host = request.headers.host;
  try {
    if (site === null) {
      response.writeHead(503).end('Starting');
    } else if (host === `127.0.0.1:${port}` && request.method === 'GET' && site.app.handle(url.pathname, response)) {
      return;
    } else if (host === `localhost:${port}`) {
      await site.shell(request, response, url);
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Not found. Open http://localhost:${port}`);
    }
  } catch (error) {
    if (!response.headersSent) {
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    response.end(`The local runtime failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
