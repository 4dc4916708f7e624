import { z } from 'zod';

/**
 * A role's `role_type`, which says whether it is an admin role or an agent role: Freshservice's
 * "advanced role management" splits roles into those two kinds (support article 50000006096,
 * https://support.freshservice.com/support/solutions/articles/50000006096). How the API spells
 * it is not established, so the simulator plays each spelling the sources show (the
 * `roleType` setting; docs/simulator.md).
 */

export const roleTypeSpellingSchema = z.enum(['absent', 'admin-or-agent', 'admin_and_data', 'integer']);
export type RoleTypeSpelling = z.infer<typeof roleTypeSpellingSchema>;

type RoleKind = 'admin' | 'agent';

/** The one value the FDK-generated user-event sample gives every role, SD Agent included. */
export const EVENT_SAMPLE_ROLE_TYPE = 'admin_and_data';

/** The `role_type` a role of this kind gets under each spelling; undefined: the field is left out. */
const spelled: Record<RoleTypeSpelling, (kind: RoleKind) => string | number | undefined> = {
  // Captured real GET /api/v2/roles answers have no role_type: JupiterOne/graph-freshservice
  // src/steps/agent-roles/__recordings__/fetch-agent-roles_418001527/recording.har (July 2022).
  absent: () => undefined,
  // The two kinds by the names support article 50000006096 gives them. *Assumed*: no captured
  // answer shows this spelling; the app's rule reads it (server/src/freshservice/roles.ts).
  'admin-or-agent': (kind) => kind,
  // hosilva4/freshService_customAppPDF server/test_data/onUserUpdate.json (commit 0298e981):
  // account_wide_roles[].role_type is "admin_and_data" for SD Supervisor and SD Agent alike.
  admin_and_data: () => EVENT_SAMPLE_ROLE_TYPE,
  // ConductorOne/baton-freshservice pkg/client/model.go (commit beb32adb): `RoleType int`, so a
  // connector that cannot decode anything else. Which number means which kind is not known:
  // 2 for admin roles and 1 for agent roles are the simulator's own choice.
  integer: (kind) => (kind === 'admin' ? 2 : 1),
};

/** `role_type` values that name a kind; every other value says nothing about it. */
const KIND_IS_ADMIN: ReadonlyMap<string, boolean> = new Map([
  ['admin', true],
  ['agent', false],
]);

/**
 * Which roles let a key read agents and roles. Freshservice grants that to admin roles, from
 * their privileges; the simulator's stand-in follows `role_type` when it is spelled "admin" or
 * "agent" and otherwise takes every role whose name contains "Admin" (Account Admin, Admin,
 * custom admin roles) as admin-level and every other role as not. It reads roles as the app
 * does (server/src/freshservice/roles.ts), so under every spelling the two agree.
 */
export function isAdminLevelRole(role: { name: string; role_type?: unknown }): boolean {
  const kind = typeof role.role_type === 'string' ? KIND_IS_ADMIN.get(role.role_type.trim().toLowerCase()) : undefined;
  return kind ?? /admin/i.test(role.name);
}

/** The role with `role_type` spelled this way; a role that already has one (from an account file) keeps it. */
export function withRoleType<T extends { name: string; role_type?: unknown }>(role: T, spelling: RoleTypeSpelling): T {
  if ('role_type' in role) {
    return role;
  }
  const value = spelled[spelling](isAdminLevelRole(role) ? 'admin' : 'agent');
  return value === undefined ? role : { ...role, role_type: value };
}
