/**
 * A Freshservice account served through the scripted fake $request: realistic API v2 pages
 * (100 per page, Link headers, X-RateLimit-* headers, deprecated fields, ids above 2^31),
 * generated on demand so 50,000 agents stay cheap. Used by the audit tests and bench/audit.ts.
 */
import { FakeRequest, ok, type ScriptedAnswer } from '../fakes/request';
import { ROLE_IDS, agent, assignment, role, standardRoles } from '../freshservice/fixtures';

export interface FakeAccountOptions {
  agents: number;
  /** Custom roles besides the built-in ones (to make the roles list span pages). */
  customRoles?: number;
  /** Every n-th agent is deactivated (0: none). */
  deactivatedEvery?: number;
  /** Leave per_page out of Link headers, as Freshservice sometimes does. */
  linkWithoutPerPage?: boolean;
  /** Freshservice's own account-wide limit per minute (X-RateLimit-Total). */
  rateLimitPerMinute?: number;
  /** Clock for the X-RateLimit-Remaining header. */
  now?: () => number;
  /** Every n-th agent holds Account Admin (default 40: many, to exercise the lists). */
  accountAdminEvery?: number;
}

const FIRST_AGENT_ID = 21000000001;
const PER_PAGE = 100;

export class FakeAccount {
  readonly roles: Record<string, unknown>[];
  private readonly activeIndexes: number[] = [];
  private readonly deactivatedIndexes: number[] = [];
  private readonly requestTimes: number[] = [];

  constructor(private readonly options: FakeAccountOptions) {
    const custom = Array.from({ length: options.customRoles ?? 0 }, (_unused, index) => role(21000160000 + index, `Custom role ${index} (IT Admin)`, false));
    this.roles = [...standardRoles(), ...custom];
    for (let index = 0; index < options.agents; index += 1) {
      (this.isDeactivated(index) ? this.deactivatedIndexes : this.activeIndexes).push(index);
    }
  }

  get activeCount(): number {
    return this.activeIndexes.length;
  }

  get deactivatedCount(): number {
    return this.deactivatedIndexes.length;
  }

  /** Every 40th agent (or every `accountAdminEvery`-th) holds Account Admin (every other one of them in a workspace only), every 7th Admin. */
  isAccountAdmin(index: number): boolean {
    return index % (this.options.accountAdminEvery ?? 40) === 0;
  }

  private isDeactivated(index: number): boolean {
    const every = this.options.deactivatedEvery ?? 0;
    return every > 0 && index % every === every - 1;
  }

  agentAt(index: number): Record<string, unknown> {
    const roles = [assignment(ROLE_IDS.sdAgent, 'member_groups')];
    if (this.isAccountAdmin(index)) {
      roles.push(index % (2 * (this.options.accountAdminEvery ?? 40)) === 0 ? assignment(ROLE_IDS.accountAdmin) : assignment(ROLE_IDS.accountAdmin, 'entire_helpdesk', 2));
    }
    if (index % 7 === 0) {
      roles.push(assignment(ROLE_IDS.admin));
    }
    if (index % 11 === 0) {
      roles.push(assignment(ROLE_IDS.itAdminCustom, 'specified_groups'));
    }
    return agent(FIRST_AGENT_ID + index, {
      first_name: index % 13 === 0 ? null : `First${index}`,
      last_name: index % 3 === 0 ? null : `Last${index}`,
      active: !this.isDeactivated(index),
      occasional: index % 17 === 0,
      last_login_at: index % 5 === 0 ? null : '2026-11-01T09:00:00Z',
      roles,
      workspace_ids: [1, 2],
    });
  }

  private headers(path: string, page: number, hasNext: boolean, filter = ''): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const total = this.options.rateLimitPerMinute ?? 500;
    const now = this.options.now?.() ?? 0;
    this.requestTimes.push(now);
    const used = this.requestTimes.filter((time) => time > now - 60_000).length;
    headers['x-ratelimit-total'] = String(total);
    headers['x-ratelimit-remaining'] = String(Math.max(0, total - used));
    headers['x-ratelimit-used-currentrequest'] = '1';
    if (hasNext) {
      const perPage = this.options.linkWithoutPerPage ? '' : `&per_page=${PER_PAGE}`;
      headers.link = `<https://acme.freshservice.com${path}?${filter}page=${page + 1}${perPage}>; rel="next"`;
    }
    return headers;
  }

  listRoles(page: number): ScriptedAnswer {
    const slice = this.roles.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    return ok({ roles: slice }, this.headers('/api/v2/roles', page, page * PER_PAGE < this.roles.length));
  }

  listAgents(page: number, active: boolean): ScriptedAnswer {
    const indexes = active ? this.activeIndexes : this.deactivatedIndexes;
    const agents = indexes.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((index) => this.agentAt(index));
    return ok({ agents }, this.headers('/api/v2/agents', page, page * PER_PAGE < indexes.length, `active=${String(active)}&`));
  }

  /** Freshservice's `GET /agents?email=`: the agent with that address, or none (their emails are `agent<id>@acme.example`). */
  agentsWithEmail(email: string): ScriptedAnswer {
    const index = Number(/^agent(\d+)@acme\.example$/i.exec(email)?.[1] ?? NaN) - FIRST_AGENT_ID;
    return ok({ agents: index >= 0 && index < this.options.agents ? [this.agentAt(index)] : [] });
  }

  /** A FakeRequest answering listRoles, listAgents and findAgentByEmail from this account. */
  request(): FakeRequest {
    return new FakeRequest()
      .respond('listRoles', (context) => this.listRoles(Number(context.page)))
      .respond('listAgents', (context) => this.listAgents(Number(context.page), context.active !== false && context.active !== 'false'))
      .respond('findAgentByEmail', (context) => this.agentsWithEmail(String(context.email)));
  }
}
