import { toErrorBody } from './errors';
import type { Reply } from './platform';

/**
 * Runs a server method's work and answers through `renderData` exactly once.
 * Logs only the error code and status: never args, iparams or payloads.
 */
export async function respond<T>(methodName: string, reply: Reply, work: () => Promise<T>): Promise<void> {
  try {
    const data = await work();
    reply(null, data);
  } catch (error) {
    const body = toErrorBody(error);
    console.error(`${methodName} failed: ${body.code} (${body.status})`);
    reply(body);
  }
}
