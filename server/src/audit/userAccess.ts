import type { AgentAccess, UserAccess } from '../../../common/audit';
import { AppError } from '../errors';
import { toAgentAccess } from '../freshservice/access';
import { findAgentByEmail, readAgent } from '../freshservice/agents';
import { permissionsPathFor } from '../freshservice/links';
import { currentRoles } from '../freshservice/roleCache';
import { catalogOf, type RoleCatalog } from '../freshservice/roles';
import type { FreshserviceAgent } from '../freshservice/schemas';
import type { TemplateClient } from '../platform';
import type { Storage } from '../store/storage';

export interface UserAccessDeps {
  request: TemplateClient;
  storage: Storage;
  /** Milliseconds since the epoch, to judge the stored roles' age; the real clock when absent. */
  now?: () => number;
}

export interface UserAccessLookup {
  userId?: number | undefined;
  email?: string | undefined;
}

/** On the user page the viewed user exists, so "no agent with this id" means a requester. */
export async function agentOrNull(request: TemplateClient, userId: number): Promise<FreshserviceAgent | null> {
  try {
    return await readAgent(request, userId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      return null;
    }
    throw error;
  }
}

function lookUp(request: TemplateClient, lookup: UserAccessLookup): Promise<FreshserviceAgent | null> {
  return lookup.userId !== undefined ? agentOrNull(request, lookup.userId) : findAgentByEmail(request, lookup.email ?? '');
}

/**
 * One user's access for the profile sidebar, by id (preferred) or email: at most two template
 * requests (the agent, and the roles unless cached), made concurrently.
 */
export async function userAccess(lookup: UserAccessLookup, deps: UserAccessDeps): Promise<UserAccess> {
  const [agent, roles] = await Promise.all([lookUp(deps.request, lookup), currentRoles({ request: deps.request, storage: deps.storage, now: deps.now ?? Date.now })]);
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
