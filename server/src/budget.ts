/**
 * What one call may spend, whatever its payload. FDK gives one installation 50 template requests
 * and 50 `$db` operations a minute, shared by every person and by the background: a call that
 * could be made to spend more than a small, fixed number of either would let one agent's browser
 * starve everyone else. So every server method runs over a metered `$request` and `$db` that
 * refuse the operation past the method's cap (CALL_BUDGETS, each justified in docs/audit.md
 * "What a call costs"). The caps are the worst cases the code allows; tests drive each method
 * with the payloads that cost most and check what it spent.
 */
import { AppError } from './errors';
import { MAX_ROLE_PAGES } from './freshservice/roles';
import type { KeyValueStore, Platform, TemplateClient } from './platform';
import { respond } from './respond';

export interface CallBudget {
  /** `$db` operations (get, set, update, delete). */
  store: number;
  /** Template requests (each attempt FDK makes counts once: retries stay inside one invocation). */
  templates: number;
}

/**
 * Role pages a call may read when the cached roles are too old: an account with more roles than
 * the head's share holds (about 150) reads them on every view, up to this many pages of 100.
 */
const ROLE_PAGES_PER_CALL = MAX_ROLE_PAGES;

export const CALL_BUDGETS = {
  /**
   * The viewed agent and the viewer (1 each), the roles when stale; the head, a roles write, the
   * people mark (once a minute, with the refresh's when it is re-created), the viewed agent's own
   * key, shard and event (the queue's path reads the record twice), the viewer's own key.
   */
  getProfileAccess: { store: 8, templates: 2 + ROLE_PAGES_PER_CALL },
  /** One page of roles or agents; the first slice reads the head (what the background spent) and writes the people mark; a later one the people mark and, at the end, the roles. */
  getAccessOverview: { store: 2, templates: 1 },
  /** The agent, the roles when stale; the head and a roles write. */
  getUserAccess: { store: 2, templates: 1 + ROLE_PAGES_PER_CALL },
  /** The requester and the roles; the change (ledger/api-key-ledger.ts: read, decide, write) with its retries after concurrent changes. */
  requestApiKey: { store: 20, templates: 1 + ROLE_PAGES_PER_CALL },
  /** The actor, the target and the roles; the change, as above. */
  recordApiKeyAction: { store: 20, templates: 2 + ROLE_PAGES_PER_CALL },
  /** The head, the agent's own key and shard, the newest event. */
  getApiKeyState: { store: 4, templates: 0 },
  /** The head, or one shard. */
  listApiKeyIndex: { store: 1, templates: 0 },
  /** The head, the agent's own key and shard, then HISTORY_PAGE_SIZE events. */
  getApiKeyHistory: { store: 8, templates: 0 },
} as const satisfies Record<string, CallBudget>;

export type BudgetedMethod = keyof typeof CALL_BUDGETS;

function overBudget(what: string, limit: number): AppError {
  return new AppError(
    500,
    'INTERNAL',
    `This call needed more than ${limit} ${what}, more than one call may spend (the app shares FDK's 50 a minute between everyone). Try again; if it keeps happening, contact the app developer.`,
  );
}

/** Counts each operation and refuses the one past `limit`. */
function meter(limit: number, what: string): () => void {
  let spent = 0;
  return () => {
    spent += 1;
    if (spent > limit) {
      console.error(`budget: a call reached its limit of ${limit} ${what}`);
      throw overBudget(what, limit);
    }
  };
}

/** Runs `operation` once `spend` allows it; a refusal rejects like the platform's own refusals do. */
function charged<T>(spend: () => void, operation: () => Promise<T>): Promise<T> {
  try {
    spend();
  } catch (error) {
    return Promise.reject(error);
  }
  return operation();
}

export function meteredStore(kv: KeyValueStore, limit: number): KeyValueStore {
  const spend = meter(limit, "operations of the app's storage");
  return {
    set: (key, value, options) => charged(spend, () => kv.set(key, value, options)),
    get: (key) => charged(spend, () => kv.get(key)),
    update: (key, action, attributes) => charged(spend, () => kv.update(key, action, attributes)),
    delete: (key) => charged(spend, () => kv.delete(key)),
  };
}

export function meteredRequests(request: TemplateClient, limit: number): TemplateClient {
  const spend = meter(limit, 'requests to Freshservice');
  return { invokeTemplate: (name, invocation) => charged(spend, () => request.invokeTemplate(name, invocation)) };
}

/** The platform a server method works with: FDK's globals behind its budget. */
export function budgeted<P extends Platform>(platform: P, method: BudgetedMethod): P {
  const budget: CallBudget = CALL_BUDGETS[method];
  return { ...platform, request: meteredRequests(platform.request, budget.templates), store: meteredStore(platform.store, budget.store) };
}

/** A server method's work over FDK's globals behind the method's budget, answered once through `renderData` (respond.ts). */
export function respondWithin<T>(method: BudgetedMethod, fdk: Platform, work: (platform: Platform) => Promise<T>): Promise<void> {
  return respond(method, fdk.reply, () => work(budgeted(fdk, method)));
}
