import { forgetAgent, setActive, setRoles, type AgentChangeContext } from './agent-changes';
import type { DemoKey } from './demo-account';
import type { Faults } from './faults';
import type { RateLimiter } from './rate-limits';
import { controlAnswer as ok, jsonReply, methodNotAllowed, readControlBody, type SimReply } from './responses';
import { partialFaultSettingsSchema } from './schema';

/**
 * The simulator's own control endpoints under /_simulator (never part of Freshservice's
 * API, never rate limited, never faulted), so browser tests and the local runtime can set
 * faults on a simulator running in another process, and change agents as an admin would
 * (agent-changes.ts), which sends Freshservice's user events to in-process listeners.
 */

export const CONTROL_PREFIX = '/_simulator';

export interface ControlContext {
  faults: Faults;
  limiter: RateLimiter;
  keys: readonly DemoKey[];
  agents: AgentChangeContext;
}

export interface ControlRequest {
  method: string;
  pathname: string;
  body: string;
}

type ControlAnswer = SimReply | Promise<SimReply>;

function setFaults(context: ControlContext, body: string): SimReply {
  const read = readControlBody(partialFaultSettingsSchema, body, 'fault settings (a partial FaultSettings object)');
  return read.ok ? ok(context.faults.update(read.value)) : read.reply;
}

function resetAll(context: ControlContext): SimReply {
  context.faults.reset();
  context.limiter.reset();
  return ok({ faults: context.faults.settings(), rateLimits: 'reset' });
}

function resetLimits(context: ControlContext): SimReply {
  context.limiter.reset();
  return ok({ rateLimits: 'reset' });
}

const endpoints: Record<string, Partial<Record<string, (context: ControlContext, body: string) => SimReply>>> = {
  '/faults': { GET: (context) => ok(context.faults.settings()), POST: setFaults },
  '/reset': { POST: resetAll },
  '/rate-limits/reset': { POST: resetLimits },
  '/keys': { GET: (context) => ok(context.keys) },
};

/** /_simulator/agents/{id}[/roles|/deactivate|/reactivate] */
const AGENT_ROUTE = /^\/agents\/(\d+)(?:\/(roles|deactivate|reactivate))?$/;

const agentEndpoints: Record<string, Partial<Record<string, (context: ControlContext, id: number, body: string) => ControlAnswer>>> = {
  '': { DELETE: (context, id, body) => forgetAgent(context.agents, id, body) },
  roles: { PUT: (context, id, body) => setRoles(context.agents, id, body) },
  deactivate: { POST: (context, id, body) => setActive(context.agents, id, false, body) },
  reactivate: { POST: (context, id, body) => setActive(context.agents, id, true, body) },
};

function answerAgent(context: ControlContext, request: ControlRequest, match: RegExpExecArray): ControlAnswer {
  const methods = agentEndpoints[match[2] ?? ''] ?? {};
  const handler = methods[request.method];
  return handler === undefined ? methodNotAllowed(request.method, Object.keys(methods)) : handler(context, Number(match[1]), request.body);
}

export function answerControl(context: ControlContext, request: ControlRequest): ControlAnswer {
  const path = request.pathname.slice(CONTROL_PREFIX.length);
  const agent = AGENT_ROUTE.exec(path);
  if (agent !== null) {
    return answerAgent(context, request, agent);
  }
  const methods = endpoints[path];
  if (methods === undefined) {
    return jsonReply(404, JSON.stringify({ code: 'not_found', message: `No simulator endpoint ${request.pathname}; see docs/simulator.md.` }));
  }
  const handler = methods[request.method];
  return handler === undefined ? methodNotAllowed(request.method, Object.keys(methods)) : handler(context, request.body);
}
