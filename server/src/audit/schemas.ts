import { z } from 'zod';
import type { AccessSummary } from '../../../common/audit';

/** Zod mirror of the shared contract, for what comes back to the server in an overview cursor. */
const count = z.number().int().nonnegative();
export const accessSummarySchema = z.object({
  agents: count,
  accountAdmins: count,
  lackingAccountAdmin: count,
  deactivated: count,
}) satisfies z.ZodType<AccessSummary>;
