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

/**
 * Requests filed by each agent with `note`, a minute apart in the order given (the first is the
 * oldest, whatever the ids), then `more` with a ledger on the real clock.
 */
export function seedRequests(requesters: SimAgent[], note: string, more?: (ledger: ApiKeyLedger) => Promise<void>): SeedStore {
  return async (store) => {
    const start = Date.now() - requesters.length * 60_000;
    for (const [index, agent] of requesters.entries()) {
      const ledger = new ApiKeyLedger(store, () => new Date(start + index * 60_000));
      await ledger.apply({ action: 'requested', actor: person(agent), target: person(agent), targetEmail: agent.email, note });
    }
    await more?.(new ApiKeyLedger(store));
  };
}
