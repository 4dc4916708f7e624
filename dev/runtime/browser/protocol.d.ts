/**
 * Messages between an app iframe (served from the app origin) and the shell page (the
 * "Freshservice" origin). They cross only by postMessage; each side checks the other's origin.
 */
interface RuntimeRequestMessage {
  fdkRuntime: 'request';
  id: number;
  method: string;
  args: unknown[];
}

interface RuntimeReplyMessage {
  fdkRuntime: 'reply';
  id: number;
  ok: boolean;
  value: unknown;
}

interface RuntimeEventMessage {
  fdkRuntime: 'event';
  name: string;
}

/** What another instance sent with `client.instance.send`: `{ sender, message }`. */
interface RuntimeReceiveMessage {
  fdkRuntime: 'receive';
  data: unknown;
}

type RuntimeMessage = RuntimeRequestMessage | RuntimeReplyMessage | RuntimeEventMessage | RuntimeReceiveMessage;
