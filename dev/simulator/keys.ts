import type { SimAccount, SimAgent, SimApiKey, SimRole } from './schema';
import type { DemoKey } from './demo-account';
import { isAdminLevelRole } from './role-type';

/**
 * Labels for the API keys of a generated or loaded account, saying what answer each key
 * gets, in the order auth checks them: switched off, deactivated owner, then role.
 */
function labelFor(apiKey: SimApiKey, owner: SimAgent | undefined, roleNames: ReadonlyMap<number, SimRole>): string {
  if (!apiKey.apiEnabled) {
    return 'API access switched off (401)';
  }
  if (owner === undefined || !owner.active) {
    return 'Deactivated agent (401)';
  }
  const roles = owner.roles.flatMap((assignment) => roleNames.get(assignment.role_id) ?? []);
  if (roles.some((role) => role.default && role.name === 'Account Admin')) {
    return 'Account Admin';
  }
  return roles.some(isAdminLevelRole) ? 'Admin (not Account Admin)' : 'Agent without admin role (403)';
}

export function describeKeys(account: SimAccount): DemoKey[] {
  const roleNames = new Map(account.roles.map((role) => [role.id, role]));
  const keyOwnerIds = new Set(account.apiKeys.map((apiKey) => apiKey.agentId));
  const owners = new Map(account.agents.filter((agent) => keyOwnerIds.has(agent.id)).map((agent) => [agent.id, agent]));
  return account.apiKeys.map((apiKey) => ({ key: apiKey.key, agentId: apiKey.agentId, label: labelFor(apiKey, owners.get(apiKey.agentId), roleNames) }));
}
