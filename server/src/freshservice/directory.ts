import type { AgentDirectory } from '../directory';
import type { Platform } from '../platform';
import type { Storage } from '../store/storage';
import { toAgentAccess } from './access';
import { readAgent } from './agents';
import { currentCatalog } from './roleCache';

/**
 * The ledger's view of Freshservice: every getAgent re-reads the agent through a template
 * (never trusting the browser), with role names from the head's short-lived, sealed roles. At
 * most two template requests per call, made concurrently so a call stays inside FDK's 20 s.
 */
export function createAgentDirectory(platform: Pick<Platform, 'request'>, storage: Storage): AgentDirectory {
  // One directory serves one call: its lookups share the call's one read of the roles (Storage.rolesRead).
  const rolesDeps = { request: platform.request, storage, now: Date.now };
  return {
    async getAgent(id) {
      const [agent, catalog] = await Promise.all([readAgent(platform.request, id), currentCatalog(rolesDeps)]);
      return toAgentAccess(agent, catalog);
    },
    async accountAdminRole() {
      return (await currentCatalog(rolesDeps)).accountAdminRole;
    },
  };
}
