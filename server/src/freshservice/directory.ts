import type { AgentDirectory } from '../directory';
import type { Platform } from '../platform';
import { toAgentAccess } from './access';
import { readAgent } from './agents';
import { currentRoles } from './roleCache';
import { catalogOf } from './roles';

/**
 * The ledger's view of Freshservice: every getAgent re-reads the agent through a template
 * (never trusting the browser), with role names from the account snapshot's short-lived roles. At most two
 * template requests per call, made concurrently so a call stays inside FDK's 20 s.
 */
export function createAgentDirectory(platform: Pick<Platform, 'request' | 'store'>): AgentDirectory {
  const rolesDeps = { request: platform.request, store: platform.store, now: Date.now };
  return {
    async getAgent(id) {
      const [agent, roles] = await Promise.all([readAgent(platform.request, id), currentRoles(rolesDeps)]);
      return toAgentAccess(agent, catalogOf(roles));
    },
    async accountAdminRole() {
      const roles = await currentRoles(rolesDeps);
      return catalogOf(roles).accountAdminRole;
    },
  };
}
