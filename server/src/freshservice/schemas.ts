import { z } from 'zod';

/**
 * Shapes of the Freshservice API v2 answers the app reads. Unknown fields are tolerated
 * (z.object strips them), deprecated `role_ids`/`group_ids`/`scopes` are ignored, and ids
 * stay plain numbers: Freshservice ids exceed 2^31 (e.g. 21000049726).
 */
const freshserviceId = z.number().int().nonnegative();

export const roleSchema = z.object({
  id: freshserviceId,
  name: z.string(),
  default: z.boolean().nullish().transform((value) => value === true),
  /** Admin role or agent role; sources spell it differently (absent, a string, an integer), so it is read in roles.ts. */
  role_type: z.unknown().optional(),
});
export type FreshserviceRole = z.infer<typeof roleSchema>;

export const roleListSchema = z.object({ roles: z.array(roleSchema) });

const roleAssignmentSchema = z.object({
  role_id: freshserviceId,
  assignment_scope: z.string().nullish(),
  /** Present when the role is granted in one workspace only. */
  workspace_id: freshserviceId.nullish(),
});

export const agentSchema = z.object({
  id: freshserviceId,
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  email: z.string(),
  active: z.boolean(),
  occasional: z.boolean().nullish(),
  last_login_at: z.string().nullish(),
  roles: z.array(roleAssignmentSchema).nullish(),
});
export type FreshserviceAgent = z.infer<typeof agentSchema>;

export const agentListSchema = z.object({ agents: z.array(agentSchema) });
