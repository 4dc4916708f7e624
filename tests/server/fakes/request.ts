/**
 * A scripted stand-in for FDK's `$request`: replays answers per template name, in order, and
 * records every call (template name + context) so tests can assert the exact sequence.
 *
 *   const request = new FakeRequest()
 *     .script('listRoles', ok({ roles: [...] }))
 *     .script('listAgents', fail(429, { message: 'slow down' }, { 'Retry-After': '30' }), ok({ agents: [] }));
 *   await method(args, { request, store, reply });
 *   assert.deepEqual(request.names(), ['listRoles', 'listAgents', 'listAgents']);
 *
 * Non-2xx answers reject the way FDK Platform 3.0 is assumed to:
 * `{ status, headers, response, errorSource, attempts }` (or `message` for platform errors).
 * FDK's docs do not say so, so `new FakeRequest('resolve')` plays the other reading: a non-2xx
 * answer from Freshservice resolves `{ status, headers, response }` (platform errors still reject).
 */
import type { TemplateClient, TemplateInvocation, TemplateResponse } from '#server/platform';

export type TemplateContext = NonNullable<TemplateInvocation['context']>;

/** One scripted outcome: a Freshservice answer (any status) or a platform-side failure. */
export type ScriptedAnswer =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'platform'; status: number; message: string };

/** Computes an answer from the call's context (e.g. a page of a simulated account). */
export type Responder = (context: TemplateContext, callIndex: number) => ScriptedAnswer;

export interface RecordedCall {
  name: string;
  context: TemplateContext;
}

function bodyText(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** A 200 answer; `body` objects are serialized, strings are sent as is (use that for malformed JSON). */
export function ok(body: unknown, headers: Record<string, string> = {}): ScriptedAnswer {
  return { kind: 'answer', status: 200, headers, body: bodyText(body) };
}

/** A non-2xx answer from Freshservice (rejects with errorSource APP). */
export function fail(status: number, body: unknown = {}, headers: Record<string, string> = {}): ScriptedAnswer {
  return { kind: 'answer', status, headers, body: bodyText(body) };
}

/** A failure raised by the platform itself: 400 substitution, 403 URL not allowed, 429, 502 connection, 504 timeout. */
export function platformFailure(status: number, message: string): ScriptedAnswer {
  return { kind: 'platform', status, message };
}

export const timeout = (): ScriptedAnswer => platformFailure(504, 'Timeout error while processing the request.');
export const connectionError = (): ScriptedAnswer => platformFailure(502, 'Error while connecting to the host.');

/** A Link header pointing at the next page, as Freshservice sends it. */
export function linkToPage(page: number, path = '/api/v2/agents', perPage: number | null = 100): Record<string, string> {
  const query = perPage === null ? `page=${page}` : `page=${page}&per_page=${perPage}`;
  return { link: `<https://acme.freshservice.com${path}?${query}>; rel="next"` };
}

/** What a non-2xx answer from Freshservice does: the assumed reading, and the other one. */
export type NonSuccessReading = 'reject' | 'resolve';
export const NON_SUCCESS_READINGS: readonly NonSuccessReading[] = ['reject', 'resolve'];

export class FakeRequest implements TemplateClient {
  readonly calls: RecordedCall[] = [];
  /**
   * Templates called with nothing scripted. The rejection is an Error, which the client maps
   * to FRESHSERVICE_UNAVAILABLE like any unknown failure, so check this list when a test fails.
   */
  readonly unanswered: string[] = [];
  private readonly queues = new Map<string, ScriptedAnswer[]>();
  private readonly responders = new Map<string, Responder>();

  constructor(private readonly nonSuccess: NonSuccessReading = 'reject') {}

  /** Queues answers for a template, replayed in order. */
  script(name: string, ...answers: ScriptedAnswer[]): this {
    this.queues.set(name, [...(this.queues.get(name) ?? []), ...answers]);
    return this;
  }

  /** Answers a template from its context once its queue is empty. */
  respond(name: string, responder: Responder): this {
    this.responders.set(name, responder);
    return this;
  }

  names(): string[] {
    return this.calls.map((call) => call.name);
  }

  callsTo(name: string): RecordedCall[] {
    return this.calls.filter((call) => call.name === name);
  }

  invokeTemplate(name: string, invocation: TemplateInvocation): Promise<TemplateResponse> {
    const context = { ...(invocation.context ?? {}) };
    this.calls.push({ name, context });
    const answer = this.nextAnswer(name, context);
    if (!answer) {
      this.unanswered.push(name);
      return Promise.reject(new Error(`FakeRequest: no scripted answer left for template "${name}"`));
    }
    return settle(answer, this.nonSuccess);
  }

  private nextAnswer(name: string, context: TemplateContext): ScriptedAnswer | undefined {
    const queued = this.queues.get(name)?.shift();
    if (queued) {
      return queued;
    }
    const responder = this.responders.get(name);
    return responder ? responder(context, this.callsTo(name).length - 1) : undefined;
  }
}

function settle(answer: ScriptedAnswer, nonSuccess: NonSuccessReading): Promise<TemplateResponse> {
  if (answer.kind === 'platform') {
    return Promise.reject({ status: answer.status, headers: {}, message: answer.message, errorSource: 'PLATFORM', attempts: 1 });
  }
  if ((answer.status >= 200 && answer.status < 300) || nonSuccess === 'resolve') {
    return Promise.resolve({ status: answer.status, headers: answer.headers, response: answer.body });
  }
  return Promise.reject({ status: answer.status, headers: answer.headers, response: answer.body, errorSource: 'APP', attempts: 1 });
}
