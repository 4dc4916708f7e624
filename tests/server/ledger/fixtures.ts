import { strict as assert } from 'node:assert';
import type { AgentAccess, AgentId, RoleInfo } from '#common/audit';
import type { AppErrorBody } from '#common/errors';
import { MemoryKeyValueStore, type KvOperationRecord, type KvReadings, type KvStoreOptions } from '../../../dev/runtime/kv-store';
import type { AgentDirectory } from '#server/directory';
import type { AgentRef } from '#server/freshservice/agents';
import { AppError } from '#server/errors';
import { ApiKeyLedger, type LedgerChange } from '#server/ledger/api-key-ledger';
import { createLedgerMethods, type LedgerMethod, type LedgerMethods } from '#server/methods/ledger';
import type { KeyValueStore, Platform, TemplateClient } from '#server/platform';
import { TEST_IPARAMS, testStorage } from '../fakes/storage';
import { emailOf } from '../freshservice/fixtures';

export const ACCOUNT_ADMIN_ROLE: RoleInfo = { id: 1, name: 'Account Admin', isDefault: true };

export interface AgentOptions {
  accountAdmin?: boolean;
  admin?: boolean;
  active?: boolean;
  name?: string;
}

export function agentEmail(id: AgentId): string {
  return emailOf(id);
}

/** How the browser names who acts, and on whom: the id it says and the email the server searches by. */
export function actor(id: AgentId): { actorId: AgentId; actorEmail: string } {
  return { actorId: id, actorEmail: agentEmail(id) };
}

export function target(id: AgentId): { targetId: AgentId; targetEmail: string } {
  return { targetId: id, targetEmail: agentEmail(id) };
}

/** A profile view's payload as the sidebar sends it: both people by id and email. */
export function viewing(viewedId: AgentId, viewerId: AgentId): { viewedId: AgentId; viewedEmail: string; viewerId: AgentId; viewerEmail: string } {
  return { viewedId, viewedEmail: agentEmail(viewedId), viewerId, viewerEmail: agentEmail(viewerId) };
}

export function agent(id: AgentId, options: AgentOptions = {}): AgentAccess {
  const name = options.name ?? `Agent ${id}`;
  return {
    id,
    firstName: name,
    lastName: null,
    name,
    email: agentEmail(id),
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

  /** As the real directory: the agent with that email, when they hold that id. */
  getAgent(ref: AgentRef): Promise<AgentAccess> {
    this.lookups.push(ref.id);
    const found = this.agents.get(ref.id);
    return found !== undefined && found.email === ref.email ? Promise.resolve(found) : Promise.reject(new AppError(404, 'NOT_FOUND', 'No such agent in Freshservice.'));
  }

  accountAdminRole(): Promise<RoleInfo | null> {
    return Promise.resolve(this.role);
  }
}

/** The Account Admin who acts in the ledger tests unless a test names another. */
export const ADMIN = { id: 100, name: 'Ada Admin' };
export const OTHER_ADMIN = { id: 101, name: 'Otto Admin' };

export function person(id: number): { id: number; name: string } {
  return { id, name: `Agent ${id}` };
}

export function requestBy(id: number, reason = 'needs API access'): LedgerChange {
  return { action: 'requested', actor: person(id), target: person(id), note: reason };
}

export function adminAction(action: LedgerChange['action'], targetId: number, actor = ADMIN, note: string | null = null): LedgerChange {
  return { action, actor, target: person(targetId), note };
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

/** A ledger as one server-method call has it: a fresh per-call storage (the head is read again). */
export function ledgerOn(store: KeyValueStore, clock: () => Date = tickingClock()): ApiKeyLedger {
  return new ApiKeyLedger(testStorage(store), clock);
}

/** Applies one change as its own call. */
export function apply(store: KeyValueStore, change: LedgerChange, clock: () => Date = tickingClock()): Promise<unknown> {
  return ledgerOn(store, clock).apply(change);
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

/** `operation key` lines for the operations made since `from`. */
export function operationsSince(store: MemoryKeyValueStore, from: number): KvOperationRecord[] {
  return store.operations.slice(from);
}

/** The name every test prints for one reading of the store's undocumented behaviours. */
export function readingName(readings: KvReadings): string {
  return `set on a missing key ${readings.updateSetOnMissingKey}s, remove on a missing key ${readings.removeOnMissingKey}s, removing an absent attribute ${readings.removeAbsentAttribute}s`;
}

const NO_TEMPLATES: TemplateClient = {
  invokeTemplate: () => Promise.reject(new Error('the ledger must not call request templates directly')),
};

export interface Answer {
  error: AppErrorBody | null;
  data: unknown;
}

/** A Platform whose renderData records each answer. */
export function platformWith(store: KeyValueStore): { platform: Platform; answers: Answer[] } {
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
  store: MemoryKeyValueStore;
  /** Calls a method with the test installation's iparams and returns its one answer. */
  call: (method: LedgerMethod, args: Record<string, unknown>) => Promise<Answer>;
  fake: FakeDirectory;
}

/** The ledger's server methods over `fake`, one store shared by every call, a ticking clock. */
export function ledgerMethodsOver(fake: FakeDirectory, store: MemoryKeyValueStore = memoryStore()): LedgerMethodsUnderTest {
  const methods = createLedgerMethods({ directoryFor: () => fake, now: tickingClock() });
  const call = async (method: LedgerMethod, args: Record<string, unknown>): Promise<Answer> => {
    const { platform, answers } = platformWith(store);
    await method({ ...args, iparams: TEST_IPARAMS }, platform);
    assert.equal(answers.length, 1, 'renderData is called exactly once');
    return answers[0] as Answer;
  };
  return { methods, store, call, fake };
}
