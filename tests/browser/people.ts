/**
 * The demo account's people as the widget tests name them, and ledger history written before the
 * runtime starts (so it costs none of the runtime's 50 $db operations a minute).
 */
import { demoAccount, demoAccountFacts, type SimAgent } from '../../dev/simulator/index';
import { ApiKeyLedger } from '#server/ledger/api-key-ledger';
import { fullName, type SeedStore } from './harness';

export interface DemoPeople {
  agents: SimAgent[];
  /** The first active Account Admin (Ana), who holds the app's API key. */
  ana: SimAgent;
  /** The agent with this first name. */
  named(first: string): SimAgent;
}

export function demoPeople(): DemoPeople {
  const agents = demoAccount().agents;
  const named = (first: string): SimAgent => {
    const agent = agents.find((candidate) => candidate.first_name === first);
    if (agent === undefined) {
      throw new Error(`the demo account has no ${first}`);
    }
    return agent;
  };
  const ana = agents.find((agent) => agent.id === demoAccountFacts().activeAccountAdminIds[0]) as SimAgent;
  return { agents, ana, named };
}

/** How the ledger names a person: id and display name. */
export function person(agent: SimAgent): { id: number; name: string } {
  return { id: agent.id, name: fullName(agent) };
}

/** Requests filed by each agent with `note`, then `more` with the same ledger. */
export function seedRequests(requesters: SimAgent[], note: string, more?: (ledger: ApiKeyLedger) => Promise<void>): SeedStore {
  return async (store) => {
    const ledger = new ApiKeyLedger(store);
    for (const agent of requesters) {
      await ledger.apply({ action: 'requested', actor: person(agent), target: person(agent), targetEmail: agent.email, note });
    }
    await more?.(ledger);
  };
}
