/**
 * Contract of getProfileAccess: everything the profile sidebar (and the console's per-agent
 * "Access" modal) shows, in one server-method call. It bundles what getUserAccess,
 * listAccountAdmins and getApiKeyState answer, so a view costs one of the 50 server-method
 * calls a minute instead of three or four. Owned by the profile method; extend, do not break.
 */
import type { AccountAdminsResult, AgentId, UserAccess } from './audit';
import type { AppErrorBody } from './errors';
import type { ApiKeyRecord, RecordedUnderName } from './ledger';

/**
 * The browser says who is looking (`viewerId`): it only picks the guidance, never unlocks an
 * action. People are read from Freshservice by email (a request template never carries a value
 * from the browser in its path), and an email that belongs to another id is refused.
 */
export interface ProfileAccessPayload {
  /** The user whose page is open. */
  viewedId: AgentId;
  /**
   * Their email, as FDK's data API gives it on the user page. The queue, which knows only the id,
   * leaves it out: the server then takes it from the agent's API-key record.
   */
  viewedEmail?: string | null;
  /** The signed-in agent. */
  viewerId: AgentId;
  viewerEmail: string;
}

/** What the signed-in agent may do about someone else's API key, as Freshservice says now. */
export interface ProfileViewer {
  id: AgentId;
  isAccountAdmin: boolean;
  /** Holds an admin-level role other than Account Admin ("Admin is not Account Admin"). */
  holdsAdminRole: boolean;
}

export interface ProfileAccess {
  /**
   * The viewed user. For a requester nothing else is read, so `accountAdminRole` is null there
   * (unlike getUserAccess, which reads the roles for requesters too).
   */
  viewed: UserAccess;
  /** null for a requester's page (no guidance is shown there). An id that is no agent's reads as neither flag. */
  viewer: ProfileViewer | null;
  /**
   * Who can enable API keys; null for a requester's page. When the account has no default
   * "Account Admin" role this is `{ accountAdminRole: null, accountAdmins: [], complete: true }`
   * rather than an error, so the viewed agent still shows.
   */
  accountAdmins: AccountAdminsResult | null;
  /** The ledger's record of the viewed agent's key; null for requesters and when the ledger could not be read. */
  apiKey: ApiKeyRecord | null;
  /** Why the ledger could not be read (its failures never hide the Freshservice facts); null otherwise. */
  apiKeyError: AppErrorBody | null;
  /**
   * How many API-key requests are waiting, so an Account Admin learns of them during their normal
   * work (the app sends no mail). Only when the viewer is an Account Admin; null otherwise, and
   * null when the ledger could not be read.
   */
  pendingRequests: number | null;
  /**
   * True when the ledger holds more than its first 100 agents: `pendingRequests` then counts only
   * those (say "at least"); the console counts every one.
   */
  pendingRequestsPartial: boolean;
  /**
   * On the viewer's own page, when they hold Account Admin: the newest entries recorded in this
   * app under their name (at most 50), so they notice anything someone else recorded as them.
   * null otherwise, and when the ledger could not be read.
   */
  recordedAsViewer: RecordedUnderName[] | null;
}
