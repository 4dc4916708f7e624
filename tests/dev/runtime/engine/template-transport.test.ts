import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { realTimers } from '../../../../dev/runtime/engine/limits';
import { TemplateTransport, type OutgoingTemplateRequest } from '../../../../dev/runtime/engine/template-transport';

/**
 * A server that answers the first request on each connection and resets the connection on the
 * next one, as a server does when its keep-alive timeout ends a connection just as the client
 * sends on it again.
 */
function resettingServer(): Promise<{ server: Server; url: string; connections: () => number; answered: () => number }> {
  const requestsOn = new Map<Socket, number>();
  let answered = 0;
  const server = createServer((request, response) => {
    const count = (requestsOn.get(request.socket) ?? 0) + 1;
    requestsOn.set(request.socket, count);
    if (count > 1) {
      request.socket.resetAndDestroy();
      return;
    }
    answered += 1;
    response.writeHead(200, { 'Content-Type': 'application/json', Connection: 'keep-alive' }).end('{"ok":true}');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/api/v2/agents`, connections: () => requestsOn.size, answered: () => answered });
    });
  });
}

describe('engine: template transport (keep-alive connections)', () => {
  let transport: TemplateTransport;
  let stub: Awaited<ReturnType<typeof resettingServer>>;

  beforeEach(async () => {
    transport = new TemplateTransport({ timeoutMs: 10_000, maxResponseBytes: 1024 * 1024, timers: realTimers });
    stub = await resettingServer();
  });

  afterEach(async () => {
    transport.close();
    stub.server.closeAllConnections();
    await new Promise((resolve) => stub.server.close(resolve));
  });

  const request = (method: string): OutgoingTemplateRequest => ({ url: new URL(stub.url), method, headers: {}, body: undefined });

  it('sends a GET again on a new connection when the server resets the kept-alive one it reused', async () => {
    assert.equal((await transport.send(request('GET'))).kind, 'response');
    const second = await transport.send(request('GET'));
    assert.deepEqual(second.kind === 'response' ? [second.status, second.body] : second, [200, '{"ok":true}']);
    assert.equal(stub.connections(), 2, 'the second request went out again on a new connection');
    assert.equal(stub.answered(), 2);
  });

  it('reports a POST on a reset connection as a network failure (the server may have acted on it)', async () => {
    assert.equal((await transport.send(request('POST'))).kind, 'response');
    assert.deepEqual(await transport.send(request('POST')), { kind: 'network', reason: 'ECONNRESET' });
    assert.equal(stub.connections(), 1);
  });
});
