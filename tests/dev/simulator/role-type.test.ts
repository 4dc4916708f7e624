import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCliArgs } from '../../../dev/simulator/cli';
import {
  demoAccountFacts,
  isAdminLevelRole,
  roleTypeSpellingSchema,
  startSimulator,
  SimulatorSetupError,
  type RoleTypeSpelling,
  type RunningSimulator,
  type SimRole,
} from '../../../dev/simulator/index';
import { ROLE_TYPE_SPELLINGS } from '../../server/freshservice/fixtures';
import { bodyOf, call } from './http';

const facts = demoAccountFacts();
const EXAMPLE = join(__dirname, '..', '..', '..', '..', 'dev', 'simulator', 'examples', 'small-account.json');

async function servedRoles(sim: RunningSimulator): Promise<SimRole[]> {
  const response = await call(`${sim.url}/api/v2/roles?per_page=100`, { key: facts.keys.accountAdmin });
  assert.equal(response.status, 200);
  return bodyOf<{ roles: SimRole[] }>(response).roles;
}

describe('simulator: the role_type setting', () => {
  for (const spelling of roleTypeSpellingSchema.options) {
    describe(`roleType ${spelling}`, () => {
      let sim: RunningSimulator;
      before(async () => {
        sim = await startSimulator({ roleType: spelling });
      });
      after(() => sim.stop());

      it('spells every served role\'s role_type this way, on the list and on the single role', async () => {
        const roles = await servedRoles(sim);
        assert.equal(roles.length, sim.account.roles.length);
        for (const role of roles) {
          const wanted = ROLE_TYPE_SPELLINGS[spelling](/admin/i.test(role.name));
          assert.equal(role.role_type, wanted, role.name);
          assert.equal('role_type' in role, wanted !== undefined, role.name);
        }
        const single = await call(`${sim.url}/api/v2/roles/${String(facts.adminRoleId)}`, { key: facts.keys.accountAdmin });
        assert.equal(bodyOf<{ role: SimRole }>(single).role.role_type, ROLE_TYPE_SPELLINGS[spelling](true));
        assert.equal(sim.account.roleType, spelling);
      });

      it('changes no key\'s answer: Admins and custom admin roles still read agents, plain agents still get 403', async () => {
        const status = async (key: string) => (await call(`${sim.url}/api/v2/agents?per_page=1`, { key })).status;
        assert.equal(await status(facts.keys.admin), 200);
        assert.equal(await status(facts.keys.customAdmin), 200);
        assert.equal(await status(facts.keys.agentWithoutAdminRole), 403);
        assert.deepEqual(
          sim.account.roles.filter(isAdminLevelRole).map((role) => role.id),
          sim.account.roles.filter((role) => /admin/i.test(role.name)).map((role) => role.id),
        );
      });
    });
  }

  it('spells generated accounts too, whatever the seed', async () => {
    for (const seed of [1, 2]) {
      const sim = await startSimulator({ agents: 10, seed, roleType: 'integer' });
      try {
        assert.ok(sim.account.roles.every((role) => role.role_type === (/admin/i.test(role.name) ? 2 : 1)), `seed ${seed}`);
      } finally {
        await sim.stop();
      }
    }
  });

  describe('from an account file', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'simulator-role-type-'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    const fileWith = (name: string, change: (account: Record<string, unknown>) => Record<string, unknown>): string => {
      const path = join(folder, name);
      writeFileSync(path, JSON.stringify(change(JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>)));
      return path;
    };

    it('takes the file\'s roleType, which the option overrides, and keeps a role_type a role brings itself', async () => {
      const path = fileWith('typed.json', (account) => {
        const roles = account['roles'] as Record<string, unknown>[];
        return { ...account, roleType: 'admin_and_data', roles: roles.map((role, index) => (index === 0 ? { ...role, role_type: 'custom' } : role)) };
      });
      const fromFile = await startSimulator({ accountFile: path });
      const overridden = await startSimulator({ accountFile: path, roleType: 'absent' });
      try {
        assert.deepEqual(fromFile.account.roles.map((role) => role.role_type), ['custom', 'admin_and_data', 'admin_and_data']);
        assert.deepEqual(overridden.account.roles.map((role) => role.role_type), ['custom', undefined, undefined]);
        assert.equal(overridden.account.roleType, 'absent');
      } finally {
        await fromFile.stop();
        await overridden.stop();
      }
    });

    it('refuses an unknown roleType in the file, naming the field', async () => {
      const path = fileWith('bad.json', (account) => ({ ...account, roleType: 'string' }));
      await assert.rejects(startSimulator({ accountFile: path }), (error: unknown) => error instanceof SimulatorSetupError && /roleType/.test(error.message));
    });
  });

  it('refuses an unknown spelling in the options and on the command line', async () => {
    await assert.rejects(startSimulator({ roleType: 'number' as RoleTypeSpelling }), SimulatorSetupError);
    assert.throws(() => parseCliArgs(['--role-type', 'number']), /--role-type must be one of absent, admin-or-agent, admin_and_data, integer/);
    assert.deepEqual(parseCliArgs(['--role-type', 'admin_and_data']), { kind: 'start', options: { port: 4010, roleType: 'admin_and_data', faults: {} } });
  });
});
