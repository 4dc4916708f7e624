import type { AgentAccess, AgentId, RoleInfo } from '../../../common/audit';
import type { AppErrorBody } from '../../../common/errors';
import { MemoryKeyValueStore, type KvStoreOptions } from '../../../dev/runtime/kv-store';
import type { AgentDirectory } from '../../../server/src/directory';
import { AppError } from '../../../server/src/errors';
import type { Platform, TemplateClient } from '../../../server/src/platform';

export const ACCOUNT_ADMIN_ROLE: RoleInfo = { id: 1, name: 'Account Admin', isDefault: true };

export interface AgentOptions {
  accountAdmin?: boolean;
  admin?: boolean;
  active?: boolean;
  name?: string;
}

export function agent(id: AgentId, options: AgentOptions = {}): AgentAccess {
  const name = options.name ?? `Agent ${id}`;
  return {
    id,
    firstName: name,
    lastName: null,
    name,
    email: `agent${id}@example.com`,
    active: options.active ?? true,
    occasional: false,
    lastLoginAt: null,
    roles: [],
    isAccountAdmin: options.accountAdmin ?? false,
    holdsAdminRole: options.admin ?? false,
  };
}

/** A directory over a fixed list of agents that counts its lookups. */
export class FakeDirectory implements AgentDirectory {
  readonly lookups: AgentId[] = [];
  private readonly agents: Map<AgentId, AgentAccess>;

  constructor(
    agents: AgentAccess[],
    private readonly role: RoleInfo | null = ACCOUNT_ADMIN_ROLE,
  ) {
    this.agents = new Map(agents.map((a) => [a.id, a]));
  }

  getAgent(id: AgentId): Promise<AgentAccess> {
    this.lookups.push(id);
    const found = this.agents.get(id);
    return found ? Promise.resolve(found) : Promise.reject(new AppError(404, 'NOT_FOUND', 'No such agent in Freshservice.'));
  }

  accountAdminRole(): Promise<RoleInfo | null> {
    return Promise.resolve(this.role);
  }
}

/** A store like FDK's with the rate limit off unless a test asks for it. */
export function memoryStore(options: KvStoreOptions = {}): MemoryKeyValueStore {
  return new MemoryKeyValueStore({ operationsPerMinute: 0, ...options });
}

/** A clock that ticks one second per reading, so every change has its own timestamp. */
export function tickingClock(start = Date.UTC(2026, 0, 1)): () => Date {
  let current = start;
  return () => {
    current += 1000;
    return new Date(current);
  };
}

const NO_TEMPLATES: TemplateClient = {
  invokeTemplate: () => Promise.reject(new Error('the ledger must not call request templates directly')),
};

export interface Answer {
  error: AppErrorBody | null;
  data: unknown;
}

/** A Platform whose renderData records each answer. */
export function platformWith(store: MemoryKeyValueStore): { platform: Platform; answers: Answer[] } {
  const answers: Answer[] = [];
  const platform: Platform = {
    request: NO_TEMPLATES,
    store,
    reply: (error, data) => {
      answers.push({ error, data });
    },
  };
  return { platform, answers };
}
