/**
 * Loaded by `npm test` in every mocha process (`--require`); acts only in mocha's parallel
 * workers (MOCHA_WORKER_ID set).
 *
 * c8 reads the V8 coverage each process writes while it exits. When mocha ends the run, its worker
 * pool asks every worker to exit and sends SIGTERM to one that has not exited a second later; a
 * worker that ran many files takes longer than that to write its coverage on a busy machine, and
 * the default SIGTERM kills it halfway, so c8 would report that worker's files as never run.
 * With a handler installed, a SIGTERM that arrives during that exit waits until the coverage is
 * written; one that arrives earlier still ends the worker at once (and writes its coverage).
 */
if (process.env['MOCHA_WORKER_ID'] !== undefined) {
  process.on('SIGTERM', () => process.exit(143));
}
