import { z } from 'zod';
import type { AccessSummary } from '../../../common/audit';
import { AppError } from '../errors';
import { compactRoleSchema } from '../freshservice/roleCache';
import { agentAccessSchema, accessSummarySchema } from './schemas';

/**
 * Everything later slices of one overview need travels in the opaque cursor instead of $db
 * (which allows only 50 operations a minute): the roles read so far, running totals, where to
 * continue, the times of recent template requests (for pacing) and the Account Admins seen.
 * A cursor only ever affects what the browser that holds it reads; a tampered one is refused.
 */
export const OVERVIEW_PHASES = ['roles', 'active', 'deactivated'] as const;
export type OverviewPhase = (typeof OVERVIEW_PHASES)[number];

/** Account Admins carried to the end of the overview (then recorded for listAccountAdmins). */
export const MAX_CARRIED_ACCOUNT_ADMINS = 25;

const cursorSchema = z.object({
  version: z.literal(1),
  phase: z.enum(OVERVIEW_PHASES),
  page: z.number().int().positive(),
  /** Agents of `page` already answered (a page split to keep a response small). */
  skip: z.number().int().nonnegative(),
  includeDeactivated: z.boolean(),
  roles: z.array(compactRoleSchema).max(1000),
  summary: accessSummarySchema,
  pagesLoaded: z.number().int().nonnegative(),
  agentsLoaded: z.number().int().nonnegative(),
  requestTimes: z.array(z.number()).max(100),
  notBefore: z.number(),
  accountAdmins: z.array(agentAccessSchema).max(MAX_CARRIED_ACCOUNT_ADMINS),
  accountAdminsOverflow: z.boolean(),
});
export type OverviewCursor = z.infer<typeof cursorSchema>;

const EMPTY_SUMMARY: AccessSummary = { agents: 0, accountAdmins: 0, lackingAccountAdmin: 0, deactivated: 0 };

export function firstCursor(includeDeactivated: boolean): OverviewCursor {
  return {
    version: 1,
    phase: 'roles',
    page: 1,
    skip: 0,
    includeDeactivated,
    roles: [],
    summary: { ...EMPTY_SUMMARY },
    pagesLoaded: 0,
    agentsLoaded: 0,
    requestTimes: [],
    notBefore: 0,
    accountAdmins: [],
    accountAdminsOverflow: false,
  };
}

export function encodeCursor(cursor: OverviewCursor): string {
  return JSON.stringify(cursor);
}

function refused(): AppError {
  return new AppError(
    400,
    'INVALID_PAYLOAD',
    'The request to the app is invalid: field "cursor" is not one this app issued (or it was altered). Start the overview again.',
  );
}

export function decodeCursor(text: string): OverviewCursor {
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw refused();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) {
    throw refused();
  }
  return parsed.data;
}
