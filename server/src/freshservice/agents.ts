import type { AgentId } from '../../../common/audit';
import type { TemplateClient } from '../platform';
import { callTemplate, type FreshserviceAnswer } from './client';
import { agentListSchema, type FreshserviceAgent } from './schemas';
import { TEMPLATES } from './templates';

/**
 * A person as the browser names them: the id it says, and their email. Agents are read by email
 * (the list of agents takes `email` as a query parameter) because any agent can invoke any of the
 * app's request templates with any context: a template with a browser's value in its path could
 * be pointed at another endpoint (`../tickets`), and FDK does not document that it encodes one.
 */
export interface AgentRef {
  id: AgentId;
  email: string;
}

/** The agent with this email (active or deactivated), or null when the address is not an agent's. */
export async function findAgentByEmail(request: TemplateClient, email: string): Promise<FreshserviceAgent | null> {
  const answer = await callTemplate(request, TEMPLATES.findAgentByEmail, { email }, 'the agent search by email', agentListSchema);
  const wanted = email.toLowerCase();
  return answer.data.agents.find((agent) => agent.email.toLowerCase() === wanted) ?? null;
}

/**
 * The agent `ref` names (one template request): found by email and holding that id. Null when the
 * email is no agent's (a requester) or belongs to another agent (a stale or forged claim, never
 * followed).
 */
export async function agentNamed(request: TemplateClient, ref: AgentRef): Promise<FreshserviceAgent | null> {
  const agent = await findAgentByEmail(request, ref.email);
  if (agent !== null && agent.id !== ref.id) {
    console.warn('agents: the email sent for an agent belongs to another agent; treated as no agent');
    return null;
  }
  return agent;
}

export type AgentListAnswer = FreshserviceAnswer<{ agents: FreshserviceAgent[] }>;

/** One page of up to 100 agents; `active` false reads deactivated agents only. */
export function readAgentPage(request: TemplateClient, page: number, active: boolean): Promise<AgentListAnswer> {
  return callTemplate(request, TEMPLATES.listAgents, { page, active }, 'the list of agents', agentListSchema);
}
