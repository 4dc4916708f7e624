/** Freshservice-shaped test data, as real API v2 answers look (large ids, null last names, deprecated fields). */

export const ROLE_IDS = {
  accountAdmin: 21000150292,
  admin: 21000150293,
  sdAgent: 21000150294,
  itAdminCustom: 21000150299,
  accountAdminCustom: 21000150300,
} as const;

export function role(id: number, name: string, isDefault: boolean, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name,
    description: `${name} role`,
    default: isDefault,
    created_at: '2022-08-29T14:16:59Z',
    updated_at: '2022-09-29T10:19:47Z',
    scopes: { ticket: { visibility: 'all_tickets' } },
    ...extra,
  };
}

/** A typical account: built-in roles plus custom ones with "Admin" in the name that are NOT Account Admin. */
export function standardRoles(): Record<string, unknown>[] {
  return [
    role(ROLE_IDS.accountAdmin, 'Account Admin', true),
    role(ROLE_IDS.admin, 'Admin', true),
    role(ROLE_IDS.sdAgent, 'SD Agent', true),
    role(ROLE_IDS.itAdminCustom, 'IT Admin (Custom)', false),
    role(ROLE_IDS.accountAdminCustom, 'Account Admin', false),
  ];
}

/**
 * `role_type` as each source spells it, by whether the role is an admin role (the sources are cited
 * in dev/simulator/role-type.ts, which serves the same spellings; the unit tests ship to `fdk pack`
 * without the simulator, so they spell it here): absent, "admin"/"agent", "admin_and_data" on
 * every role, an integer. undefined: no role_type field.
 */
export const ROLE_TYPE_SPELLINGS = {
  absent: () => undefined,
  'admin-or-agent': (adminRole: boolean) => (adminRole ? 'admin' : 'agent'),
  admin_and_data: () => 'admin_and_data',
  integer: (adminRole: boolean) => (adminRole ? 2 : 1),
} as const satisfies Record<string, (adminRole: boolean) => unknown>;
export type RoleTypeSpellingName = keyof typeof ROLE_TYPE_SPELLINGS;

/** standardRoles() with role_type spelled this way; a role is an admin role when its name mentions admin. */
export function spelledStandardRoles(spelling: RoleTypeSpellingName): Record<string, unknown>[] {
  return standardRoles().map((raw) => {
    const roleType = ROLE_TYPE_SPELLINGS[spelling](/admin/i.test(String(raw['name'])));
    return roleType === undefined ? raw : { ...raw, role_type: roleType };
  });
}

export function assignment(roleId: number, scope = 'entire_helpdesk', workspaceId?: number): Record<string, unknown> {
  return { role_id: roleId, assignment_scope: scope, groups: [], ...(workspaceId === undefined ? {} : { workspace_id: workspaceId }) };
}

/** The email `agent()` gives an agent unless a test names another. */
export function emailOf(id: number): string {
  return `agent${id}@acme.example`;
}

export function agent(id: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    first_name: `Agent${id}`,
    last_name: null,
    email: emailOf(id),
    active: true,
    occasional: false,
    job_title: null,
    department_ids: [],
    has_logged_in: true,
    last_login_at: '2026-11-01T09:00:00Z',
    last_active_at: '2026-11-20T09:00:00Z',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
    role_ids: [ROLE_IDS.sdAgent],
    group_ids: [],
    scopes: { ticket: 'all' },
    roles: [assignment(ROLE_IDS.sdAgent)],
    member_of: [],
    observer_of: [],
    ...overrides,
  };
}

/** Freshservice's list of agents filtered by `email` (case-insensitive), as findAgentByEmail reads it: no agent answers an empty list. */
export function agentsWithEmail(agents: Iterable<Record<string, unknown>>, email: unknown): { agents: Record<string, unknown>[] } {
  const wanted = String(email).toLowerCase();
  return { agents: [...agents].filter((candidate) => String(candidate['email']).toLowerCase() === wanted) };
}
