/**
 * Everything the profile sidebar shows, read in the order that spends the least of the
 * platform's per-minute budgets (50 template requests, 50 $db operations):
 * 1. the viewed agent (one template request); no agent with that id means a requester, which
 *    is answered at once: no $db operation, no further request;
 * 2. the head (one $db get: the roles, the recorded Account Admins and the ledger's index;
 *    roles too old or missing are read from Freshservice and stored, one more $db operation);
 * 3. at the same time, the Account Admins (from the head) and the ledger's record of the viewed
 *    agent (one more get, only when they have a record);
 * 4. the viewer only when still unknown: on their own page they are the viewed agent, and an
 *    Account Admin is in the list; anyone else costs one template request (Admin or plain agent).
 * When the store refuses (its 50 operations a minute are spent), the Freshservice facts still
 * answer and `apiKeyError` says why the API-key part is missing.
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
  // An id that is no agent's (a forged or stale payload) gets the plain agent's guidance.
  const agent = await agentOrNull(context.deps.request, viewerId);
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

export async function profileAccess(payload: ProfileAccessPayload, deps: ProfileAccessDeps): Promise<ProfileAccess> {
  const startedAt = deps.now();
  const viewedAgent = await agentOrNull(deps.request, payload.viewedId);
  if (viewedAgent === null) {
    return requesterProfile();
  }
  const head = await deps.storage.head();
  // Someone is using the app: the background scan gives way (at most one $db write a minute).
  await noticePeople(head, deps.storage, deps.schedule, deps.now);
  const catalog = await currentCatalog(deps);
  const context: AgentContext = { payload, viewed: toAgentAccess(viewedAgent, catalog), catalog, head, deps, startedAt };
  const ledger = new ApiKeyLedger(deps.storage);
  const [people, apiKey] = await Promise.all([peopleAround(context), apiKeyOf(ledger, context.viewed)]);
  return {
    viewed: agentUserAccess(context.viewed, catalog),
    viewer: people.viewer,
    accountAdmins: people.accountAdmins,
    ...apiKey,
    pendingRequests: await pendingFor(people.viewer, ledger),
  };
}

/** An Account Admin learns how many requests wait on any page they open (from the head: no extra read). */
async function pendingFor(viewer: ProfileViewer, ledger: ApiKeyLedger): Promise<number | null> {
  if (!viewer.isAccountAdmin) {
    return null;
  }
  try {
    return await ledger.pendingInHead();
  } catch {
    return null;
  }
}
