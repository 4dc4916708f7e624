/**
 * Everything the profile sidebar shows, read in the order that spends the least of the
 * platform's per-minute budgets (50 template requests, 50 $db operations):
 * 1. the viewed agent (one template request, by the email the page gives); an email that is no
 *    agent's means a requester, which is answered at once: no $db operation, no further request
 *    (the queue, which knows only an id, first reads the email kept with the agent's record);
 * 2. the head (one $db get: the roles, the recorded Account Admins and the ledger's first index
 *    entries; roles too old or missing are read from Freshservice and stored, one more $db write);
 * 3. at the same time, the Account Admins (from the head) and the ledger's record of the viewed
 *    agent (one more get when they have a record; two more once the index continues in shards);
 * 4. the viewer only when still unknown: on their own page they are the viewed agent, and an
 *    Account Admin is in the list; anyone else costs one template request (Admin or plain agent);
 * 5. on an Account Admin's own page, what was recorded in this app under their name (one get).
 * When the store refuses (its 50 operations a minute are spent), the Freshservice facts still
 * answer and `apiKeyError` says why the API-key part is missing.
 * The exact counts per case are in docs/audit.md and proved in tests/server/profile.
 */
import type { AccountAdminsResult, AgentAccess } from '../../../common/audit';
import type { AppErrorBody } from '../../../common/errors';
import type { ApiKeyRecord } from '../../../common/ledger';
import type { RecordedUnderName } from '../../../common/ledger';
import type { ProfileAccess, ProfileAccessPayload, ProfileViewer } from '../../../common/profile';
import { accountAdminsIn } from '../audit/accountAdmins';
import { agentUserAccess } from '../audit/userAccess';
import { AppError, toErrorBody } from '../errors';
import { toAgentAccess } from '../freshservice/access';
import { agentNamed } from '../freshservice/agents';
import type { FreshserviceAgent } from '../freshservice/schemas';
import { currentCatalog } from '../freshservice/roleCache';
import type { RoleCatalog } from '../freshservice/roles';
import { personOf } from '../ledger/access-rules';
import { ApiKeyLedger } from '../ledger/api-key-ledger';
import { noticePeople } from '../admins/presence';
import type { ScheduleClient, TemplateClient } from '../platform';
import type { Head } from '../store/head';
import type { Storage } from '../store/storage';

export interface ProfileAccessDeps {
  request: TemplateClient;
  storage: Storage;
  /** Milliseconds since the epoch: bounds the Account Admins scan inside FDK's 20 s. */
  now: () => number;
  /** To re-create the background refresh when a view finds it stopped. */
  schedule?: ScheduleClient;
}

interface AgentContext {
  payload: ProfileAccessPayload;
  viewed: AgentAccess;
  catalog: RoleCatalog;
  head: Head;
  deps: ProfileAccessDeps;
  startedAt: number;
}

interface PeopleAround {
  accountAdmins: AccountAdminsResult;
  viewer: ProfileViewer;
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
    pendingRequestsPartial: false,
    recordedAsViewer: null,
  };
}

function viewerFlags(id: number, agent: AgentAccess | null): ProfileViewer {
  return { id, isAccountAdmin: agent?.isAccountAdmin === true, holdsAdminRole: agent?.holdsAdminRole === true };
}

/** Without an "Account Admin" role nobody can enable keys: the widget warns. Never a scan: the list is the head's. */
function accountAdminsOf(context: AgentContext): AccountAdminsResult {
  if (context.catalog.accountAdminRole === null) {
    return { accountAdminRole: null, accountAdmins: [], complete: true, recordedAt: null };
  }
  return accountAdminsIn(context.catalog, context.head, context.deps.now());
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
  // An email that is no agent's, or another agent's (a forged or stale payload), gets the plain agent's guidance.
  const agent = await agentNamed(context.deps.request, { id: viewerId, email: context.payload.viewerEmail });
  return viewerFlags(viewerId, agent === null ? null : toAgentAccess(agent, context.catalog));
}

async function peopleAround(context: AgentContext): Promise<PeopleAround> {
  const accountAdmins = accountAdminsOf(context);
  return { accountAdmins, viewer: await viewerOf(context, accountAdmins) };
}

/** The ledger is the app's own record: when it cannot be read, the Freshservice facts still answer. */
async function apiKeyOf(ledger: ApiKeyLedger, viewed: AgentAccess): Promise<ApiKeyAnswer> {
  try {
    return { apiKey: await ledger.record(personOf(viewed)), apiKeyError: null };
  } catch (error) {
    const body = toErrorBody(error);
    console.warn(`getProfileAccess: the API-key ledger could not be read: ${body.code} (${body.status})`);
    return { apiKey: null, apiKeyError: body };
  }
}

function noEmailKept(): AppError {
  return new AppError(404, 'NOT_FOUND', "The app has no email for this agent in its records, so it cannot look them up: open the agent's profile page in Freshservice instead.");
}

/** The viewed agent, by the email the page sent, or else the one kept with their API-key record; null for a requester. */
async function viewedAgentOf(payload: ProfileAccessPayload, deps: ProfileAccessDeps, ledger: ApiKeyLedger): Promise<FreshserviceAgent | null> {
  const email = payload.viewedEmail ?? (await ledger.emailOf(payload.viewedId));
  if (email === null) {
    throw noEmailKept();
  }
  return agentNamed(deps.request, { id: payload.viewedId, email });
}

export async function profileAccess(payload: ProfileAccessPayload, deps: ProfileAccessDeps): Promise<ProfileAccess> {
  const startedAt = deps.now();
  const ledger = new ApiKeyLedger(deps.storage);
  const viewedAgent = await viewedAgentOf(payload, deps, ledger);
  if (viewedAgent === null) {
    return requesterProfile();
  }
  const head = await deps.storage.head();
  // Someone is using the app: the background scan gives way (at most one $db write a minute).
  await noticePeople(head, deps.storage, deps.schedule, deps.now);
  const catalog = await currentCatalog(deps);
  const context: AgentContext = { payload, viewed: toAgentAccess(viewedAgent, catalog), catalog, head, deps, startedAt };
  const [people, apiKey] = await Promise.all([peopleAround(context), apiKeyOf(ledger, context.viewed)]);
  return {
    viewed: agentUserAccess(context.viewed, catalog),
    viewer: people.viewer,
    accountAdmins: people.accountAdmins,
    ...apiKey,
    ...(await pendingFor(people.viewer, ledger)),
    recordedAsViewer: await recordedAsViewer(context, people.viewer, ledger),
  };
}

/** An Account Admin learns how many requests wait on any page they open (from the head: no extra read). */
async function pendingFor(viewer: ProfileViewer, ledger: ApiKeyLedger): Promise<Pick<ProfileAccess, 'pendingRequests' | 'pendingRequestsPartial'>> {
  if (!viewer.isAccountAdmin) {
    return { pendingRequests: null, pendingRequestsPartial: false };
  }
  try {
    const pending = await ledger.pendingInHead();
    return { pendingRequests: pending.count, pendingRequestsPartial: pending.partial };
  } catch {
    return { pendingRequests: null, pendingRequestsPartial: false };
  }
}

/** On an Account Admin's own page: what was recorded under their name (one read of their own key); null anywhere else or when it cannot be read. */
async function recordedAsViewer(context: AgentContext, viewer: ProfileViewer, ledger: ApiKeyLedger): Promise<RecordedUnderName[] | null> {
  if (viewer.id !== context.viewed.id || !viewer.isAccountAdmin) {
    return null;
  }
  try {
    return await ledger.recordedUnder(viewer.id);
  } catch (error) {
    console.warn(`getProfileAccess: the entries recorded under the viewer's name could not be read: ${toErrorBody(error).code}`);
    return null;
  }
}
