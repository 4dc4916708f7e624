/**
 * A small Freshservice account for the profile tests: two Account Admins, an Admin who is not
 * one, and a plain agent, behind a scripted `$request` that answers findAgentByEmail (no agent
 * for anyone else, as Freshservice does for a requester), with `$db` as the FDK-like memory store
 * on a clock the tests move (the account snapshot's roles are fresh for 300 s).
 */
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import type { KvOperationRecord } from '../../../dev/runtime/kv-store';
import { scanStep, startScan } from '#server/admins/scan';
import type { KeyValueStore } from '#server/platform';
import { PEOPLE_ATTRIBUTE } from '#server/store/head';
import { profileAccess, type ProfileAccessDeps } from '#server/profile/profileAccess';
import { keyOf, seedHead, testStorage } from '../fakes/storage';
import type { ProfileAccess } from '#common/profile';
import { FakeRequest, ok } from '../fakes/request';
import { ROLE_IDS, agent, agentsWithEmail, assignment, emailOf, standardRoles } from '../freshservice/fixtures';

export const ANA = 21000049726;
export const BJORN = 21000049727;
export const CHLOE = 21000049728;
export const RAHUL = 21000049729;
/** A requester, or any id no agent has. */
export const NOBODY = 21000049799;

export const AGENTS: Record<number, Record<string, unknown>> = {
  [ANA]: agent(ANA, { first_name: 'Ana', roles: [assignment(ROLE_IDS.accountAdmin)] }),
  [BJORN]: agent(BJORN, { first_name: 'Björn', roles: [assignment(ROLE_IDS.accountAdmin), assignment(ROLE_IDS.admin)] }),
  [CHLOE]: agent(CHLOE, { first_name: 'Chloé', roles: [assignment(ROLE_IDS.admin)] }),
  [RAHUL]: agent(RAHUL, { first_name: 'Rahul' }),
};

/** Freshservice for these agents: findAgentByEmail, listRoles and one page of agents. */
export function freshservice(roles: Record<string, unknown>[] = standardRoles()): FakeRequest {
  return new FakeRequest()
    .respond('findAgentByEmail', (context) => ok(agentsWithEmail(Object.values(AGENTS), context['email'])))
    .respond('listRoles', () => ok({ roles }))
    .respond('listAgents', () => ok({ agents: Object.values(AGENTS) }));
}

export interface ViewOptions {
  request?: FakeRequest;
  store?: KeyValueStore;
  viewedEmail?: string | null;
  viewerEmail?: string;
}

export class ProfileAccount {
  time = Date.UTC(2026, 10, 26, 6, 0, 0);
  readonly store = new MemoryKeyValueStore({ now: () => this.time });

  /**
   * Warms what an installation in use has: the head with roles and the Account Admins a background
   * scan recorded, and the mark a view left less than a minute ago (people use the app).
   */
  async warm(): Promise<void> {
    const deps = { request: freshservice(), storage: testStorage(this.store), now: () => this.time };
    await scanStep(deps, await startScan(deps));
    await seedHead(this.store, { [PEOPLE_ATTRIBUTE]: { at: this.time } });
  }

  /** Moves the clock, e.g. past the head roles' hour (and $db's rate-limit minute). */
  later(seconds: number): void {
    this.time += seconds * 1000;
  }

  /**
   * One view, measured: what it answered, the templates it called and the $db operations it made.
   * The page sends each person's own email unless a test says otherwise (null: the queue, which
   * sends none for the viewed agent).
   */
  async view(viewedId: number, viewerId: number, options: ViewOptions = {}): Promise<{ answer: ProfileAccess; request: FakeRequest; operations: KvOperationRecord[] }> {
    const request = options.request ?? freshservice();
    const before = this.store.operations.length;
    const deps: ProfileAccessDeps = { request, storage: testStorage(options.store ?? this.store), now: () => this.time };
    const viewedEmail = options.viewedEmail === undefined ? emailOf(viewedId) : options.viewedEmail;
    const answer = await profileAccess({ viewedId, viewedEmail, viewerId, viewerEmail: options.viewerEmail ?? emailOf(viewerId) }, deps);
    return { answer, request, operations: this.store.operations.slice(before) };
  }
}

/** The operations as `get key` lines, sorted: reads made concurrently may land in either order. */
export function described(operations: readonly KvOperationRecord[]): string[] {
  return operations.map((record) => `${record.operation} ${record.key}`).sort();
}

/** `$db` that answers the head and refuses everything else, as a store whose minute's budget ran out right after the head read. */
export function ledgerFailing(store: KeyValueStore): KeyValueStore {
  const refuse = (key: string): Promise<never> | null =>
    key !== keyOf('head') ? Promise.reject({ status: 429, message: 'Rate limit exceeded' }) : null;
  return {
    get: (key) => refuse(key) ?? store.get(key),
    set: (key, value, options) => refuse(key) ?? store.set(key, value, options),
    update: (key, action, attributes) => refuse(key) ?? store.update(key, action, attributes),
    delete: (key) => refuse(key) ?? store.delete(key),
  };
}
