import { z } from 'zod';
import type { ProfileAccessPayload } from '../../../common/profile';
import { agentIdSchema } from '../audit/payloads';


/** getProfileAccess's payload. Extra keys (iparams, FDK's own) are dropped, never read. */
export const profileAccessPayloadSchema = z.object({
  viewedId: agentIdSchema,
  viewerId: agentIdSchema,
}) satisfies z.ZodType<ProfileAccessPayload>;
