/**
 * One installation of the shipped app, as FDK runs it: server/server.js loaded in a sandbox with
 * `$request` answering like a small Freshservice account, `$db` the FDK-like store (under a
 * chosen reading of what FDK leaves undocumented), and every answer recorded. The same `$db` is
 * what every agent's browser reaches with `client.db`, so tests play the attacker on it directly.
 * Needs server/lib, built by `tsc -p tsconfig.server.json`.
 */
import { MemoryKeyValueStore, type KvReadings } from '../../../dev/runtime/kv-store';
import { FakeRequest, ok } from '../fakes/request';
import { FakeSchedule } from '../fakes/schedule';
import { TEST_IPARAMS } from '../fakes/storage';
import { ROLE_IDS, agent, agentsWithEmail, assignment, standardRoles } from '../freshservice/fixtures';
import { loadShippedServer } from './shipped-server';

export const ANA = 21000049726;
export const BJORN = 21000049727;
export const CHLOE = 21000049728;
export const RAHUL = 21000049729;

/** Ana and Björn hold Account Admin, Chloé holds Admin, Rahul and the numbered agents are plain agents. */
export function accountAgents(extra: number[] = []): Record<number, Record<string, unknown>> {
  const agents: Record<number, Record<string, unknown>> = {
    [ANA]: agent(ANA, { first_name: 'Ana', roles: [assignment(ROLE_IDS.accountAdmin)] }),
    [BJORN]: agent(BJORN, { first_name: 'Björn', roles: [assignment(ROLE_IDS.accountAdmin)] }),
    [CHLOE]: agent(CHLOE, { first_name: 'Chloé', roles: [assignment(ROLE_IDS.admin)] }),
    [RAHUL]: agent(RAHUL, { first_name: 'Rahul' }),
  };
  extra.forEach((id) => (agents[id] = agent(id)));
  return agents;
}

export interface Reply {
  error: { status: number; code?: string; message: string; retryAfterSeconds?: number } | null;
  data: unknown;
}

export class Installation {
  readonly store: MemoryKeyValueStore;
  readonly request: FakeRequest;
  readonly schedule: FakeSchedule;
  /** How many calls the installation answered. */
  calls = 0;
  /** The installation parameters FDK passes every call; an admin may edit them (e.g. rotate the API key). */
  iparams: Record<string, string> = { ...TEST_IPARAMS };

  constructor(options: { readings?: Partial<KvReadings>; agents?: Record<number, Record<string, unknown>>; operationsPerMinute?: number; now?: () => number; interleave?: number } = {}) {
    const agents = options.agents ?? accountAgents();
    this.store = new MemoryKeyValueStore({
      operationsPerMinute: options.operationsPerMinute ?? 0,
      readings: options.readings ?? {},
      ...(options.now ? { now: options.now } : {}),
      ...(options.interleave === undefined ? {} : { interleave: { seed: options.interleave, maxTurns: 3 } }),
    });
    this.request = new FakeRequest()
      .respond('findAgentByEmail', (context) => ok(agentsWithEmail(Object.values(agents), context['email'])))
      .respond('listRoles', () => ok({ roles: standardRoles() }))
      .respond('listAgents', (context) => ok({ agents: context['active'] === false ? [] : Object.values(agents) }));
    this.schedule = new FakeSchedule(options.now ?? Date.now);
  }

  /** FDK's onAppInstall, as when an admin installs the app. */
  async install(): Promise<Reply> {
    return this.call('onAppInstall', {});
  }

  /** Runs every schedule due by `until` (on the installation's clock), in time order; answers how many ran. */
  async fireDue(until: number): Promise<number> {
    let fired = 0;
    for (let due = this.schedule.takeDue(until); due !== null; due = this.schedule.takeDue(until)) {
      await this.call('onScheduledEvent', { data: due.data });
      fired += 1;
    }
    return fired;
  }

  /**
   * Calls one server method as the browser would (its payload plus the installation's iparams)
   * and answers its reply. Each call has its own renderData, as each FDK invocation does, so
   * concurrent calls never read each other's answers.
   */
  async call(method: string, payload: Record<string, unknown>): Promise<Reply> {
    const replies: unknown[][] = [];
    const methods = loadShippedServer({ $request: this.request, $db: this.store, $schedule: this.schedule, renderData: (...args: unknown[]) => replies.push(args) });
    const invoke = methods[method];
    if (invoke === undefined) {
      throw new Error(`server.js has no method ${method}`);
    }
    await invoke({ ...payload, iparams: this.iparams });
    this.calls += 1;
    if (replies.length !== 1) {
      throw new Error(`${method} answered ${replies.length} times instead of once`);
    }
    const [reply = []] = replies;
    return { error: (reply[0] ?? null) as Reply['error'], data: reply[1] };
  }

  /** Like call, but the reply must be a success. */
  async ok<T>(method: string, payload: Record<string, unknown>): Promise<T> {
    const reply = await this.call(method, payload);
    if (reply.error !== null) {
      throw new Error(`${method} failed: ${reply.error.status} ${reply.error.message}`);
    }
    return reply.data as T;
  }

  /** $db operations so far. */
  get operations(): number {
    return this.store.operations.length;
  }
}
