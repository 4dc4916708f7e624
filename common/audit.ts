/**
 * Contract of the access-audit server methods (getAccessOverview, getUserAccess): payloads the
 * widget sends and responses it receives.
 * Owned by the audit backend; extend, do not break.
 */

export type AgentId = number;

export interface RoleInfo {
  id: number;
  name: string;
  /** Freshservice's `default` flag: a built-in role. */
  isDefault: boolean;
}

/** One role assignment of an agent, with the role's name resolved. */
export interface RoleAssignment {
  roleId: number;
  name: string;
  /** entire_helpdesk | member_groups | specified_groups | assigned_items */
  scope: string;
  /** Set when the role is granted in one workspace only. */
  workspaceId: number | null;
}

export interface AgentAccess {
  id: AgentId;
  firstName: string;
  lastName: string | null;
  /** Display name: first and last name joined, never empty (falls back to the email). */
  name: string;
  email: string;
  active: boolean;
  occasional: boolean;
  lastLoginAt: string | null;
  roles: RoleAssignment[];
  isAccountAdmin: boolean;
  /** Holds an admin-level role other than Account Admin (the "Admin is not Account Admin" case). */
  holdsAdminRole: boolean;
}

export interface AccessSummary {
  /** Agents counted so far (deactivated ones only when included). */
  agents: number;
  accountAdmins: number;
  lackingAccountAdmin: number;
  deactivated: number;
}

export interface AccessOverviewPayload {
  /** Opaque continuation from the previous slice; absent or null for the first. */
  cursor?: string | null;
  /** Include deactivated agents (default false). */
  includeDeactivated?: boolean;
}

export interface AccessOverviewSlice {
  agents: AgentAccess[];
  /** null when the account has no default "Account Admin" role. */
  accountAdminRole: RoleInfo | null;
  /** Running totals through this slice; final when `cursor` is null. */
  summary: AccessSummary;
  /** null when the whole account has been read. */
  cursor: string | null;
  progress: { agentsLoaded: number; pagesLoaded: number; done: boolean };
  /** Milliseconds the caller should wait before asking for the next slice (rate-limit pacing). */
  waitMs: number;
}

/** One user, by email: request templates never carry a value from the browser in their path, so nobody is read by id. */
export interface UserAccessPayload {
  email: string;
}

export interface UserAccess {
  kind: 'agent' | 'requester';
  /** null when the user is a requester (not an agent). */
  agent: AgentAccess | null;
  accountAdminRole: RoleInfo | null;
  /**
   * Path, on the Freshservice host, of the agent's admin page where the API-key toggle lives
   * (null for requesters). The widget prefixes it with the host from
   * `client.data.get('currentHost')`, so the same answer works on a real account and locally.
   */
  permissionsPath: string | null;
}

export interface AccountAdminsResult {
  accountAdminRole: RoleInfo | null;
  /** Active agents holding Account Admin: the people who can enable API keys. */
  accountAdmins: AgentAccess[];
  /**
   * True when the list is complete and current (false until the app's background scan of the
   * account first finishes, and if the record is more than a day old).
   */
  complete: boolean;
  /** The app is reading the account in the background: the list is what it has found so far. */
  scanning?: boolean;
  /**
   * When the list was last recorded complete (ISO time: by the background scan; user events keep
   * it current between); null when nothing is recorded yet. Only what a browser cannot replay
   * writes it: never an access overview.
   */
  recordedAt?: string | null;
}
