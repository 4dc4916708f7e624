/**
 * Changes to agents made through the control API (/_simulator/agents/...), as an admin would make
 * them in Freshservice, and the user event each change sends to in-process listeners (the local
 * runtime delivers it to the app). After a change the API answers with the changed agent.
 *
 * Which change sends which event: Freshworks' v3.0 `service_user` product events page
 * (https://developers.freshworks.com/docs/app-sdk/v3.0/service_user/serverless-apps/product-events/onuser):
 * onUserUpdate when "agent details are updated" and when "an agent or requester is deactivated or
 * reactivated"; onUserDelete when a user is deleted. That a role-only change sends onUserUpdate
 * is *assumed* (the page does not name roles). The payload follows the FDK-generated Freshservice
 * samples (`hosilva4/freshService_customAppPDF` `server/test_data/onUserUpdate.json`,
 * `onUserDelete.json`, commit 0298e981e865603f61a8427204905d37515d07d2): `data.user` with
 * `agent_access.account_wide_access.account_wide_roles[]`, a flat `data.changes`
 * (`{ attr: [old, new] }`) and `data.actor`.
 */
import { z } from 'zod';
import { controlAnswer, controlRefusal as refuse, notFound, readControlBody, type SimReply } from './responses';
import { defaultRoleNamed } from './facts';
import { EVENT_SAMPLE_ROLE_TYPE } from './role-type';
import { freshserviceId, roleAssignmentSchema, type RoleAssignment, type SimAccount, type SimAgent } from './schema';
import { isoSeconds } from './shapes';

export type UserEventName = 'onUserUpdate' | 'onUserDelete';

/** A user event as Freshservice sends it, without the envelope FDK adds (event, iparams, ...). */
export interface SimUserEvent {
  name: UserEventName;
  payload: { data: Record<string, unknown> };
}

/** May return a promise: the control answer waits for every listener (the runtime: until the app has handled it). */
export type UserEventListener = (event: SimUserEvent) => unknown;

/** The simulator's in-process listeners. A simulator in its own process (npm run simulator) has none: its events go nowhere. */
export class UserEvents {
  private readonly listeners = new Set<UserEventListener>();

  /** Adds a listener; the function returned removes it. */
  on(listener: UserEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Hands the event to every listener and answers how many there were; a failing listener does not stop the others. */
  async emit(event: SimUserEvent): Promise<number> {
    const listeners = [...this.listeners];
    await Promise.allSettled(listeners.map((listener) => Promise.resolve().then(() => listener(event))));
    return listeners.length;
  }
}

export interface AgentChangeContext {
  account: SimAccount;
  events: UserEvents;
  now(): number;
  /** Called after each change, so the API serves it. */
  changed(): void;
}

const actorBody = { actorId: freshserviceId.optional() };

/** The body of PUT /_simulator/agents/{id}/roles: the agent's whole new role set, as Freshservice's PUT /agents/{id} replaces it (strict here; groups may be left out). */
const roleChangeSchema = z.strictObject({
  roles: z.array(z.strictObject({ ...roleAssignmentSchema.shape, groups: roleAssignmentSchema.shape.groups.default([]) })),
  ...actorBody,
});
/** The optional body of the other changes: who makes them (default: an active Account Admin). */
const actorSchema = z.strictObject(actorBody);

function roleNamed(account: SimAccount, id: number) {
  return account.roles.find((role) => role.id === id);
}

interface Actor {
  id: number;
  name: string;
  type: number;
}

/** `data.actor`: the agent named by actorId, else the first active Account Admin who is not the changed agent; null when there is none. */
function actorFor(context: AgentChangeContext, agentId: number, actorId: number | undefined): Actor | null {
  const adminRole = defaultRoleNamed(context.account.roles, 'Account Admin');
  const actor =
    actorId === undefined
      ? context.account.agents.find((agent) => agent.id !== agentId && agent.active && agent.roles.some((role) => role.role_id === adminRole))
      : context.account.agents.find((agent) => agent.id === actorId);
  return actor === undefined ? null : { id: actor.id, name: [actor.first_name, actor.last_name].filter((part) => part !== null && part !== '').join(' '), type: 0 };
}

function rolePayload(context: AgentChangeContext, assignment: RoleAssignment): Record<string, unknown> {
  const role = roleNamed(context.account, assignment.role_id);
  return {
    id: assignment.role_id,
    name: role?.name ?? null,
    // The sample gives every role this role_type, whatever the role (role-type.ts).
    role_type: EVENT_SAMPLE_ROLE_TYPE,
    scope: assignment.assignment_scope,
    scope_groups: assignment.groups.map((id) => ({ id })),
  };
}

/** Workspace-scoped roles: the samples show `workspace_access: null` only, so this shape is *assumed*. */
function workspaceAccess(context: AgentChangeContext, agent: SimAgent): unknown {
  const scoped = agent.roles.filter((assignment) => assignment.workspace_id !== undefined);
  if (scoped.length === 0) {
    return null;
  }
  const workspaceIds = [...new Set(scoped.map((assignment) => assignment.workspace_id))];
  return workspaceIds.map((workspaceId) => ({
    workspace_id: workspaceId,
    workspace_roles: scoped.filter((assignment) => assignment.workspace_id === workspaceId).map((assignment) => rolePayload(context, assignment)),
  }));
}

/** `data.user` for an agent, field names as in FDK's Freshservice samples (group names are not in the simulator's data). */
function userOf(context: AgentChangeContext, agent: SimAgent): Record<string, unknown> {
  return {
    id: agent.id,
    first_name: agent.first_name,
    last_name: agent.last_name,
    primary_email: agent.email,
    active: agent.active,
    deleted: false,
    forgotten: false,
    job_title: agent.job_title ?? null,
    department_ids: agent.department_ids ?? [],
    created_at: agent.created_at ?? null,
    updated_at: agent.updated_at ?? null,
    license_type: 'it_agent',
    occasional_agent: agent.occasional,
    vip_user: false,
    agent_access: {
      account_wide_access: {
        member_of_groups: (agent.member_of ?? []).map((id) => ({ id })),
        observer_of_groups: (agent.observer_of ?? []).map((id) => ({ id })),
        account_wide_roles: agent.roles.filter((assignment) => assignment.workspace_id === undefined).map((assignment) => rolePayload(context, assignment)),
      },
      workspace_access: workspaceAccess(context, agent),
    },
    requester_access: null,
  };
}

/** A user the onUserDelete sample describes: forgotten, shown as a requester with no agent access. */
function forgottenUser(agent: SimAgent, now: number): Record<string, unknown> {
  return {
    id: agent.id,
    first_name: 'Forgotten User',
    last_name: null,
    primary_email: null,
    active: false,
    deleted: true,
    forgotten: true,
    created_at: agent.created_at ?? null,
    updated_at: isoSeconds(now),
    license_type: 'requester',
    agent_access: null,
    requester_access: { account_wide_access: { requester_groups: [], project_management_access: {} } },
  };
}

interface Found {
  index: number;
  agent: SimAgent;
}

function findAgent(context: AgentChangeContext, id: number): Found | null {
  const index = context.account.agents.findIndex((agent) => agent.id === id);
  const agent = context.account.agents[index];
  return agent === undefined ? null : { index, agent };
}

/** Stores the changed agent, then sends its event; answers the agent as the API now serves it, the event's name and how many listeners took it. */
async function commit(context: AgentChangeContext, found: Found, updated: SimAgent, event: SimUserEvent | null): Promise<SimReply> {
  context.account.agents[found.index] = updated;
  context.changed();
  const listeners = event === null ? 0 : await context.events.emit(event);
  return controlAnswer({ agent: updated, event: event?.name ?? null, listeners });
}

function sameRoles(left: readonly RoleAssignment[], right: readonly RoleAssignment[]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** What every change starts from: the agent, the checked body and who acts; or the answer that refuses it. */
function prepare<T extends { actorId?: number | undefined }>(context: AgentChangeContext, id: number, schema: z.ZodType<T>, body: string): { found: Found; change: T; actor: Actor } | SimReply {
  const found = findAgent(context, id);
  if (found === null) {
    return notFound();
  }
  const change = readControlBody(schema, body, 'agent change');
  if (!change.ok) {
    return change.reply;
  }
  const actorId = change.value.actorId;
  const actor = actorFor(context, id, actorId);
  if (actor === null) {
    return refuse(actorId === undefined ? 'No active Account Admin can make this change: name one with actorId.' : `No agent ${actorId} to act.`);
  }
  return { found, change: change.value, actor };
}

/** PUT /_simulator/agents/{id}/roles: replaces the role set (nobody can change their own roles in Freshservice). */
export function setRoles(context: AgentChangeContext, id: number, body: string): Promise<SimReply> | SimReply {
  const prepared = prepare(context, id, roleChangeSchema, body);
  if (!('found' in prepared)) {
    return prepared;
  }
  const { found, change, actor } = prepared;
  const unknownRole = change.roles.find((assignment) => roleNamed(context.account, assignment.role_id) === undefined);
  if (unknownRole !== undefined) {
    return refuse(`roles: role_id ${unknownRole.role_id} is not a role of this account`);
  }
  if (actor.id === id) {
    return refuse('An agent cannot change their own roles in Freshservice: name another actorId.');
  }
  const roles: RoleAssignment[] = change.roles.map(({ workspace_id, ...rest }) => (workspace_id === undefined ? rest : { ...rest, workspace_id }));
  if (sameRoles(found.agent.roles, roles)) {
    return commit(context, found, found.agent, null);
  }
  const updated: SimAgent = { ...found.agent, roles, updated_at: isoSeconds(context.now()) };
  if (updated.role_ids !== undefined) {
    updated.role_ids = roles.map((assignment) => assignment.role_id);
  }
  // The samples' `changes` has no entry for roles, and what Freshservice writes there for a role change is not documented: none here.
  return commit(context, found, updated, { name: 'onUserUpdate', payload: { data: { user: userOf(context, updated), changes: {}, actor } } });
}

/** POST /_simulator/agents/{id}/deactivate and /reactivate: onUserUpdate with `changes.active`. */
export function setActive(context: AgentChangeContext, id: number, active: boolean, body: string): Promise<SimReply> | SimReply {
  const prepared = prepare(context, id, actorSchema, body);
  if (!('found' in prepared)) {
    return prepared;
  }
  const { found, actor } = prepared;
  if (found.agent.active === active) {
    return commit(context, found, found.agent, null);
  }
  const updated: SimAgent = { ...found.agent, active, updated_at: isoSeconds(context.now()) };
  return commit(context, found, updated, { name: 'onUserUpdate', payload: { data: { user: userOf(context, updated), changes: { active: [!active, active] }, actor } } });
}

/** DELETE /_simulator/agents/{id}: the agent is forgotten (gone from the API; its keys stop working) and onUserDelete is sent. */
export async function forgetAgent(context: AgentChangeContext, id: number, body: string): Promise<SimReply> {
  const prepared = prepare(context, id, actorSchema, body);
  if (!('found' in prepared)) {
    return prepared;
  }
  const { found, actor } = prepared;
  context.account.agents.splice(found.index, 1);
  context.changed();
  const event: SimUserEvent = { name: 'onUserDelete', payload: { data: { user: forgottenUser(found.agent, context.now()), actor } } };
  const listeners = await context.events.emit(event);
  return controlAnswer({ deleted: id, event: event.name, listeners });
}
