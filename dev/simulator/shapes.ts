import type { AssignmentScope, RoleAssignment, SimAgent, SimRequester, SimRole } from './schema';

/**
 * Builders that lay records out field for field as Freshservice's API v2 returns them, so demo
 * and generated accounts look like real captures: nulls where real accounts have them,
 * second-precision ISO timestamps, and the deprecated role_ids / group_ids / scopes still
 * present on older accounts. The captures (cited where each field comes from):
 * - AGENTS_2022_07: JupiterOne/graph-freshservice
 *   src/steps/agent/__recordings__/fetch-agents_730038084/recording.har (GET /api/v2/agents);
 * - AGENTS_2022_11: flycastpartnersinc/FreshservicePS
 *   FreshservicePS/Public/Agents/Get-FreshServiceAgent.ps1 (commit 3fd9686e; its examples print
 *   a real account's agents);
 * - REQUESTERS_2022_11: the same repository's
 *   FreshservicePS/Public/Requesters/Get-FreshServiceRequester.ps1;
 * - ROLES_2022_07: JupiterOne/graph-freshservice
 *   src/steps/agent-roles/__recordings__/fetch-agent-roles_418001527/recording.har.
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

const moduleNames = ['ticket', 'problem', 'change', 'release', 'asset', 'solution', 'contract'] as const;

/** The deprecated `scopes` of older accounts' agents and roles: every module null in AGENTS_2022_07 and ROLES_2022_07. */
function deprecatedScopes(): Record<string, null> {
  return Object.fromEntries(moduleNames.map((module) => [module, null]));
}

/** Mutates the fresh record in place: copying a 35-field object per agent doubles generation time. */
function addTrailingFields(record: SimAgent, spec: AgentSpec): SimAgent {
  if (spec.withDeprecatedFields) {
    record.role_ids = spec.roles.map((assignment) => assignment.role_id);
    record.group_ids = spec.groupIds;
    record.scopes = deprecatedScopes();
  }
  if (spec.workspaceIds !== null) {
    record.workspace_ids = spec.workspaceIds;
  }
  return record;
}

/**
 * The contact and locale fields every user record (agent or requester) carries, empty on demo
 * users: AGENTS_2022_07, AGENTS_2022_11 and REQUESTERS_2022_11 all have them; `department_names`,
 * `location_name`, `external_id` and `vip_user` are in AGENTS_2022_11 and REQUESTERS_2022_11
 * (null, null, null and false there for users without departments or location).
 */
function contactFields(): Record<string, unknown> {
  return {
    work_phone_number: null,
    mobile_phone_number: null,
    department_ids: [],
    department_names: null,
    can_see_all_tickets_from_associated_departments: false,
    reporting_manager_id: null,
    address: null,
    time_zone: 'Eastern Time (US & Canada)',
    time_format: '12h',
    language: 'en',
    location_id: null,
    location_name: null,
    background_information: null,
    external_id: null,
    vip_user: false,
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
      // AGENTS_2022_07 and AGENTS_2022_11: auto-assignment, the Arcade scoreboard (level 1 with
      // 100 points, as one captured agent has) and a signature (null for most captured agents).
      auto_assign_tickets: true,
      auto_assign_status_changed_at: lastLogin,
      scoreboard_level_id: 1,
      scoreboard_points: 100,
      signature: null,
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

/** A requester laid out as GET /api/v2/requesters/{id} answers it (REQUESTERS_2022_11). */
export function requesterRecord(spec: RequesterSpec): SimRequester {
  return {
    id: spec.id,
    first_name: spec.firstName,
    last_name: spec.lastName,
    job_title: spec.jobTitle,
    primary_email: spec.email,
    secondary_emails: [],
    ...contactFields(),
    can_see_all_changes_from_associated_departments: false,
    is_agent: false,
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
  /** Older accounts still describe a role by the deprecated `scopes`. */
  olderAccount: boolean;
}

/** A role as ROLES_2022_07 lays it out; its `role_type` is added, or not, by the role-type setting (role-type.ts). */
export function roleRecord(spec: RoleSpec): SimRole {
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    default: spec.isDefault,
    ...(spec.olderAccount ? { scopes: deprecatedScopes() } : {}),
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
