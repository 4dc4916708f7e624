import type { AgentId } from '../../../common/audit';
import type { TemplateClient } from '../platform';
import { callTemplate, type FreshserviceAnswer } from './client';
import { agentListSchema, singleAgentSchema, type FreshserviceAgent } from './schemas';
import { TEMPLATES } from './templates';

/** Reads one agent by id; rejects AppError NOT_FOUND (404) when no agent has it. */
export async function readAgent(request: TemplateClient, id: AgentId): Promise<FreshserviceAgent> {
  const answer = await callTemplate(request, TEMPLATES.getAgent, { agent_id: id }, 'the agent lookup', singleAgentSchema);
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
