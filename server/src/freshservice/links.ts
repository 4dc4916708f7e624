import type { AgentId } from '../../../common/audit';

/**
 * Path, on the Freshservice host, of an agent's admin page (where the Permissions tab and its
 * "API key" toggle live). Freshservice documents no URL for it: the admin UI's agent pages sit
 * under /agents (a new agent is /agents/new), so the edit page is assumed to be
 * /agents/{id}/edit. This is the one place to change it; the local runtime serves the same path.
 */
export function permissionsPathFor(agentId: AgentId): string {
  return `/agents/${agentId}/edit`;
}
