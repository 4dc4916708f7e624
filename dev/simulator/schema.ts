import { z } from 'zod';
import { roleTypeSpellingSchema } from './role-type';

/**
 * The data a simulated Freshservice account serves, as zod schemas. The same schemas
 * validate account files (see docs/simulator.md), so a hand-written data set is held to
 * the shapes Freshservice really returns. Objects are loose: any extra field a real
 * account carries is served as given.
 */

export const planSchema = z.enum(['starter', 'growth', 'pro', 'enterprise']);
export type Plan = z.infer<typeof planSchema>;

export const freshserviceId = z.number().int().positive();
const isoTimestamp = z.iso.datetime({ offset: true });

export const assignmentScopeSchema = z.enum(['entire_helpdesk', 'member_groups', 'specified_groups', 'assigned_items']);
export type AssignmentScope = z.infer<typeof assignmentScopeSchema>;

export const roleAssignmentSchema = z.looseObject({
  role_id: freshserviceId,
  assignment_scope: assignmentScopeSchema,
  groups: z.array(freshserviceId),
  workspace_id: freshserviceId.optional(),
});
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;

export const simAgentSchema = z.looseObject({
  id: freshserviceId,
  first_name: z.string(),
  last_name: z.string().nullable(),
  email: z.string().min(3),
  active: z.boolean(),
  occasional: z.boolean(),
  job_title: z.string().nullable().optional(),
  department_ids: z.array(freshserviceId).optional(),
  has_logged_in: z.boolean().optional(),
  last_login_at: isoTimestamp.nullable().optional(),
  last_active_at: isoTimestamp.nullable().optional(),
  created_at: isoTimestamp.optional(),
  updated_at: isoTimestamp.optional(),
  roles: z.array(roleAssignmentSchema),
  member_of: z.array(freshserviceId).optional(),
  observer_of: z.array(freshserviceId).optional(),
  workspace_ids: z.array(freshserviceId).optional(),
  role_ids: z.array(freshserviceId).optional(),
  group_ids: z.array(freshserviceId).optional(),
});
export type SimAgent = z.infer<typeof simAgentSchema>;

/**
 * A requester: a user who is not an agent (Freshservice's /api/v2/requesters shape; the address
 * is `primary_email`, not `email`). Agents and requesters share Freshservice's user ids, so
 * `GET /agents/{id}` with a requester's id answers 404, as for any id that is not an agent's.
 */
export const simRequesterSchema = z.looseObject({
  id: freshserviceId,
  first_name: z.string(),
  last_name: z.string().nullable(),
  primary_email: z.string().min(3),
  active: z.boolean(),
  job_title: z.string().nullable().optional(),
  department_ids: z.array(freshserviceId).optional(),
  created_at: isoTimestamp.optional(),
  updated_at: isoTimestamp.optional(),
});
export type SimRequester = z.infer<typeof simRequesterSchema>;

export const simRoleSchema = z.looseObject({
  id: freshserviceId,
  name: z.string().min(1),
  description: z.string().nullable(),
  default: z.boolean(),
  scopes: z.record(z.string(), z.unknown()).optional(),
  created_at: isoTimestamp,
  updated_at: isoTimestamp,
});
export type SimRole = z.infer<typeof simRoleSchema>;

export const apiKeySchema = z.object({
  key: z.string().min(1).regex(/^[^:\s]+$/, 'an API key has no colon or whitespace'),
  agentId: freshserviceId,
  /** The agent's "API key" permission toggle; off answers 401. */
  apiEnabled: z.boolean().default(true),
});

const accountShape = z.object({
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'domain is the subdomain only, e.g. "acme" for acme.freshservice.com'),
  plan: planSchema.default('pro'),
  /** How roles' `role_type` is spelled where a role has none of its own (role-type.ts); the simulator's roleType option overrides it. */
  roleType: roleTypeSpellingSchema.default('absent'),
  roles: z.array(simRoleSchema),
  agents: z.array(simAgentSchema),
  /** Users who are not agents (optional: none by default). */
  requesters: z.array(simRequesterSchema).default([]),
  apiKeys: z.array(apiKeySchema),
});

function duplicates(values: readonly (string | number)[]): (string | number)[] {
  const seen = new Set<string | number>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

type AccountShape = z.infer<typeof accountShape>;

function checkUnique(account: AccountShape, ctx: z.RefinementCtx): void {
  const lists: [string, (string | number)[]][] = [
    ['agents', account.agents.map((agent) => agent.id)],
    ['requesters', account.requesters.map((requester) => requester.id)],
    ['roles', account.roles.map((role) => role.id)],
    ['apiKeys', account.apiKeys.map((apiKey) => apiKey.key)],
  ];
  for (const [path, values] of lists) {
    const repeated = duplicates(values);
    if (repeated.length > 0) {
      ctx.addIssue({ code: 'custom', path: [path], message: `duplicate ${path} entries: ${repeated.slice(0, 5).join(', ')}` });
    }
  }
}

function checkReferences(account: AccountShape, ctx: z.RefinementCtx): void {
  const roleIds = new Set(account.roles.map((role) => role.id));
  const agentIds = new Set(account.agents.map((agent) => agent.id));
  account.agents.forEach((agent, index) => {
    const unknown = agent.roles.filter((assignment) => !roleIds.has(assignment.role_id));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['agents', index, 'roles'], message: `role_id ${unknown[0]?.role_id} is not in "roles"` });
    }
  });
  account.requesters.forEach((requester, index) => {
    if (agentIds.has(requester.id)) {
      ctx.addIssue({ code: 'custom', path: ['requesters', index, 'id'], message: `id ${requester.id} is an agent's: agents and requesters share Freshservice's user ids` });
    }
  });
  account.apiKeys.forEach((apiKey, index) => {
    if (!agentIds.has(apiKey.agentId)) {
      ctx.addIssue({ code: 'custom', path: ['apiKeys', index, 'agentId'], message: `agent ${apiKey.agentId} is not in "agents"` });
    }
  });
}

/** The account-file format (docs/simulator.md): every id unique, every reference resolvable. */
export const simAccountSchema = accountShape.superRefine((account, ctx) => {
  checkUnique(account, ctx);
  checkReferences(account, ctx);
});
export type SimAccount = z.infer<typeof simAccountSchema>;
export type SimApiKey = SimAccount['apiKeys'][number];

export const faultSettingsSchema = z.object({
  latencyMs: z.number().int().min(0).max(600_000),
  errorRate: z.number().min(0).max(1),
  force429: z.number().int().min(0),
  failingPage: z
    .object({ path: z.string().startsWith('/'), page: z.number().int().positive(), status: z.number().int().min(400).max(599) })
    .nullable(),
  malformedJson: z.boolean(),
  slowResponseMs: z.number().int().min(0).max(600_000),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const partialFaultSettingsSchema = faultSettingsSchema.partial().strict();

export const noFaults: FaultSettings = {
  latencyMs: 0,
  errorRate: 0,
  force429: 0,
  failingPage: null,
  malformedJson: false,
  slowResponseMs: 0,
};
