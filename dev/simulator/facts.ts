import type { SimAccount, SimAgent, SimRole } from './schema';
import { isAdminLevelRole } from './role-type';

/**
 * Who is who in any simulated account, computed from its data, so tests and the local
 * runtime never hard-code ids.
 */
export interface AccountFacts {
  /** The default role named "Account Admin"; null when the account has none. */
  accountAdminRoleId: number | null;
  /** The default role named "Admin"; null when the account has none. */
  adminRoleId: number | null;
  /** Custom (non-default) roles whose name contains "Admin": not Account Admin. */
  customAdminRoleIds: number[];
  /** Every agent holding Account Admin, deactivated ones included. */
  accountAdminIds: number[];
  activeAccountAdminIds: number[];
  /** Agents with an admin-level role (default Admin or a custom "Admin" role) but without Account Admin. */
  adminsWithoutAccountAdminIds: number[];
  /** Agents holding a custom role with "Admin" in its name (and not Account Admin). */
  customAdminRoleHolderIds: number[];
  /** Agents with no admin-level role at all: their keys answer 403 on agents and roles. */
  withoutAdminRoleIds: number[];
  deactivatedIds: number[];
  occasionalIds: number[];
  /** Agents with at least one role assignment limited to a workspace. */
  workspaceRoleAgentIds: number[];
}

/** The id of the account's default (built-in) role with this name; null when it has none. */
export function defaultRoleNamed(roles: readonly SimRole[], name: string): number | null {
  return roles.find((role) => role.default && role.name === name)?.id ?? null;
}

function idsWhere(agents: readonly SimAgent[], test: (agent: SimAgent) => boolean): number[] {
  return agents.filter(test).map((agent) => agent.id);
}

function holds(agent: SimAgent, roleIds: ReadonlySet<number>): boolean {
  return agent.roles.some((assignment) => roleIds.has(assignment.role_id));
}

export function accountFacts(account: SimAccount): AccountFacts {
  const accountAdminRoleId = defaultRoleNamed(account.roles, 'Account Admin');
  const accountAdminRole = new Set(accountAdminRoleId === null ? [] : [accountAdminRoleId]);
  const adminLevel = new Set(account.roles.filter(isAdminLevelRole).map((role) => role.id));
  const customAdminRoleIds = account.roles.filter((role) => !role.default && isAdminLevelRole(role)).map((role) => role.id);
  const customAdmin = new Set(customAdminRoleIds);
  const { agents } = account;
  return {
    accountAdminRoleId,
    adminRoleId: defaultRoleNamed(account.roles, 'Admin'),
    customAdminRoleIds,
    accountAdminIds: idsWhere(agents, (agent) => holds(agent, accountAdminRole)),
    activeAccountAdminIds: idsWhere(agents, (agent) => agent.active && holds(agent, accountAdminRole)),
    adminsWithoutAccountAdminIds: idsWhere(agents, (agent) => holds(agent, adminLevel) && !holds(agent, accountAdminRole)),
    customAdminRoleHolderIds: idsWhere(agents, (agent) => holds(agent, customAdmin) && !holds(agent, accountAdminRole)),
    withoutAdminRoleIds: idsWhere(agents, (agent) => !holds(agent, adminLevel)),
    deactivatedIds: idsWhere(agents, (agent) => !agent.active),
    occasionalIds: idsWhere(agents, (agent) => agent.occasional),
    workspaceRoleAgentIds: idsWhere(agents, (agent) => agent.roles.some((assignment) => assignment.workspace_id !== undefined)),
  };
}
