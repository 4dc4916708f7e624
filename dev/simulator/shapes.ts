import type { AssignmentScope, RoleAssignment, SimAgent, SimRequester, SimRole } from './schema';

/**
 * Builders that lay records out field for field as Freshservice's API v2 returns them
 * (platform notes section 7), so demo and generated accounts look like real captures:
 * nulls where real accounts have them, second-precision ISO timestamps, and the
 * deprecated role_ids / group_ids / scopes still present on older accounts.
 */

/** Freshservice writes timestamps without milliseconds: 2024-03-05T10:22:31Z. */
export function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

export interface AgentSpec {
  id: number;
  firstName: string;
  lastName: string | null;
  email: string;
  jobTitle: string | null;
  active: boolean;
  occasional: boolean;
  roles: RoleAssignment[];
  groupIds: number[];
  /** Present only on workspace accounts. */
  workspaceIds: number[] | null;
  createdAtMs: number;
  /** null: the agent never logged in. */
  lastLoginAtMs: number | null;
  /** Older accounts still return role_ids, group_ids and scopes. */
  withDeprecatedFields: boolean;
}

function deprecatedScopes(roles: readonly RoleAssignment[]): Record<string, AssignmentScope> {
  const scope = roles[0]?.assignment_scope ?? 'assigned_items';
  return { ticket: scope, problem: scope, change: scope, release: scope, asset: scope, contract: scope, solution: scope };
}

/** Mutates the fresh record in place: copying a 35-field object per agent doubles generation time. */
function addTrailingFields(record: SimAgent, spec: AgentSpec): SimAgent {
  if (spec.withDeprecatedFields) {
    record.role_ids = spec.roles.map((assignment) => assignment.role_id);
    record.group_ids = spec.groupIds;
    record.scopes = deprecatedScopes(spec.roles);
  }
  if (spec.workspaceIds !== null) {
    record.workspace_ids = spec.workspaceIds;
  }
  return record;
}

/** The contact and locale fields every user record (agent or requester) carries, empty on demo users. */
function contactFields(): Record<string, unknown> {
  return {
    work_phone_number: null,
    mobile_phone_number: null,
    department_ids: [],
    can_see_all_tickets_from_associated_departments: false,
    reporting_manager_id: null,
    address: null,
    time_zone: 'Eastern Time (US & Canada)',
    time_format: '12h',
    language: 'en',
    location_id: null,
    background_information: null,
  };
}

export function agentRecord(spec: AgentSpec): SimAgent {
  const lastLogin = spec.lastLoginAtMs === null ? null : isoSeconds(spec.lastLoginAtMs);
  return addTrailingFields(
    {
      id: spec.id,
      first_name: spec.firstName,
      last_name: spec.lastName,
      occasional: spec.occasional,
      job_title: spec.jobTitle,
      email: spec.email,
      ...contactFields(),
      scoreboard_level_id: 1,
      member_of: spec.groupIds,
      observer_of: [],
      member_of_pending_approval: [],
      observer_of_pending_approval: [],
      roles: spec.roles,
      last_login_at: lastLogin,
      last_active_at: lastLogin,
      custom_fields: {},
      has_logged_in: lastLogin !== null,
      active: spec.active,
      created_at: isoSeconds(spec.createdAtMs),
      updated_at: lastLogin ?? isoSeconds(spec.createdAtMs),
    },
    spec,
  );
}

export interface RequesterSpec {
  id: number;
  firstName: string;
  lastName: string | null;
  email: string;
  jobTitle: string | null;
  createdAtMs: number;
}

/** A requester laid out as GET /api/v2/requesters/{id} answers it (platform notes section 7). */
export function requesterRecord(spec: RequesterSpec): SimRequester {
  return {
    id: spec.id,
    first_name: spec.firstName,
    last_name: spec.lastName,
    job_title: spec.jobTitle,
    primary_email: spec.email,
    secondary_emails: [],
    ...contactFields(),
    custom_fields: {},
    active: true,
    has_logged_in: true,
    created_at: isoSeconds(spec.createdAtMs),
    updated_at: isoSeconds(spec.createdAtMs),
  };
}

export function assignment(roleId: number, scope: AssignmentScope, groups: number[] = [], workspaceId?: number): RoleAssignment {
  return workspaceId === undefined
    ? { role_id: roleId, assignment_scope: scope, groups }
    : { role_id: roleId, assignment_scope: scope, groups, workspace_id: workspaceId };
}

export interface RoleSpec {
  id: number;
  name: string;
  description: string;
  isDefault: boolean;
  createdAtMs: number;
  /** Older accounts describe a role by `scopes`, newer ones by `role_type`. */
  olderAccount: boolean;
}

const moduleNames = ['ticket', 'problem', 'change', 'release', 'asset', 'contract', 'solution'] as const;

function roleScopes(name: string): Record<string, { permission: boolean; access_level: string[] }> {
  const manages = /admin|manager|supervisor/i.test(name);
  return Object.fromEntries(
    moduleNames.map((module) => [module, { permission: true, access_level: manages ? ['entire_helpdesk'] : ['assigned_items'] }]),
  );
}

export function roleRecord(spec: RoleSpec): SimRole {
  const kind = spec.olderAccount ? { scopes: roleScopes(spec.name) } : { role_type: /admin/i.test(spec.name) ? 'admin' : 'agent' };
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    default: spec.isDefault,
    ...kind,
    created_at: isoSeconds(spec.createdAtMs),
    updated_at: isoSeconds(spec.createdAtMs),
  };
}

/** Freshservice's built-in roles, in the order a new account lists them. */
export const builtInRoles: readonly { name: string; description: string }[] = [
  { name: 'Account Admin', description: 'Full control of the service desk, including billing, plans and the account itself.' },
  { name: 'Admin', description: 'Configures the service desk and manages agents, but cannot reach billing or account settings.' },
  { name: 'SD Supervisor', description: 'Oversees the service desk team: tickets, reports and agent workloads.' },
  { name: 'SD Agent', description: 'Works on tickets, problems and changes assigned to them.' },
  { name: 'Problem Manager', description: 'Owns problem records and their root-cause analysis.' },
  { name: 'Change Manager', description: 'Plans, approves and tracks changes.' },
  { name: 'Release Manager', description: 'Plans and tracks releases.' },
  { name: 'Configuration Manager', description: 'Maintains the CMDB and its relationships.' },
  { name: 'Contract Manager', description: 'Manages contracts and their renewals.' },
  { name: 'IT Ops Agent', description: 'Handles alerts and operational incidents.' },
  { name: 'Project Manager', description: 'Runs projects and assigns their tasks.' },
  { name: 'Project Member', description: 'Works on project tasks.' },
  { name: 'Procurement Manager', description: 'Raises and approves purchase orders.' },
];

/**
 * Which roles let a key read agents and roles. Freshservice grants that to admin-level
 * roles. The simulator follows `role_type` when a role has one ("admin" or "agent", as
 * newer accounts carry it), and otherwise treats every role whose name contains "Admin"
 * (Account Admin, Admin, custom admin roles) as admin-level and every other role as not.
 */
export function isAdminLevelRole(role: { name: string; role_type?: unknown }): boolean {
  return typeof role.role_type === 'string' ? role.role_type.toLowerCase() === 'admin' : /admin/i.test(role.name);
}
