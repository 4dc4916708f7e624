import type { Plan, RoleAssignment, SimAccount, SimAgent, SimRole } from './schema';
import { seededRandom, type SeededRandom } from './random';
import { agentRecord, assignment, builtInRoles, roleRecord } from './shapes';

/**
 * Generated accounts of any size (up to 50,000 agents) from a seed, with a realistic role
 * mix: a few Account Admins, some Admins and custom admin roles, supervisors, specialists
 * and a majority of plain agents; some deactivated, occasional or workspace-scoped.
 * The first agents are fixed (two Account Admins, an Admin, a plain agent) so every
 * generated account has one demo key of each kind.
 */

export const MAX_GENERATED_AGENTS = 50_000;

const DAY_MS = 86_400_000;
const ACCOUNT_CREATED_MS = Date.UTC(2020, 8, 1, 8, 0, 0);
const LAST_SEEN_MS = Date.UTC(2026, 10, 24, 12, 0, 0);
const ROLE_BASE_ID = 21000007000;
const AGENT_BASE_ID = 21000100000;
const HR_WORKSPACE = 3;
const groupIds = [21000013001, 21000013002, 21000013003, 21000013004, 21000013005, 21000013006];

const customRoles = [
  { name: 'Asset Admin', description: 'Custom role: manages assets. Not Account Admin.' },
  { name: 'Workspace Admin (Facilities)', description: 'Custom role: administers one workspace.' },
  { name: 'Reporting Viewer', description: 'Custom role: reads dashboards and reports.' },
];

const firstNames = ['Ana', 'Björn', 'Chloé', 'Dmitri', 'Émile', 'Fatima', 'Grace', 'Hiroshi', 'Inês', 'Jamal', 'Kateřina', 'Luis', 'Maëlle', 'Nikhil', 'Oluwaseun', 'Paula', 'Quentin', 'Rosa', 'Søren', 'Tomás', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zofia', 'נועה', 'محمد', 'Sam 🚀', '<b>Bo</b>'];
const lastNames = ['Souza', 'Lindqvist', 'Dubois', 'Ivanov', 'Lefèvre', 'Zahra', 'Hopper', 'Sato', 'Ferreira', 'Ali', 'Novák', 'Fernández', 'Le Goff', 'Rao', 'Adeyemi', 'Schmidt', 'Moreau', 'Rossi', 'Jørgensen', 'Ó Briain', 'Patel', 'Petrov', 'Li', 'Hernández', 'Yılmaz', 'Wiśniewska', 'כהן', 'الأحمد'];
const jobTitles = ['Service Desk Analyst', 'Field Technician', 'Network Engineer', 'Systems Administrator', 'Contractor', null];

function generatedRoles(olderAccount: boolean): SimRole[] {
  const all = [...builtInRoles.map((role) => ({ ...role, isDefault: true })), ...customRoles.map((role) => ({ ...role, isDefault: false }))];
  return all.map((role, index) => roleRecord({ id: ROLE_BASE_ID + index, createdAtMs: ACCOUNT_CREATED_MS, olderAccount, ...role }));
}

const roleIdOf = (name: string): number => {
  const index = [...builtInRoles, ...customRoles].findIndex((role) => role.name === name);
  return ROLE_BASE_ID + index;
};

const specialistRoles = ['Problem Manager', 'Change Manager', 'Release Manager', 'Configuration Manager', 'IT Ops Agent', 'Project Member'];

/** Weighted role mix: [upper bound of the draw, primary role name]. */
const roleMix: readonly [number, string][] = [
  [0.004, 'Account Admin'],
  [0.04, 'Admin'],
  [0.05, 'Asset Admin'],
  [0.055, 'Workspace Admin (Facilities)'],
  [0.16, 'SD Supervisor'],
  [0.28, 'specialist'],
  [0.3, 'Reporting Viewer'],
];

const fixedFirstRoles = ['Account Admin', 'Account Admin', 'Admin', 'SD Agent'];

function primaryRole(index: number, random: SeededRandom): string {
  const fixed = fixedFirstRoles[index];
  if (fixed !== undefined) {
    return fixed;
  }
  const draw = random.next();
  const mixed = roleMix.find(([bound]) => draw < bound)?.[1] ?? 'SD Agent';
  return mixed === 'specialist' ? random.pick(specialistRoles) : mixed;
}

function scopedAssignment(name: string, random: SeededRandom): RoleAssignment {
  if (/Admin/.test(name)) {
    return assignment(roleIdOf(name), 'entire_helpdesk');
  }
  const draw = random.next();
  if (draw < 0.1) {
    return assignment(roleIdOf(name), 'member_groups', [random.pick(groupIds)], HR_WORKSPACE);
  }
  return draw < 0.7 ? assignment(roleIdOf(name), 'member_groups', [random.pick(groupIds)]) : assignment(roleIdOf(name), random.pick(['entire_helpdesk', 'assigned_items'] as const));
}

function rolesFor(index: number, random: SeededRandom): RoleAssignment[] {
  const primary = scopedAssignment(primaryRole(index, random), random);
  const second = index >= fixedFirstRoles.length && random.next() < 0.08 ? scopedAssignment(random.pick(specialistRoles), random) : null;
  return second === null || second.role_id === primary.role_id ? [primary] : [primary, second];
}

function generatedAgent(index: number, random: SeededRandom, olderAccount: boolean): SimAgent {
  const first = random.pick(firstNames);
  const last = random.next() < 0.01 ? null : random.pick(lastNames);
  const roles = rolesFor(index, random);
  const fixed = index < fixedFirstRoles.length;
  const hr = roles.some((role) => role.workspace_id !== undefined);
  return agentRecord({
    id: AGENT_BASE_ID + index * 3 + random.below(3),
    firstName: first,
    lastName: last,
    email: `agent${index + 1}@sim.example`,
    jobTitle: random.pick(jobTitles),
    active: fixed || random.next() >= 0.07,
    occasional: !fixed && random.next() < 0.05,
    roles,
    groupIds: [...new Set(roles.flatMap((role) => role.groups))],
    workspaceIds: hr ? [2, HR_WORKSPACE] : [2],
    createdAtMs: ACCOUNT_CREATED_MS + Math.floor((index * 2000 * DAY_MS) / MAX_GENERATED_AGENTS),
    lastLoginAtMs: random.next() < 0.03 ? null : LAST_SEEN_MS - random.below(90 * DAY_MS),
    withDeprecatedFields: olderAccount,
  });
}

function randomKey(random: SeededRandom): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 20 }, () => alphabet.charAt(random.below(alphabet.length))).join('');
}

/** Key owners by index into the fixed first agents; the switched-off key belongs to the second Account Admin. */
const generatedKeyOwners = [
  { owner: 0, apiEnabled: true },
  { owner: 2, apiEnabled: true },
  { owner: 3, apiEnabled: true },
  { owner: 1, apiEnabled: false },
];

export function generateAccount(options: { agents: number; seed: number; plan: Plan }): SimAccount {
  const random = seededRandom(options.seed);
  const olderAccount = options.seed % 2 === 1;
  const agents = Array.from({ length: options.agents }, (_unused, index) => generatedAgent(index, random, olderAccount));
  const keyRandom = seededRandom(options.seed ^ 0x5eed);
  const apiKeys = generatedKeyOwners.flatMap(({ owner, apiEnabled }) => {
    const agent = agents[owner];
    return agent === undefined ? [] : [{ key: randomKey(keyRandom), agentId: agent.id, apiEnabled }];
  });
  return { domain: `sim${options.seed}`, plan: options.plan, roleType: 'absent', roles: generatedRoles(olderAccount), agents, requesters: [], apiKeys };
}
