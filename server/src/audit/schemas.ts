import { z } from 'zod';
import type { AccessSummary, AgentAccess, RoleInfo } from '../../../common/audit';

/** Zod mirrors of the shared contract, for what comes back to the server (cursors, $db records). */
const id = z.number().int().nonnegative();

export const roleInfoSchema = z.object({ id, name: z.string(), isDefault: z.boolean() }) satisfies z.ZodType<RoleInfo>;

export const agentAccessSchema = z.object({
  id,
  firstName: z.string(),
  lastName: z.string().nullable(),
  name: z.string(),
  email: z.string(),
  active: z.boolean(),
  occasional: z.boolean(),
  lastLoginAt: z.string().nullable(),
  roles: z.array(z.object({ roleId: id, name: z.string(), scope: z.string(), workspaceId: id.nullable() })),
  isAccountAdmin: z.boolean(),
  holdsAdminRole: z.boolean(),
}) satisfies z.ZodType<AgentAccess>;

const count = z.number().int().nonnegative();
export const accessSummarySchema = z.object({
  agents: count,
  accountAdmins: count,
  lackingAccountAdmin: count,
  deactivated: count,
}) satisfies z.ZodType<AccessSummary>;
