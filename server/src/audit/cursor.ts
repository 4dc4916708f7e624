import { sha256 } from 'js-sha256';
import { z } from 'zod';
import type { AccessSummary } from '../../../common/audit';
import { AppError } from '../errors';
import { compactRoleSchema } from '../freshservice/roleCache';
import type { ServerArgs } from '../platform';
import { sameText } from '../store/mac';
import { storageSecretOf } from '../store/secret';
import { accessSummarySchema } from './schemas';
import { jsonBytes } from './size';

/**
 * Everything later slices of one overview need travels in the opaque cursor instead of $db
 * (which allows only 50 operations a minute): the roles read so far, running totals, where to
 * continue and the times of recent template requests (for pacing).
 *
 * A cursor decides what the server reads and reports (roles, totals, pacing), so it is signed
 * with HMAC-SHA256 under a key only the server has (derived from the installation's storage
 * secret, a secure iparam the browser never sees) and carries when it was issued. Nothing in a
 * cursor is read before its signature is verified; one that is altered, signed with another key,
 * or older than MAX_CURSOR_AGE_MS is refused. Nothing an overview reads is written to the app's
 * storage from a cursor: a replayed one can only repeat an old slice, never record anything.
 */
export const OVERVIEW_PHASES = ['roles', 'active', 'deactivated'] as const;
export type OverviewPhase = (typeof OVERVIEW_PHASES)[number];

/**
 * How long one issued cursor stays valid. Every slice issues a new cursor, so this bounds one
 * hop (the longest wait between two calls is a minute, a 429's Retry-After a little more),
 * not the whole audit, which takes about 12 minutes for 50,000 agents.
 */
export const MAX_CURSOR_AGE_MS = 15 * 60_000;
/** Server instances' clocks may differ a little; a cursor issued further in the future is forged. */
const CLOCK_SKEW_MS = 60_000;

/** Keeps cursor MACs apart from anything else the same api_key might ever sign. */
const KEY_DOMAIN = 'cursor:v1:';
/** HMAC-SHA256 in hex. */
const MAC_HEX_CHARS = 64;
const MAC_PATTERN = /^[0-9a-f]{64}$/;

const agentIds = z.array(z.number().int().positive()).max(100);

const cursorSchema = z.object({
  version: z.literal(4),
  issuedAt: z.number().int().nonnegative(),
  phase: z.enum(OVERVIEW_PHASES),
  page: z.number().int().positive(),
  /** Agents of `page` already answered (a page split to keep a response small), by id. */
  answered: agentIds,
  /**
   * The agents of the page before: when an agent is added or removed while the account is read,
   * Freshservice's pages shift and an agent can reappear at the top of the next page; they are
   * answered once.
   */
  previous: agentIds,
  includeDeactivated: z.boolean(),
  roles: z.array(compactRoleSchema).max(1000),
  summary: accessSummarySchema,
  pagesLoaded: z.number().int().nonnegative(),
  agentsLoaded: z.number().int().nonnegative(),
  requestTimes: z.array(z.number()).max(100),
  notBefore: z.number(),
});
export type OverviewCursor = z.infer<typeof cursorSchema>;

/** The server-only secret cursors are signed with. */
export interface CursorKey {
  readonly secret: string;
}

const EMPTY_SUMMARY: AccessSummary = { agents: 0, accountAdmins: 0, lackingAccountAdmin: 0, deactivated: 0 };

export function firstCursor(includeDeactivated: boolean, now: number): OverviewCursor {
  return {
    version: 4,
    issuedAt: now,
    phase: 'roles',
    page: 1,
    answered: [],
    previous: [],
    includeDeactivated,
    roles: [],
    summary: { ...EMPTY_SUMMARY },
    pagesLoaded: 0,
    agentsLoaded: 0,
    requestTimes: [],
    notBefore: 0,
  };
}

/**
 * The signing key from the installation's storage secret (a secure iparam FDK hands every
 * server method; see store/secret.ts). Without it the MAC would be forgeable by anyone who
 * knows the app, so the overview refuses to run.
 */
export function cursorKeyOf(args: ServerArgs): CursorKey {
  return { secret: KEY_DOMAIN + storageSecretOf(args).value };
}

function macOf(key: CursorKey, body: string): string {
  return sha256.hmac(key.secret, body);
}

/** `<hex MAC>.<JSON body>`: the MAC covers the body exactly as sent. */
export function encodeCursor(cursor: OverviewCursor, key: CursorKey): string {
  const body = JSON.stringify(cursor);
  return `${macOf(key, body)}.${body}`;
}

/** Bytes the encoded cursor takes in a slice's JSON, without spending a MAC on it. */
export function cursorBytes(cursor: OverviewCursor): number {
  return jsonBytes(JSON.stringify(cursor)) + MAC_HEX_CHARS + 1;
}

function refused(): AppError {
  return new AppError(
    400,
    'INVALID_PAYLOAD',
    'The request to the app is invalid: field "cursor" is not one this app issued, was altered, or has expired. Start the overview again.',
  );
}

/** The body of a cursor whose MAC this server made; anything else is refused before it is parsed. */
function verifiedBody(text: string, key: CursorKey): string {
  const separator = text.indexOf('.');
  const mac = text.slice(0, separator);
  const body = text.slice(separator + 1);
  if (separator < 0 || !MAC_PATTERN.test(mac) || !sameText(macOf(key, body), mac)) {
    throw refused();
  }
  return body;
}

function parseBody(body: string): OverviewCursor {
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    throw refused();
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) {
    throw refused();
  }
  return parsed.data;
}

function isFresh(cursor: OverviewCursor, now: number): boolean {
  const age = now - cursor.issuedAt;
  return age <= MAX_CURSOR_AGE_MS && age >= -CLOCK_SKEW_MS;
}

/** A cursor this server issued under `key` within MAX_CURSOR_AGE_MS; otherwise 400 INVALID_PAYLOAD naming `cursor`. */
export function decodeCursor(text: string, key: CursorKey, now: number): OverviewCursor {
  const cursor = parseBody(verifiedBody(text, key));
  if (!isFresh(cursor, now)) {
    throw refused();
  }
  return cursor;
}
