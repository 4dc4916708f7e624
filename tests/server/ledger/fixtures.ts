import { strict as assert } from 'node:assert';
import type { AgentAccess, AgentId, RoleInfo } from '../../../common/audit';
import type { AppErrorBody } from '../../../common/errors';
import { MemoryKeyValueStore, type KvStoreOptions } from '../../../dev/runtime/kv-store';
import type { AgentDirectory } from '../../../server/src/directory';
import { AppError } from '../../../server/src/errors';
import { ApiKeyLedger, type LedgerChange } from '../../../server/src/ledger/api-key-ledger';
import { createLedgerMethods, type LedgerMethod, type LedgerMethods } from '../../../server/src/methods/ledger';
import type { KeyValueStore, Platform, StoreUpdateAction, TemplateClient } from '../../../server/src/platform';

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

/** The Account Admin who acts in the ledger tests unless a test names another. */
export const ADMIN = { id: 100, name: 'Ada Admin' };

export function person(id: number): { id: number; name: string } {
  return { id, name: `Agent ${id}` };
}

export function requestBy(id: number, reason = 'needs API access'): LedgerChange {
  return { action: 'requested', actor: person(id), target: person(id), note: reason };
}

export function adminAction(action: LedgerChange['action'], targetId: number, actor = ADMIN, note: string | null = null): LedgerChange {
  return { action, actor, target: person(targetId), note };
}

/** A store that fails every operation after the first `allowed`, like a server method cut off mid-way. */
export function cutOffAfter(inner: KeyValueStore, allowed: number): KeyValueStore {
  let calls = 0;
  const gate = <T>(work: () => Promise<T>): Promise<T> => {
    calls += 1;
    return calls > allowed ? Promise.reject({ status: 500, message: 'gone' }) : work();
  };
  return {
    get: (key) => gate(() => inner.get(key)),
    set: (key, value, options) => gate(() => inner.set(key, value, options)),
    update: (key, action, attributes) => gate(() => inner.update(key, action, attributes)),
    delete: (key) => gate(() => inner.delete(key)),
  };
}

/**
 * Agent 7 requested and enabled, then an undo (version 3, back to requested) claimed and cut off
 * before it was published: what a reader must heal. Returns a ledger over `store`.
 */
export async function enabledThenUndoCutOff(store: KeyValueStore, clock: () => Date): Promise<ApiKeyLedger> {
  const ledger = new ApiKeyLedger(store, clock);
  await ledger.apply(requestBy(7));
  await ledger.apply(adminAction('enabled', 7));
  await new ApiKeyLedger(cutOffAfter(store, 3), clock).apply(adminAction('undo', 7)).catch(() => undefined);
  return ledger;
}

export interface HeldUpdate {
  /** The store to give the slow reader. */
  store: KeyValueStore;
  /** Settles when the held update has been asked for. */
  reached: Promise<void>;
  /** Lets the held update through. */
  release: () => void;
}

/**
 * A store over `inner` that holds the first update `isHeld` picks until `release()`, so a test
 * can publish a newer change while a slow reader's stale write waits.
 */
export function holdFirstUpdate(inner: KeyValueStore, isHeld: (key: string, action: StoreUpdateAction) => boolean): HeldUpdate {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reachedHold: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    reachedHold = resolve;
  });
  let holding = true;
  const store: KeyValueStore = {
    get: (key) => inner.get(key),
    set: (key, value, options) => inner.set(key, value, options),
    delete: (key) => inner.delete(key),
    update: (key, action, attributes) => {
      if (holding && isHeld(key, action)) {
        holding = false;
        reachedHold();
        return held.then(() => inner.update(key, action, attributes));
      }
      return inner.update(key, action, attributes);
    },
  };
  return { store, reached, release: () => release() };
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

export interface LedgerMethodsUnderTest {
  methods: LedgerMethods;
  /** Calls a method with a fixed api_key iparam and returns its one answer. */
  call: (method: LedgerMethod, args: Record<string, unknown>) => Promise<Answer>;
  fake: FakeDirectory;
}

/** The ledger's server methods over `fake`, one store shared by every call, a ticking clock. */
export function ledgerMethodsOver(fake: FakeDirectory): LedgerMethodsUnderTest {
  const store = memoryStore();
  const methods = createLedgerMethods({ directoryFor: () => fake, now: tickingClock() });
  const call = async (method: LedgerMethod, args: Record<string, unknown>): Promise<Answer> => {
    const { platform, answers } = platformWith(store);
    await method({ ...args, iparams: { api_key: 'secret' } }, platform);
    assert.equal(answers.length, 1, 'renderData is called exactly once');
    return answers[0] as Answer;
  };
  return { methods, call, fake };
}
