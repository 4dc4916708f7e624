import type { AgentAccess, RoleInfo } from '../../common/audit';
import type { AgentRef } from './freshservice/agents';

/**
 * What the ledger needs from Freshservice: the current truth about an agent, re-read on
 * every privileged action (never the browser's say-so). Implemented over request
 * templates by `createAgentDirectory` in ./freshservice/directory.
 */
export interface AgentDirectory {
  /** Rejects with AppError NOT_FOUND (404) when no agent has this email and id. */
  getAgent(ref: AgentRef): Promise<AgentAccess>;
  /** null when the account has no default role named "Account Admin". */
  accountAdminRole(): Promise<RoleInfo | null>;
}
