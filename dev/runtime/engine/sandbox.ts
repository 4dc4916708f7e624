import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createContext, runInContext, Script } from 'node:vm';
import type { Context } from 'node:vm';
import { EngineSetupError } from './app-package';

type HostFunction = (...args: never[]) => unknown;
type HostAsyncFunction = (...args: never[]) => Promise<unknown>;

/**
 * The host functions behind FDK's globals (besides `require` and `exports`, which the sandbox
 * adds). They must hand the sandbox values from its own realm (see ServerSandbox.toSandbox).
 */
export interface SandboxGlobals {
  $request: Record<string, HostAsyncFunction>;
  $db: Record<string, HostAsyncFunction>;
  $schedule: Record<string, HostAsyncFunction>;
  renderData: HostFunction;
  console: Record<string, HostFunction>;
}

/**
 * Builds, inside the sandbox, the functions and objects app code touches. A host-realm value
 * would expose the host's Function constructor (`$db.get.constructor('return process')()`); these
 * wrappers keep the host functions in closures and return the sandbox's own promises.
 */
const BRIDGE_SOURCE = `(function () {
  'use strict';
  function syncFunction(hostFn) {
    return function () { return hostFn.apply(undefined, arguments); };
  }
  function asyncFunction(hostFn) {
    return function () {
      const args = arguments;
      return new Promise(function (resolve, reject) { hostFn.apply(undefined, args).then(resolve, reject); });
    };
  }
  function object(hostMethods, wrap) {
    const result = {};
    Object.keys(hostMethods).forEach(function (name) { result[name] = wrap(hostMethods[name]); });
    return result;
  }
  return {
    syncFunction: syncFunction,
    asyncFunction: asyncFunction,
    syncObject: function (hostMethods) { return object(hostMethods, syncFunction); },
    asyncObject: function (hostMethods) { return object(hostMethods, asyncFunction); },
    call: function (fn, arg) { return function () { return fn(arg); }; },
    newModule: function () { return { exports: {} }; }
  };
})()`;

interface SandboxBridge {
  syncFunction<T extends HostFunction>(hostFn: T): T;
  syncObject(hostMethods: Record<string, HostFunction>): unknown;
  asyncObject(hostMethods: Record<string, HostAsyncFunction>): unknown;
  call(fn: (arg: unknown) => unknown, arg: unknown): () => unknown;
  newModule(): ModuleRecord;
}

const CALL_SLOT = '__fdkRuntimeCall';
const CALL_SCRIPT = new Script(`${CALL_SLOT}()`, { filename: 'fdk-runtime-call.js' });

type ModuleRecord = { exports: unknown };
type ModuleFactory = (exports: unknown, require: (specifier: string) => unknown, module: ModuleRecord) => void;

/** Where a module's own relative requires may reach: the app's server/ folder, or one npm package. */
interface ModuleScope {
  boundary: string;
  isAppCode: boolean;
}

function isInside(folder: string, file: string): boolean {
  const path = relative(folder, file);
  return path !== '' && !path.startsWith('..') && !path.startsWith(sep);
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function packageRoot(resolvedFile: string, name: string): string {
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = resolvedFile.lastIndexOf(marker);
  return at < 0 ? dirname(resolvedFile) : resolvedFile.slice(0, at + marker.length - 1);
}

/**
 * A vm context holding only FDK's serverless globals, and a CommonJS loader that runs every
 * required file inside it: relative files under server/, and the npm packages declared in
 * manifest.json `dependencies`. Node built-ins and undeclared packages throw like a missing module.
 */
export class ServerSandbox {
  readonly context: Context;
  private readonly cache = new Map<string, ModuleRecord>();
  private readonly sandboxJson: { parse(text: string): unknown };
  private readonly SandboxError: new (message: string) => Error & { code?: string };
  private readonly bridge: SandboxBridge;

  constructor(
    serverRoot: string,
    private readonly dependencies: ReadonlySet<string>,
    globals: SandboxGlobals,
  ) {
    // No strings-to-code: FDK forbids eval, and the sandbox should fail the same way.
    this.context = createContext({}, { codeGeneration: { strings: false, wasm: false } });
    this.sandboxJson = runInContext('JSON', this.context) as ServerSandbox['sandboxJson'];
    this.SandboxError = runInContext('Error', this.context) as ServerSandbox['SandboxError'];
    this.bridge = runInContext(BRIDGE_SOURCE, this.context) as SandboxBridge;
    Object.assign(this.context, {
      $request: this.bridge.asyncObject(globals.$request),
      $db: this.bridge.asyncObject(globals.$db),
      $schedule: this.bridge.asyncObject(globals.$schedule),
      renderData: this.bridge.syncFunction(globals.renderData),
      console: this.bridge.syncObject(globals.console),
      exports: this.bridge.newModule().exports,
      require: this.requireFor(join(serverRoot, 'server.js'), { boundary: serverRoot, isAppCode: true }),
    });
  }

  /** Copies a JSON value into the sandbox's realm, as FDK delivers payloads: plain sandbox objects. */
  toSandbox(value: unknown): unknown {
    return value === undefined ? undefined : this.sandboxJson.parse(JSON.stringify(value));
  }

  /**
   * Calls a sandboxed function from a script run with vm's watchdog, so a synchronous endless
   * loop ends after `timeoutMs` (ERR_SCRIPT_EXECUTION_TIMEOUT) instead of freezing the runtime.
   * The slot global exists only while the call's synchronous part runs.
   */
  callGuarded(fn: (arg: unknown) => unknown, arg: unknown, timeoutMs: number): unknown {
    this.context[CALL_SLOT] = this.bridge.call(fn, arg);
    try {
      return CALL_SCRIPT.runInContext(this.context, { timeout: Math.max(1, Math.floor(timeoutMs)) });
    } finally {
      delete this.context[CALL_SLOT];
    }
  }

  /** Runs server.js as FDK does (a script assigning the global `exports`) and returns that object. */
  runServerFile(file: string): Record<string, unknown> {
    new Script(readFileSync(file, 'utf8'), { filename: file }).runInContext(this.context);
    const exported: unknown = this.context['exports'];
    if (typeof exported !== 'object' || exported === null) {
      throw new EngineSetupError(`${file} must assign an object literal to exports: exports = { methodName: function (args) { ... } }`);
    }
    return exported as Record<string, unknown>;
  }

  private requireFor(fromFile: string, scope: ModuleScope): (specifier: string) => unknown {
    return this.bridge.syncFunction((specifier: string) => {
      if (typeof specifier !== 'string') {
        throw this.notFound(String(specifier), 'require needs a string');
      }
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        return this.load(this.resolveRelative(fromFile, specifier, scope), scope);
      }
      return this.requirePackage(fromFile, specifier, scope);
    });
  }

  private resolveRelative(fromFile: string, specifier: string, scope: ModuleScope): string {
    const base = resolve(dirname(fromFile), specifier);
    const found = [base, `${base}.js`, `${base}.json`, join(base, 'index.js')].find(isFile);
    if (found === undefined || !isInside(scope.boundary, found)) {
      throw this.notFound(specifier, scope.isAppCode ? 'relative requires must stay inside server/' : 'not found');
    }
    return found;
  }

  private requirePackage(fromFile: string, specifier: string, scope: ModuleScope): unknown {
    const name = packageName(specifier);
    if (isBuiltin(specifier)) {
      throw this.notFound(specifier, 'Node built-in modules are not available in the FDK sandbox');
    }
    if (scope.isAppCode && !this.dependencies.has(name)) {
      throw this.notFound(specifier, 'declare it in manifest.json "dependencies"');
    }
    let file: string;
    try {
      file = createRequire(fromFile).resolve(specifier);
    } catch {
      throw this.notFound(specifier, 'run npm install');
    }
    return this.load(file, { boundary: packageRoot(file, name), isAppCode: false });
  }

  private load(file: string, scope: ModuleScope): unknown {
    const cached = this.cache.get(file);
    if (cached !== undefined) {
      return cached.exports;
    }
    const module = this.bridge.newModule();
    this.cache.set(file, module);
    const source = readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      module.exports = this.sandboxJson.parse(source);
      return module.exports;
    }
    const wrapper = `(function (exports, require, module) {${source}\n})`;
    try {
      const factory = new Script(wrapper, { filename: file }).runInContext(this.context) as ModuleFactory;
      factory.call(module.exports, module.exports, this.requireFor(file, scope), module);
    } catch (error) {
      // As in Node: a module that failed to load is not cached half-initialised.
      this.cache.delete(file);
      throw error;
    }
    return module.exports;
  }

  private notFound(specifier: string, hint: string): Error {
    const error = new this.SandboxError(`Cannot find module '${specifier}' (${hint})`);
    error.code = 'MODULE_NOT_FOUND';
    return error;
  }
}
