import { restore, stub, type SinonStub } from 'sinon';

type ConsoleMethod = 'error' | 'warn' | 'log' | 'info' | 'debug';

/**
 * Stubs these methods of the process console around every test of the calling describe (respond()
 * logs each failure there, and so do the ./lib modules server.js requires through Node), which
 * also keeps the test output quiet. Returns what was logged so far, one JSON line per call.
 */
export function recordConsole(methods: readonly ConsoleMethod[]): () => string {
  let logs: SinonStub[] = [];
  beforeEach(() => {
    logs = methods.map((method) => stub(console, method));
  });
  afterEach(() => restore());
  return () => logs.flatMap((log) => log.getCalls().map((call) => JSON.stringify(call.args))).join('\n');
}
