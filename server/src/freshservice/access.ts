import type { AgentAccess, RoleAssignment } from '../../../common/audit';
import type { RoleCatalog } from './roles';
import type { FreshserviceAgent } from './schemas';

type FreshserviceAssignment = NonNullable<FreshserviceAgent['roles']>[number];

function assignmentOf(assignment: FreshserviceAssignment, catalog: RoleCatalog): RoleAssignment {
  const role = catalog.byId.get(assignment.role_id);
  return {
    roleId: assignment.role_id,
    // A role deleted since the agent was read, or one the key's owner cannot see.
    name: role ? role.name : `Unknown role ${assignment.role_id}`,
    scope: assignment.assignment_scope ?? 'entire_helpdesk',
    workspaceId: assignment.workspace_id ?? null,
  };
}

function displayName(firstName: string, lastName: string | null, email: string): string {
  const joined = [firstName, lastName ?? ''].map((part) => part.trim()).filter(Boolean).join(' ');
  return joined || email;
}

function holdsOtherAdminRole(agent: FreshserviceAgent, catalog: RoleCatalog, accountAdminRoleId: number | null): boolean {
  return (agent.roles ?? []).some((assignment) => {
    const role = catalog.byId.get(assignment.role_id);
    return role !== undefined && role.id !== accountAdminRoleId && role.adminLevel;
  });
}

function identityOf(agent: FreshserviceAgent): Pick<AgentAccess, 'id' | 'firstName' | 'lastName' | 'name' | 'email'> {
  const firstName = agent.first_name ?? '';
  const lastName = agent.last_name ?? null;
  return { id: agent.id, firstName, lastName, name: displayName(firstName, lastName, agent.email), email: agent.email };
}

function activityOf(agent: FreshserviceAgent): Pick<AgentAccess, 'active' | 'occasional' | 'lastLoginAt'> {
  return { active: agent.active, occasional: agent.occasional ?? false, lastLoginAt: agent.last_login_at ?? null };
}

/**
 * One agent as the app shows it: role names resolved, Account Admin decided by the role's id
 * in this account (an assignment in any workspace counts), never by name matching.
 */
export function toAgentAccess(agent: FreshserviceAgent, catalog: RoleCatalog): AgentAccess {
  const accountAdminRoleId = catalog.accountAdminRole?.id ?? null;
  const roles = (agent.roles ?? []).map((assignment) => assignmentOf(assignment, catalog));
  return {
    ...identityOf(agent),
    ...activityOf(agent),
    roles,
    isAccountAdmin: roles.some((role) => role.roleId === accountAdminRoleId),
    holdsAdminRole: holdsOtherAdminRole(agent, catalog, accountAdminRoleId),
  };
}
