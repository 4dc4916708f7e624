/**
 * An agent's record as a chain of immutable versions. $db has no compare-and-swap on values,
 * so a change is made by claiming the next version key with setIf not_exist: exactly one of
 * several concurrent writers gets it, and the others re-read and decide again. The head key
 * is only a shortcut to a recent version; readers step forward from it until a version is
 * missing, so a stale or missing head never hides a change.
 */
import type { AgentId } from '../../../common/audit';
import { AppError } from '../errors';
import { ledgerKeys, MAX_VERSION_STEPS } from './limits';
import { agentVersionSchema, type AgentVersion } from './schemas';
import type { LedgerStore } from './store';

export function versionOf(latest: AgentVersion | null): number {
  return latest === null ? 0 : latest.version;
}

export function tooBusy(): AppError {
  return new AppError(
    507,
    'STORE_UNAVAILABLE',
    "This agent's API-key record is being changed by many people at once. Wait a moment and try again.",
  );
}

export class AgentHistory {
  constructor(private readonly store: LedgerStore) {}

  readHead(agentId: AgentId): Promise<AgentVersion | null> {
    return this.store.read(ledgerKeys.head(agentId), agentVersionSchema);
  }

  readVersion(agentId: AgentId, version: number): Promise<AgentVersion | null> {
    return this.store.read(ledgerKeys.version(agentId, version), agentVersionSchema);
  }

  /** The newest version at or after `from`: one read per step, the last of which finds nothing. */
  async latestFrom(agentId: AgentId, from: AgentVersion | null): Promise<AgentVersion | null> {
    let latest = from;
    for (let step = 0; step < MAX_VERSION_STEPS; step += 1) {
      const next = await this.readVersion(agentId, versionOf(latest) + 1);
      if (next === null) {
        return latest;
      }
      latest = next;
    }
    throw tooBusy();
  }

  /** True when `version` became the agent's next version; false when someone else took that number. */
  claim(version: AgentVersion): Promise<boolean> {
    return this.store.claim(ledgerKeys.version(version.record.agent.id, version.version), version);
  }

  writeHead(version: AgentVersion): Promise<void> {
    return this.store.write(ledgerKeys.head(version.record.agent.id), version);
  }
}
