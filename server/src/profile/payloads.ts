import { z } from 'zod';
import type { ProfileAccessPayload } from '../../../common/profile';
import { agentIdSchema, emailSchema } from '../audit/payloads';

/** getProfileAccess's payload. Extra keys (iparams, FDK's own) are dropped, never read. */
export const profileAccessPayloadSchema = z.object({
  viewedId: agentIdSchema,
  viewedEmail: emailSchema.nullish().transform((email) => email ?? null),
  viewerId: agentIdSchema,
  viewerEmail: emailSchema,
}) satisfies z.ZodType<ProfileAccessPayload>;
