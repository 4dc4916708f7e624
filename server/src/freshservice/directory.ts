import type { AgentDirectory } from '../directory';
import type { Platform } from '../platform';
import { toAgentAccess } from './access';
import { readAgent } from './agents';
import { currentRoles } from './roleCache';
import { catalogOf } from './roles';

/**
 * The ledger's view of Freshservice: every getAgent re-reads the agent through a template
 * (never trusting the browser), with role names from the short-lived roles cache. At most two
 * template requests per call, made concurrently so a call stays inside FDK's 20 s.
 */
export function createAgentDirectory(platform: Pick<Platform, 'request' | 'store'>): AgentDirectory {
  return {
    async getAgent(id) {
      const [agent, roles] = await Promise.all([readAgent(platform.request, id), currentRoles(platform.request, platform.store)]);
      return toAgentAccess(agent, catalogOf(roles));
    },
    async accountAdminRole() {
      const roles = await currentRoles(platform.request, platform.store);
      return catalogOf(roles).accountAdminRole;
    },
  };
}
