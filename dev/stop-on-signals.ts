/**
 * What both dev tools (`npm start`, `npm run simulator`) do on Ctrl+C (SIGINT) or SIGTERM: stop
 * the server, then exit 0 when it stopped cleanly and 1 when stopping failed.
 */
export function stopOnSignals(server: { stop(): Promise<void> }): void {
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
