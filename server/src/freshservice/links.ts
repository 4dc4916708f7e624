import type { AgentId } from '../../../common/audit';

/**
 * Path, on the Freshservice host, of an agent's admin page (where the Permissions tab and its
 * "API key" toggle live). Freshservice documents no URL for it. The strongest evidence found is
 * weak: a 2022 proof of concept shows the admin UI's agent pages under /agents (a new agent is
 * /agents/new), whence /agents/{id}/edit by the framework's convention, and a rewrite of an old
 * help article shows /admin/agents/{id} for an agent's profile. So the widget calls the link the
 * app's best guess and always gives the menu path Freshservice's own articles document (Admin >
 * Global Settings > User Management > Agents > the agent > Permissions). This is the one place to
 * change it; the local runtime serves the same path.
 */
export function permissionsPathFor(agentId: AgentId): string {
  return `/agents/${agentId}/edit`;
}
