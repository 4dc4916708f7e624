import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accountFacts,
  demoAccount,
  demoAccountFacts,
  generateAccount,
  isAdminLevelRole,
  loadAccountFile,
  MAX_GENERATED_AGENTS,
  simAccountSchema,
  SimulatorSetupError,
  type SimAccount,
} from '../../../dev/simulator/index';

const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'dev', 'simulator', 'examples', 'small-account.json');

describe('simulator accounts', () => {
  describe('admin-level roles', () => {
    it('follow role_type spelled "admin" or "agent", else a name containing "Admin"', () => {
      assert.equal(isAdminLevelRole({ name: 'Asset Admin' }), true);
      assert.equal(isAdminLevelRole({ name: 'SD Supervisor' }), false);
      assert.equal(isAdminLevelRole({ name: 'Security Reviewer', role_type: 'admin' }), true);
      assert.equal(isAdminLevelRole({ name: 'Admin Assistant', role_type: 'Agent' }), false);
    });

    it('fall back to the name under the spellings that do not say the kind: "admin_and_data", integers', () => {
      for (const roleType of ['admin_and_data', 1, 2]) {
        assert.equal(isAdminLevelRole({ name: 'Asset Admin', role_type: roleType }), true, String(roleType));
        assert.equal(isAdminLevelRole({ name: 'SD Agent', role_type: roleType }), false, String(roleType));
      }
    });
  });

  describe('the demo account', () => {
    const account = demoAccount();
    const facts = demoAccountFacts();
    const agent = (id: number) => account.agents.find((candidate) => candidate.id === id);

    it('is valid under the account-file schema and about sixty agents', () => {
      assert.equal(simAccountSchema.safeParse(account).success, true);
      assert.ok(account.agents.length >= 55 && account.agents.length <= 70, `${account.agents.length} agents`);
      assert.equal(account.domain, 'demo');
    });

    it('is the same on every call', () => {
      assert.deepEqual(demoAccount(), account);
    });

    it('has two or three Account Admins and several Admins who are not', () => {
      assert.ok(facts.accountAdminIds.length >= 2 && facts.accountAdminIds.length <= 3);
      assert.ok(facts.activeAccountAdminIds.length >= 2);
      assert.ok(facts.adminsWithoutAccountAdminIds.length >= 4);
      assert.ok(facts.customAdminRoleIds.length >= 1, 'a custom role with "Admin" in its name');
      assert.ok(facts.customAdminRoleHolderIds.length >= 1);
      facts.customAdminRoleHolderIds.forEach((id) => assert.ok(facts.adminsWithoutAccountAdminIds.includes(id)));
      const defaultAdmins = facts.adminsWithoutAccountAdminIds.filter((id) => !facts.customAdminRoleHolderIds.includes(id));
      assert.ok(defaultAdmins.length >= 4, 'several holders of the default Admin role');
    });

    it('has supervisors, occasional, deactivated and workspace-scoped agents', () => {
      const supervisorRole = account.roles.find((role) => role.name === 'SD Supervisor')?.id;
      assert.ok(account.agents.filter((candidate) => candidate.roles.some((role) => role.role_id === supervisorRole)).length >= 3);
      assert.ok(facts.occasionalIds.length >= 2);
      assert.ok(facts.deactivatedIds.length >= 3);
      assert.ok(facts.workspaceRoleAgentIds.length >= 2);
    });

    it('has names with accents, emoji, right-to-left text, HTML-like text and a null last name', () => {
      assert.ok(account.agents.some((candidate) => /[éöüçñåø]/i.test(`${candidate.first_name}${candidate.last_name ?? ''}`)));
      assert.match(agent(facts.emojiNameAgentId)?.first_name ?? '', /\p{Extended_Pictographic}/u);
      facts.rightToLeftNameAgentIds.forEach((id) => assert.match(agent(id)?.first_name ?? '', /[\u0590-\u06FF]/));
      assert.equal(agent(facts.htmlNameAgentId)?.first_name, '<img src=x onerror=alert(1)>');
      assert.equal(agent(facts.nullLastNameAgentId)?.last_name, null);
    });

    it('has requesters (users who are not agents), with ids no agent uses', () => {
      assert.ok(facts.requesterIds.length >= 2);
      const agentIds = new Set(account.agents.map((candidate) => candidate.id));
      facts.requesterIds.forEach((id) => assert.ok(!agentIds.has(id), `requester ${id} is not an agent`));
      assert.ok(account.requesters.every((requester) => requester.primary_email.includes('@') && !('roles' in requester)));
    });

    it('is who the README says it is (its "who is who" table: names, ids, requesters)', () => {
      const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
      const table = readme.slice(readme.indexOf('## The demo account: who is who'));
      const rows = [...table.matchAll(/^\| ([^|]+?) \| (\d+) \| ([^|]+?) \|/gm)].map((match) => ({ name: match[1] ?? '', id: Number(match[2]), what: match[3] ?? '' }));
      assert.ok(rows.length >= 8, `${rows.length} rows`);
      for (const row of rows) {
        const agentFound = account.agents.find((candidate) => `${candidate.first_name} ${candidate.last_name ?? ''}`.trim() === row.name);
        const requesterFound = account.requesters.find((candidate) => `${candidate.first_name} ${candidate.last_name ?? ''}`.trim() === row.name);
        assert.equal((agentFound ?? requesterFound)?.id, row.id, row.name);
        assert.equal(/requester/.test(row.what), requesterFound !== undefined, `${row.name}: ${row.what}`);
        assert.equal(/^Account Admin/.test(row.what), facts.accountAdminIds.includes(row.id), `${row.name}: ${row.what}`);
      }
    });

    it('uses Freshservice-sized ids and unique emails', () => {
      assert.ok(account.agents.every((candidate) => candidate.id >= 21_000_000_000));
      assert.ok(account.roles.every((role) => role.id >= 21_000_000_000));
      assert.equal(new Set(account.agents.map((candidate) => candidate.email)).size, account.agents.length);
    });
  });

  describe('generated accounts', () => {
    it('are the same for the same seed and differ for another', () => {
      assert.deepEqual(generateAccount({ agents: 300, seed: 7, plan: 'pro' }), generateAccount({ agents: 300, seed: 7, plan: 'pro' }));
      assert.notDeepEqual(generateAccount({ agents: 300, seed: 7, plan: 'pro' }).agents, generateAccount({ agents: 300, seed: 8, plan: 'pro' }).agents);
    });

    it('have a realistic role mix and keys of every kind', () => {
      const account = generateAccount({ agents: 2000, seed: 3, plan: 'growth' });
      assert.equal(simAccountSchema.safeParse(account).success, true);
      const facts = accountFacts(account);
      assert.ok(facts.accountAdminIds.length >= 2 && facts.accountAdminIds.length < 40, `${facts.accountAdminIds.length} Account Admins`);
      assert.ok(facts.adminsWithoutAccountAdminIds.length > facts.accountAdminIds.length);
      assert.ok(facts.withoutAdminRoleIds.length > account.agents.length / 2);
      assert.ok(facts.deactivatedIds.length > 0 && facts.occasionalIds.length > 0 && facts.workspaceRoleAgentIds.length > 0);
      assert.equal(account.apiKeys.length, 4);
      assert.equal(account.apiKeys.filter((apiKey) => !apiKey.apiEnabled).length, 1);
    });

    it('carry the deprecated scopes (every module null, as captured) on older (odd seed) accounts, and none on newer ones', () => {
      const older = generateAccount({ agents: 5, seed: 1, plan: 'pro' });
      const newer = generateAccount({ agents: 5, seed: 2, plan: 'pro' });
      assert.ok(older.roles.every((role) => Object.values(role.scopes ?? { none: 'missing' }).every((scope) => scope === null)));
      assert.ok(older.agents.every((agent) => 'role_ids' in agent && Object.values(agent['scopes'] as object).every((scope) => scope === null)));
      assert.ok(newer.roles.every((role) => !('scopes' in role)));
      assert.ok(newer.agents.every((agent) => !('role_ids' in agent) && !('scopes' in agent)));
    });

    it('leave role_type out: the role-type setting spells it when the simulator starts', () => {
      for (const seed of [1, 2]) {
        const account = generateAccount({ agents: 5, seed, plan: 'pro' });
        assert.equal(account.roleType, 'absent');
        assert.ok(account.roles.every((role) => !('role_type' in role)), `seed ${seed}`);
      }
    });

    it(`go up to ${MAX_GENERATED_AGENTS} agents with unique, rising ids`, () => {
      const { agents } = generateAccount({ agents: MAX_GENERATED_AGENTS, seed: 9, plan: 'enterprise' });
      assert.equal(agents.length, MAX_GENERATED_AGENTS);
      assert.ok(agents.every((agent, index) => index === 0 || agent.id > (agents[index - 1]?.id ?? 0)));
    });
  });

  describe('account files', () => {
    let folder: string;
    const write = (name: string, text: string): string => {
      const path = join(folder, name);
      writeFileSync(path, text);
      return path;
    };
    const example = (): SimAccount => loadAccountFile(EXAMPLE);

    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'simulator-accounts-'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('load the documented example', () => {
      const account = example();
      assert.equal(account.domain, 'acme');
      assert.equal(account.plan, 'starter');
      assert.equal(account.agents.length, 3);
      assert.equal(account.apiKeys[0]?.apiEnabled, true, 'apiEnabled defaults to true');
    });

    it('refuse a missing file, naming the path and the flag', () => {
      assert.throws(() => loadAccountFile(join(folder, 'absent.json')), (error: unknown) => error instanceof SimulatorSetupError && /absent\.json/.test(error.message) && /--account/.test(error.message));
    });

    it('refuse invalid JSON, saying so', () => {
      const path = write('broken.json', '{"domain": "acme", ');
      assert.throws(() => loadAccountFile(path), (error: unknown) => error instanceof SimulatorSetupError && /not valid JSON/.test(error.message));
    });

    it('refuse data of the wrong shape, pointing at the field', () => {
      const account = example();
      const broken = { ...account, agents: [{ ...account.agents[0], email: 42 }] };
      const path = write('shape.json', JSON.stringify(broken));
      assert.throws(() => loadAccountFile(path), /agents\[0\]\.email/);
    });

    it('refuse a full domain name instead of the subdomain', () => {
      const path = write('domain.json', JSON.stringify({ ...example(), domain: 'acme.freshservice.com' }));
      assert.throws(() => loadAccountFile(path), /subdomain/);
    });

    it('refuse duplicate ids and references to unknown roles or agents', () => {
      const account = example();
      const first = account.agents[0];
      assert.ok(first !== undefined);
      const duplicate = write('duplicate.json', JSON.stringify({ ...account, agents: [...account.agents, first] }));
      assert.throws(() => loadAccountFile(duplicate), /duplicate agents/);
      const unknownRole = write('role.json', JSON.stringify({ ...account, agents: [{ ...first, roles: [{ role_id: 1, assignment_scope: 'entire_helpdesk', groups: [] }] }] }));
      assert.throws(() => loadAccountFile(unknownRole), /role_id 1 is not in "roles"/);
      const unknownOwner = write('owner.json', JSON.stringify({ ...account, apiKeys: [{ key: 'k', agentId: 5 }] }));
      assert.throws(() => loadAccountFile(unknownOwner), /agent 5 is not in "agents"/);
    });

    it('take requesters optionally, and refuse a requester with an agent\'s id (users share one id space)', () => {
      assert.deepEqual(example().requesters, [], 'none by default');
      const account = example();
      const first = account.agents[0];
      assert.ok(first !== undefined);
      const requester = { id: first.id, first_name: 'Rae', last_name: null, primary_email: 'rae@acme.example', active: true };
      const clash = write('requester.json', JSON.stringify({ ...account, requesters: [requester] }));
      assert.throws(() => loadAccountFile(clash), /requesters\[0\]\.id.*an agent's/);
      const fine = write('requester-ok.json', JSON.stringify({ ...account, requesters: [{ ...requester, id: 21000000999 }] }));
      assert.equal(loadAccountFile(fine).requesters[0]?.primary_email, 'rae@acme.example');
    });
  });
});
