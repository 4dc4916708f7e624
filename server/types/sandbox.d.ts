/**
 * The FDK serverless sandbox's globals, as seen by server/src when it is compiled for
 * shipping (tsconfig.server.json). Only `console` is declared: no process, Buffer or
 * timers exist there, so code that uses them fails this compile.
 */
declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
};
