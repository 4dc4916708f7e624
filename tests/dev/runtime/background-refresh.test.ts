import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountAdminsResult } from '#common/audit';
import type { ProfileAccess } from '#common/profile';
import { startRuntime, type RunningRuntime } from '../../../dev/runtime/index';
import { demoAccountFacts } from '../../../dev/simulator/index';
import { REFRESH_SCHEDULE } from '#server/admins/schedules';

/**
 * The whole cycle with the real app: a fresh runtime installs it (onAppInstall, whose first scan
 * completes the small demo account's list inside the call), the simulator's control API changes
 * agents as an admin would, the runtime delivers the user events, and the list follows.
 */
describe('local runtime: the Account Admins list kept complete in the background (the whole cycle)', function () {
  this.timeout(60_000);
  const facts = demoAccountFacts();
  const dataDir = mkdtempSync(join(tmpdir(), 'runtime-cycle-'));
  let runtime: RunningRuntime | null = null;
  let logs: string[] = [];

  async function start(): Promise<RunningRuntime> {
    logs = [];
    runtime = await startRuntime({ port: 0, dataDir, log: (line) => logs.push(line) });
    return runtime;
  }

  /** Who can enable keys, as every sidebar view answers it (here: a plain agent on their own page). */
  async function accountAdmins(running: RunningRuntime): Promise<AccountAdminsResult> {
    const agent = running.simulator?.account.agents.find((candidate) => candidate.id === facts.withoutAdminRoleIds[0]);
    assert.ok(agent !== undefined);
    const payload = { viewedId: agent.id, viewedEmail: agent.email, viewerId: agent.id, viewerEmail: agent.email };
    const result = await running.engine.invokeServerMethod('getProfileAccess', payload);
    assert.equal(result.ok, true, JSON.stringify(result.body));
    const list = (result.body as { response: ProfileAccess }).response.accountAdmins;
    assert.ok(list !== null);
    return list;
  }

  const idsOf = (list: AccountAdminsResult): number[] => list.accountAdmins.map((admin) => admin.id).sort((a, b) => a - b);
  const sorted = (ids: number[]): number[] => [...ids].sort((a, b) => a - b);

  async function control(running: RunningRuntime, method: string, path: string, body?: unknown): Promise<{ event: string | null; listeners: number }> {
    const response = await fetch(`${running.simulator?.url ?? ''}/_simulator${path}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { event: string | null; listeners: number };
  }

  afterEach(async () => {
    await runtime?.stop();
    runtime = null;
  });

  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('install and first scan, a role change and a deactivation in the simulator, their events, and the list names the new Account Admin and drops the other', async () => {
    const running = await start();
    assert.ok(logs.some((line) => /^event onAppInstall 200 \d+ms$/.test(line)));
    let list = await accountAdmins(running);
    assert.equal(list.complete, true, 'complete right after start: the install call scanned the demo account');
    assert.deepEqual(idsOf(list), sorted(facts.activeAccountAdminIds));
    assert.ok(running.engine.pendingSchedules().some((schedule) => schedule.name === REFRESH_SCHEDULE && schedule.recurring), 'the recurring refresh is scheduled');

    const promoted = facts.adminsWithoutAccountAdminIds.find((id) => !facts.workspaceRoleAgentIds.includes(id)) as number;
    const agent = running.simulator?.account.agents.find((candidate) => candidate.id === promoted);
    assert.ok(agent !== undefined && facts.accountAdminRoleId !== null);
    const roles = [{ role_id: facts.accountAdminRoleId, assignment_scope: 'entire_helpdesk', groups: [] }, ...agent.roles];
    const changed = await control(running, 'PUT', `/agents/${promoted}/roles`, { roles });
    assert.deepEqual({ event: changed.event, listeners: changed.listeners }, { event: 'onUserUpdate', listeners: 1 });
    // Not the owner of the app's own API key: deactivating them would switch the app's key off too.
    const keyOwner = running.simulator?.keys.find((key) => key.label === 'Account Admin')?.agentId;
    const deactivated = facts.activeAccountAdminIds.find((id) => id !== keyOwner) as number;
    const others = facts.activeAccountAdminIds.filter((id) => id !== deactivated);
    assert.equal((await control(running, 'POST', `/agents/${deactivated}/deactivate`)).event, 'onUserUpdate');

    list = await accountAdmins(running);
    assert.deepEqual(idsOf(list), sorted([...others, promoted]));
    assert.equal(list.complete, true);
    assert.equal(logs.filter((line) => /^event onUserUpdate 200 \d+ms$/.test(line)).length, 2);
  });

  it('a restart (an automatic update) delivers no set-up event: the recurring refresh is still scheduled, kept with the installation, and the list stays complete', async () => {
    const running = await start();
    assert.ok(!logs.some((line) => line.startsWith('event ')), 'no afterAppUpdate: the app declares none, so updates reach it automatically');
    assert.ok(running.engine.pendingSchedules().some((schedule) => schedule.name === REFRESH_SCHEDULE && schedule.recurring));
    assert.equal((await accountAdmins(running)).complete, true);
  });
});
