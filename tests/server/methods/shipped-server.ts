import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { KeyValueStore, ScheduleClient, TemplateClient } from '#server/platform';
import { FakeSchedule } from '../fakes/schedule';

/** The hand-written shim FDK ships; it requires server/lib, built by `tsc -p tsconfig.server.json`. */
const SERVER_FILE = resolve(__dirname, '../../../../server/server.js');

/** A server method as server/server.js exports it. */
export type ShippedMethod = (args: Record<string, unknown>) => Promise<void>;

/** The FDK globals a server method reaches for. */
export interface FdkGlobals {
  $request: TemplateClient;
  $db: KeyValueStore;
  renderData: (error: unknown, data?: unknown) => unknown;
  /** Event handlers use it, and server methods when they find the background refresh stopped; a FakeSchedule on the real clock when not given. */
  $schedule?: ScheduleClient;
}

/** Loads server/server.js the way FDK does: a bare `exports = {...}` run in a sandbox holding the FDK globals. */
export function loadShippedServer(globals: FdkGlobals): Record<string, ShippedMethod> {
  const sandbox: FdkGlobals & { exports: Record<string, ShippedMethod> } & Record<string, unknown> = {
    exports: {},
    $schedule: new FakeSchedule(Date.now),
    ...globals,
    console,
    require: createRequire(SERVER_FILE),
  };
  runInNewContext(readFileSync(SERVER_FILE, 'utf8'), sandbox, { filename: SERVER_FILE });
  return sandbox.exports;
}
