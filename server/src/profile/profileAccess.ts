/**
 * Everything the profile sidebar shows, read in the order that spends the least of the
 * platform's per-minute budgets (50 template requests, 50 $db operations):
 * 1. the viewed agent (one template request); no agent with that id means a requester, which
 *    is answered at once: no $db operation, no further request;
 * 2. the account snapshot (one $db get: the roles and the recorded Account Admins; roles too
 *    old or missing are read from Freshservice and stored, one more $db operation);
 * 3. at the same time, the Account Admins (from that snapshot, no further $db read) and the
 *    ledger's record of the viewed agent (its usual two gets);
 * 4. the viewer only when still unknown: on their own page they are the viewed agent, and an
 *    Account Admin is in the list; anyone else costs one template request (Admin or plain agent);
 * 5. for an Account Admin viewer only, how many requests are waiting (one $db get: the ledger's
 *    summary); nothing more for anyone else;
 * 6. on an agent's own page after a decline only, the decline's reason from the newest trail page
 *    (the summary and one or two trail pages).
 * The exact counts per case are in docs/audit.md and proved in tests/server/profile.
 */
import type { AccountAdminsResult, AgentAccess } from '../../../common/audit';
import type { AppErrorBody } from '../../../common/errors';
import type { ApiKeyRecord } from '../../../common/ledger';
import type { ProfileAccess, ProfileAccessPayload, ProfileViewer } from '../../../common/profile';
import { accountAdminsIn } from '../audit/accountAdmins';
import { agentOrNull, agentUserAccess } from '../audit/userAccess';
import { toErrorBody } from '../errors';
import { toAgentAccess } from '../freshservice/access';
import { readAccountSnapshot, type AccountSnapshot } from '../freshservice/accountSnapshot';
import { currentRoles } from '../freshservice/roleCache';
import { catalogOf, type RoleCatalog } from '../freshservice/roles';
import { personOf } from '../ledger/access-rules';
import { ApiKeyLedger } from '../ledger/api-key-ledger';
import { PendingIndex } from '../ledger/pending-index';
import { LedgerStore } from '../ledger/store';
import type { KeyValueStore, TemplateClient } from '../platform';

export interface ProfileAccessDeps {
  request: TemplateClient;
  store: KeyValueStore;
  /** Milliseconds since the epoch: bounds the Account Admins scan inside FDK's 20 s. */
  now: () => number;
}

interface AgentContext {
  payload: ProfileAccessPayload;
  viewed: AgentAccess;
  catalog: RoleCatalog;
  snapshot: AccountSnapshot;
  deps: ProfileAccessDeps;
  startedAt: number;
}

interface PeopleAround {
  accountAdmins: AccountAdminsResult;
  viewer: ProfileViewer;
  pendingRequests: number | null;
}

interface ApiKeyAnswer {
  apiKey: ApiKeyRecord | null;
  apiKeyError: AppErrorBody | null;
}

function requesterProfile(): ProfileAccess {
  return {
    viewed: { kind: 'requester', agent: null, accountAdminRole: null, permissionsPath: null },
    viewer: null,
    accountAdmins: null,
    apiKey: null,
    apiKeyError: null,
    pendingRequests: null,
    declineNote: null,
  };
}

function viewerFlags(id: number, agent: AgentAccess | null): ProfileViewer {
  return { id, isAccountAdmin: agent?.isAccountAdmin === true, holdsAdminRole: agent?.holdsAdminRole === true };
}

/** Without an "Account Admin" role nobody can enable keys: the widget warns (and no scan is made). */
function accountAdminsOf(context: AgentContext): Promise<AccountAdminsResult> {
  if (context.catalog.accountAdminRole === null) {
    return Promise.resolve({ accountAdminRole: null, accountAdmins: [], complete: true, recordedAt: null });
  }
  return accountAdminsIn(context.catalog, context.deps, context.startedAt, context.snapshot);
}

async function viewerOf(context: AgentContext, accountAdmins: AccountAdminsResult): Promise<ProfileViewer> {
  const { viewerId } = context.payload;
  if (viewerId === context.viewed.id) {
    return viewerFlags(viewerId, context.viewed);
  }
  const listed = accountAdmins.accountAdmins.find((admin) => admin.id === viewerId);
  if (listed !== undefined) {
    return viewerFlags(viewerId, listed);
  }
  // An id that is no agent's (a forged or stale payload) gets the plain agent's guidance.
  const agent = await agentOrNull(context.deps.request, viewerId);
  return viewerFlags(viewerId, agent === null ? null : toAgentAccess(agent, context.catalog));
}

/** The ledger's pending requests, counted from its summary (one $db get); null when it cannot be read. */
async function pendingCountOf(store: KeyValueStore): Promise<number | null> {
  try {
    const summary = await new PendingIndex(new LedgerStore(store)).readSummary();
    return Object.keys(summary.pending).length;
  } catch (error) {
    console.warn(`getProfileAccess: the pending requests could not be counted: ${toErrorBody(error).code}`);
    return null;
  }
}

async function peopleAround(context: AgentContext): Promise<PeopleAround> {
  const accountAdmins = await accountAdminsOf(context);
  const viewer = await viewerOf(context, accountAdmins);
  // Only an Account Admin can act on requests: nobody else costs the extra read.
  const pendingRequests = viewer.isAccountAdmin ? await pendingCountOf(context.deps.store) : null;
  return { accountAdmins, viewer, pendingRequests };
}

/** The ledger is the app's own record: when it cannot be read, the Freshservice facts still answer. */
async function apiKeyOf(store: KeyValueStore, viewed: AgentAccess): Promise<ApiKeyAnswer> {
  try {
    return { apiKey: await new ApiKeyLedger(store).state(personOf(viewed)), apiKeyError: null };
  } catch (error) {
    const body = toErrorBody(error);
    console.warn(`getProfileAccess: the API-key ledger could not be read: ${body.code} (${body.status})`);
    return { apiKey: null, apiKeyError: body };
  }
}

/** The decline's note, when the newest trail page still holds the entry that declined `record`. */
async function declineNoteOf(store: KeyValueStore, record: ApiKeyRecord): Promise<string | null> {
  try {
    const page = await new ApiKeyLedger(store).readTrail(null);
    const entry = page.entries.find((candidate) => candidate.action === 'declined' && candidate.target.id === record.agent.id && candidate.at === record.decidedAt);
    return entry?.note ?? null;
  } catch (error) {
    console.warn(`getProfileAccess: the decline's reason could not be read: ${toErrorBody(error).code}`);
    return null;
  }
}

/** Only the declined agent, on their own page, is told why: nobody else's view reads the trail. */
function declineNoteFor(payload: ProfileAccessPayload, deps: ProfileAccessDeps, answer: ApiKeyAnswer): Promise<string | null> {
  const record = answer.apiKey;
  if (record === null || record.state !== 'declined' || payload.viewerId !== payload.viewedId) {
    return Promise.resolve(null);
  }
  return declineNoteOf(deps.store, record);
}

export async function profileAccess(payload: ProfileAccessPayload, deps: ProfileAccessDeps): Promise<ProfileAccess> {
  const startedAt = deps.now();
  const viewedAgent = await agentOrNull(deps.request, payload.viewedId);
  if (viewedAgent === null) {
    return requesterProfile();
  }
  const snapshot = await readAccountSnapshot(deps.store);
  const catalog = catalogOf(await currentRoles(deps, snapshot));
  const context: AgentContext = { payload, viewed: toAgentAccess(viewedAgent, catalog), catalog, snapshot, deps, startedAt };
  const [people, apiKey] = await Promise.all([peopleAround(context), apiKeyOf(deps.store, context.viewed)]);
  const declineNote = await declineNoteFor(payload, deps, apiKey);
  return { viewed: agentUserAccess(context.viewed, catalog), viewer: people.viewer, accountAdmins: people.accountAdmins, ...apiKey, pendingRequests: people.pendingRequests, declineNote };
}
