import type { AgentId } from '../../../common/audit';
import { AppError } from '../errors';
import type { TemplateClient } from '../platform';
import { callTemplate, type FreshserviceAnswer } from './client';
import { agentListSchema, singleAgentSchema, type FreshserviceAgent } from './schemas';
import { TEMPLATES } from './templates';

/**
 * The agent id as the getAgent template's path segment: a positive whole number, never text that
 * could reach another path (`%2e%2e%2f`). Payloads are checked before this; this is the last guard.
 */
function agentPathSegment(id: AgentId): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new AppError(400, 'INVALID_PAYLOAD', `The request to the app is invalid: "${String(id).slice(0, 40)}" is not an agent id (a positive whole number).`);
  }
  return id;
}

/** Reads one agent by id; rejects AppError NOT_FOUND (404) when no agent has it. */
export async function readAgent(request: TemplateClient, id: AgentId): Promise<FreshserviceAgent> {
  const answer = await callTemplate(request, TEMPLATES.getAgent, { agent_id: agentPathSegment(id) }, 'the agent lookup', singleAgentSchema);
  return answer.data.agent;
}

/** The agent with this email (active or deactivated), or null when the address is not an agent's. */
export async function findAgentByEmail(request: TemplateClient, email: string): Promise<FreshserviceAgent | null> {
  const answer = await callTemplate(request, TEMPLATES.findAgentByEmail, { email }, 'the agent search by email', agentListSchema);
  const wanted = email.toLowerCase();
  return answer.data.agents.find((agent) => agent.email.toLowerCase() === wanted) ?? null;
}

export type AgentListAnswer = FreshserviceAnswer<{ agents: FreshserviceAgent[] }>;

/** One page of up to 100 agents; `active` false reads deactivated agents only. */
export function readAgentPage(request: TemplateClient, page: number, active: boolean): Promise<AgentListAnswer> {
  return callTemplate(request, TEMPLATES.listAgents, { page, active }, 'the list of agents', agentListSchema);
}
