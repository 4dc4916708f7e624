import type { AgentDirectory } from '../directory';
import { AppError } from '../errors';
import type { Platform } from '../platform';
import type { Storage } from '../store/storage';
import { toAgentAccess } from './access';
import { agentNamed } from './agents';
import { currentCatalog } from './roleCache';

/**
 * The ledger's view of Freshservice: every getAgent re-reads the agent through a template (by
 * email, checked against the id: never trusting the browser), with role names from the head's
 * short-lived, sealed roles. At most two template requests per lookup, made concurrently so a
 * call stays inside FDK's 20 s.
 */
export function createAgentDirectory(platform: Pick<Platform, 'request'>, storage: Storage): AgentDirectory {
  // One directory serves one call: its lookups share the call's one read of the roles (Storage.rolesRead).
  const rolesDeps = { request: platform.request, storage, now: Date.now };
  return {
    async getAgent(ref) {
      const [agent, catalog] = await Promise.all([agentNamed(platform.request, ref), currentCatalog(rolesDeps)]);
      if (agent === null) {
        throw new AppError(404, 'NOT_FOUND', `No Freshservice agent has the email ${ref.email} and the id ${ref.id}.`);
      }
      return toAgentAccess(agent, catalog);
    },
    async accountAdminRole() {
      return (await currentCatalog(rolesDeps)).accountAdminRole;
    },
  };
}
