import type { AgentAccess, UserAccess, UserAccessPayload } from '../../../common/audit';
import { toAgentAccess } from '../freshservice/access';
import { findAgentByEmail } from '../freshservice/agents';
import { permissionsPathFor } from '../freshservice/links';
import { currentRoles } from '../freshservice/roleCache';
import { catalogOf, type RoleCatalog } from '../freshservice/roles';
import type { TemplateClient } from '../platform';
import type { Storage } from '../store/storage';

export interface UserAccessDeps {
  request: TemplateClient;
  storage: Storage;
  /** Milliseconds since the epoch, to judge the stored roles' age; the real clock when absent. */
  now?: () => number;
}

/**
 * One user's access, by email (a user who is no agent is a requester): at most two template
 * requests (the agent, and the roles unless cached), made concurrently.
 */
export async function userAccess(lookup: UserAccessPayload, deps: UserAccessDeps): Promise<UserAccess> {
  const [agent, roles] = await Promise.all([findAgentByEmail(deps.request, lookup.email), currentRoles({ request: deps.request, storage: deps.storage, now: deps.now ?? Date.now })]);
  const catalog = catalogOf(roles);
  if (!agent) {
    return { kind: 'requester', agent: null, accountAdminRole: catalog.accountAdminRole, permissionsPath: null };
  }
  return agentUserAccess(toAgentAccess(agent, catalog), catalog);
}

/** An agent's access as the sidebar shows it. */
export function agentUserAccess(agent: AgentAccess, catalog: RoleCatalog): UserAccess {
  return {
    kind: 'agent',
    agent,
    accountAdminRole: catalog.accountAdminRole,
    permissionsPath: permissionsPathFor(agent.id),
  };
}
