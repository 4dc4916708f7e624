import { z } from 'zod';
import type { ProfileAccessPayload } from '../../../common/profile';

/** Freshservice ids exceed 2^31 (e.g. 21000049726): plain safe integers, never text. */
const agentIdSchema = z.number().int().positive();

/** getProfileAccess's payload. Extra keys (iparams, FDK's own) are dropped, never read. */
export const profileAccessPayloadSchema = z.object({
  viewedId: agentIdSchema,
  viewerId: agentIdSchema,
}) satisfies z.ZodType<ProfileAccessPayload>;
