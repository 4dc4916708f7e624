/**
 * Error codes shared by the server methods and the widget. The server answers
 * `renderData({ status, message, code })`; the widget switches on `code` to pick an
 * action (retry, fix the app settings, ask an Account Admin) and shows `message` as is.
 */
export const ERROR_CODES = [
  /** 401 from Freshservice: the API key in the app settings is wrong or disabled. */
  'KEY_INVALID',
  /** 403 from Freshservice: the key's owner may not read agents and roles. */
  'KEY_OWNER_NOT_ADMIN',
  /** 404: no such agent. */
  'NOT_FOUND',
  /** 429 from Freshservice (its per-minute limit for the account); `retryAfterSeconds` says when to retry. */
  'RATE_LIMITED',
  /**
   * 429 from the platform itself: the app used FDK's 50 template requests a minute for the
   * installation (errorSource "PLATFORM"). Not Freshservice's doing; `retryAfterSeconds` says
   * when the minute has room again.
   */
  'APP_RATE_LIMITED',
  /** 5xx, timeout or connection error reaching Freshservice. */
  'FRESHSERVICE_UNAVAILABLE',
  /** Freshservice answered something the app cannot read (bad JSON, missing fields, a looping Link header). */
  'BAD_RESPONSE',
  /** 400: the payload sent to a server method is invalid; the message names the field. */
  'INVALID_PAYLOAD',
  /** No default role named "Account Admin" exists in the account. */
  'ACCOUNT_ADMIN_ROLE_MISSING',
  /** 403: the acting agent does not currently hold Account Admin. */
  'NOT_ACCOUNT_ADMIN',
  /** 403: nobody can change their own API key or roles. */
  'SELF_ACTION',
  /** 409: the target agent is deactivated (or not an agent). */
  'TARGET_INACTIVE',
  /** 409: the action does not fit the current API-key state. */
  'OUT_OF_ORDER',
  /**
   * The app's own key-value store failed or is rate limited (50 operations a minute). Answered
   * with status 507, never 503, so the widget tells it apart from Freshservice even when the
   * platform forwards only the status.
   */
  'STORE_UNAVAILABLE',
  /** A record the app stored failed its integrity check (changed outside the app): it is not used. */
  'RECORD_TAMPERED',
  /** Anything unexpected; the message says to retry and report. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What a failed server method answers through `renderData(error)`. */
export interface AppErrorBody {
  status: number;
  message: string;
  code: ErrorCode;
  /** Present with RATE_LIMITED and APP_RATE_LIMITED: seconds to wait, from Retry-After (a minute when absent). */
  retryAfterSeconds?: number;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
