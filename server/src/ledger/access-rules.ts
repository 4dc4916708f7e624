/**
 * Who may do what, checked against Freshservice on every call: the browser only says who it
 * is, so roles and active status are always re-read through the AgentDirectory, never taken
 * from the payload. This narrows what an honest browser can do by mistake; it does not prove
 * identity (see docs/ledger.md, threat model).
 */
import type { AgentAccess, AgentId } from '../../../common/audit';
import type { AgentDirectory } from '../directory';
import { AppError } from '../errors';
import type { AgentRef } from '../freshservice/agents';
import { accountAdminRoleMissing } from '../freshservice/roles';
import { shorten } from '../shorten';
import type { StoredPerson } from './schemas';

/** Names are stored shortened to this many UTF-16 units (at a character boundary, never half an emoji). */
export const MAX_NAME_LENGTH = 100;

export function personOf(agent: AgentAccess): StoredPerson {
  return { id: agent.id, name: shorten(agent.name, MAX_NAME_LENGTH) };
}

function notAccountAdmin(message: string): AppError {
  return new AppError(403, 'NOT_ACCOUNT_ADMIN', message);
}

async function lookUpActor(directory: AgentDirectory, actor: AgentRef): Promise<AgentAccess> {
  try {
    return await directory.getAgent(actor);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw notAccountAdmin(`No Freshservice agent has the id ${actor.id} and that email, so the action cannot be taken in their name.`);
    }
    throw error;
  }
}

/** The actor, if they are an active agent holding Account Admin right now. */
export async function requireAccountAdmin(directory: AgentDirectory, actorRef: AgentRef): Promise<AgentAccess> {
  const actor = await lookUpActor(directory, actorRef);
  if (!actor.active) {
    throw notAccountAdmin(`${actor.name} is deactivated in Freshservice and cannot act on API keys.`);
  }
  if (actor.isAccountAdmin) {
    return actor;
  }
  if ((await directory.accountAdminRole()) === null) {
    throw accountAdminRoleMissing();
  }
  const why = actor.holdsAdminRole ? 'holds an Admin role, but Admin is not enough' : 'does not hold the Account Admin role';
  throw notAccountAdmin(`${actor.name} ${why}: only an Account Admin can switch on another agent's API key in Freshservice.`);
}

/** Freshservice lets nobody change their own API key or roles, and neither does the ledger. */
export function refuseSelfAction(actorId: AgentId, targetId: AgentId): void {
  if (actorId === targetId) {
    throw new AppError(403, 'SELF_ACTION', "Nobody can switch on their own API key, not even an Account Admin: another Account Admin has to do it. Request the key instead.");
  }
}

/** The agent an action is about: they must exist and be active. */
export async function requireActiveAgent(directory: AgentDirectory, ref: AgentRef): Promise<AgentAccess> {
  const agent = await directory.getAgent(ref);
  if (!agent.active) {
    throw new AppError(409, 'TARGET_INACTIVE', `${agent.name} is deactivated in Freshservice: reactivate the agent before recording anything about their API key.`);
  }
  return agent;
}
