/**
 * The local FDK runtime behind `npm start`: the host (shell pages, app origin, client
 * library, /custom_configs) around the engine (server methods, request templates) and, by
 * default, the embedded Freshservice simulator. docs/runtime.md describes it.
 */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../simulator/index';
import { createAppEngine, type AppEngine } from './engine/index';
import { startHost } from './host';
import type { MemoryKeyValueStore } from './kv-store';

export { RuntimeStartupError } from './startup-error';

export interface RuntimeOptions {
  /** 0 = a free port; default: env PORT or 10001. */
  port?: number;
  /** Default: the repository root. */
  appRoot?: string;
  /** Default: <appRoot>/.fdk */
  dataDir?: string;
  /** Embedded simulator options (default: its demo account). */
  simulator?: SimulatorOptions;
  /** Use this Freshservice instead of the embedded simulator. */
  freshservice?: { url: string; domain: string; apiKey: string };
  log?: (line: string) => void;
  /** Told each start-up step as it begins (npm start prints them). */
  progress?: (step: string) => void;
}

export interface RunningRuntime {
  /** http://localhost:PORT, the "Freshservice" agent portal. */
  shellUrl: string;
  /** http://127.0.0.1:PORT, a different origin: app iframes are served from here. */
  appOrigin: string;
  simulator: RunningSimulator | null;
  engine: AppEngine;
  /**
   * The installation's $db, which the server's `$db` and every app page's `client.db` reach:
   * `operations` lists every operation made on it, `snapshot()` what it holds (neither counts
   * against its 50 operations a minute).
   */
  store: MemoryKeyValueStore;
  /** Closes everything, including the embedded simulator. */
  stop(): Promise<void>;
}

export function startRuntime(options: RuntimeOptions = {}): Promise<RunningRuntime> {
  return startHost(options, { createEngine: createAppEngine, startSimulator });
}
