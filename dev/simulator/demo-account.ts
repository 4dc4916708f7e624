import type { RoleAssignment, SimAccount, SimAgent, SimRequester, SimRole } from './schema';
import { accountFacts, type AccountFacts } from './facts';
import { agentRecord, assignment, builtInRoles, requesterRecord, roleRecord } from './shapes';

/**
 * The deterministic demo account served when no --agents or account file is given: about
 * sixty agents chosen to exercise everything the app must get right (Account Admin versus
 * Admin versus custom "Admin" roles, deactivated and occasional agents, workspace-scoped
 * roles, and names that break naive rendering), and a few requesters: users who are not
 * agents, whose user page shows that there is nothing to enable.
 */

const DAY_MS = 86_400_000;
const ACCOUNT_CREATED_MS = Date.UTC(2021, 2, 1, 9, 0, 0);
const LAST_SEEN_MS = Date.UTC(2026, 10, 20, 16, 30, 0);

const IT_WORKSPACE = 2;
const HR_WORKSPACE = 3;
const GROUP = { serviceDesk: 21000012001, network: 21000012002, hrOperations: 21000012003, facilities: 21000012004 } as const;

const BUILT_IN_ROLE_BASE_ID = 21000006160;
const roleId = (name: string): number => {
  const index = builtInRoles.findIndex((role) => role.name === name);
  return BUILT_IN_ROLE_BASE_ID + index;
};
const CUSTOM_ROLE = { assetAdmin: 21000081201, hrWorkspaceAdmin: 21000081202, knowledgeEditor: 21000081203 } as const;

function demoRoles(): SimRole[] {
  const builtIn = builtInRoles.map((role, index) =>
    roleRecord({ id: BUILT_IN_ROLE_BASE_ID + index, name: role.name, description: role.description, isDefault: true, createdAtMs: ACCOUNT_CREATED_MS, olderAccount: true }),
  );
  const custom = [
    { id: CUSTOM_ROLE.assetAdmin, name: 'Asset Admin', description: 'Custom role: manages assets and the CMDB. Not Account Admin.' },
    { id: CUSTOM_ROLE.hrWorkspaceAdmin, name: 'HR Workspace Admin', description: 'Custom role: administers the HR workspace only.' },
    { id: CUSTOM_ROLE.knowledgeEditor, name: 'Knowledge Base Editor', description: 'Custom role: writes and publishes solution articles.' },
  ].map((role) => roleRecord({ ...role, isDefault: false, createdAtMs: ACCOUNT_CREATED_MS + 40 * DAY_MS, olderAccount: true }));
  return [...builtIn, ...custom];
}

const r = {
  accountAdmin: () => assignment(roleId('Account Admin'), 'entire_helpdesk'),
  admin: () => assignment(roleId('Admin'), 'entire_helpdesk'),
  supervisor: () => assignment(roleId('SD Supervisor'), 'member_groups', [GROUP.serviceDesk]),
  agent: () => assignment(roleId('SD Agent'), 'member_groups', [GROUP.serviceDesk]),
  named: (name: string) => assignment(roleId(name), 'entire_helpdesk'),
};

interface DemoRow {
  first: string;
  last: string | null;
  roles: RoleAssignment[];
  title?: string;
  email?: string;
  active?: false;
  occasional?: true;
  neverLoggedIn?: true;
  hr?: true;
}

const rows: DemoRow[] = [
  { first: 'Ana', last: 'Souza', roles: [r.accountAdmin()], title: 'IT Director' },
  { first: 'Björn', last: 'Lindqvist', roles: [r.accountAdmin(), assignment(CUSTOM_ROLE.hrWorkspaceAdmin, 'entire_helpdesk', [], HR_WORKSPACE)], title: 'Head of IT Operations', hr: true },
  { first: 'Margaret', last: 'Okafor', roles: [r.accountAdmin()], title: 'Former IT Director', active: false },
  { first: 'Chloé', last: 'Dubois', roles: [r.admin()], title: 'Service Desk Administrator' },
  { first: 'Rahul', last: 'Mehta', roles: [r.admin()], title: 'Systems Administrator' },
  { first: 'Yuki', last: 'Tanaka', roles: [r.admin(), r.named('Change Manager')], title: 'Change Advisory Lead' },
  { first: 'Ólafur', last: 'Jónsson', roles: [r.admin()], title: 'Contract Administrator', occasional: true },
  { first: 'Sam 🚀', last: 'Rivera', roles: [r.admin()], title: 'Platform Admin', email: 'sam.rivera@demo-corp.example' },
  { first: 'Fatima', last: 'Zahra', roles: [assignment(CUSTOM_ROLE.assetAdmin, 'entire_helpdesk')], title: 'Asset Manager' },
  { first: 'נועה', last: 'כהן', roles: [assignment(CUSTOM_ROLE.hrWorkspaceAdmin, 'entire_helpdesk', [], HR_WORKSPACE)], title: 'HR Systems Lead', email: 'noa.cohen@demo-corp.example', hr: true },
  { first: 'Liam', last: "O'Brien", roles: [r.supervisor()], title: 'Service Desk Supervisor' },
  { first: 'Priya', last: 'Nair', roles: [r.supervisor()], title: 'Service Desk Supervisor' },
  { first: 'محمد', last: 'الأحمد', roles: [assignment(roleId('SD Supervisor'), 'specified_groups', [GROUP.network, GROUP.facilities])], title: 'Network Supervisor', email: 'mohammed.alahmad@demo-corp.example' },
  { first: 'Zoë', last: 'Müller', roles: [r.supervisor()], title: 'Shift Supervisor' },
  { first: 'Diego', last: 'Hernández', roles: [r.supervisor()], title: 'Shift Supervisor', active: false },
  { first: '<img src=x onerror=alert(1)>', last: 'Tester', roles: [r.agent()], email: 'html.tester@demo-corp.example' },
  { first: 'Madonna', last: null, roles: [r.agent()], email: 'madonna@demo-corp.example' },
  { first: 'Kwame', last: 'Mensah', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Sofia', last: 'Rossi', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Hannah', last: 'Schmidt', roles: [r.named('Problem Manager')], title: 'Problem Manager' },
  { first: 'Mateo', last: 'García', roles: [r.named('Change Manager')], title: 'Change Manager' },
  { first: 'Aisha', last: 'Bello', roles: [r.named('Release Manager')], title: 'Release Manager' },
  { first: 'Tomasz', last: 'Kowalski', roles: [r.named('Configuration Manager')], title: 'CMDB Owner' },
  { first: 'Emily', last: 'Chen', roles: [r.named('Contract Manager')], title: 'Vendor Manager' },
  { first: 'Lucas', last: 'Martin', roles: [r.named('IT Ops Agent')], title: 'NOC Engineer' },
  { first: 'Isabella', last: 'Costa', roles: [r.named('Project Manager')], title: 'Project Manager' },
  { first: 'Noah', last: 'Williams', roles: [r.named('Project Member')], title: 'Developer' },
  { first: 'Amara', last: 'Diallo', roles: [r.named('Procurement Manager')], title: 'Procurement Lead' },
  { first: 'Jürgen', last: 'Weiß', roles: [r.agent()], title: 'Desktop Support' },
  { first: 'Élodie', last: 'Fontaine', roles: [r.agent()], title: 'Contractor', occasional: true },
  { first: 'Siobhán', last: 'Ní Bhriain', roles: [r.agent()], title: 'Desktop Support' },
  { first: 'Văn An', last: 'Nguyễn', roles: [r.agent()], title: 'Desktop Support', email: 'an.nguyen@demo-corp.example' },
  { first: 'Søren', last: 'Madsen', roles: [r.agent()], title: 'Network Technician' },
  { first: 'Łukasz', last: 'Nowak', roles: [r.agent()], title: 'Desktop Support', active: false },
  { first: 'Inês', last: 'Ferreira', roles: [assignment(roleId('SD Agent'), 'member_groups', [GROUP.hrOperations], HR_WORKSPACE)], title: 'HR Agent', hr: true },
  { first: 'Oliver', last: 'Brown', roles: [r.agent()], title: 'Contractor', occasional: true },
  { first: 'Mia', last: 'Johnson', roles: [assignment(CUSTOM_ROLE.knowledgeEditor, 'entire_helpdesk')], title: 'Technical Writer' },
  { first: 'Ethan', last: 'Davis', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Ava', last: 'Wilson', roles: [assignment(roleId('SD Agent'), 'assigned_items')], title: 'Service Desk Analyst' },
  { first: 'James', last: 'Taylor', roles: [r.agent()], title: 'Service Desk Analyst', active: false },
  { first: 'Charlotte', last: 'Moore', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Benjamin', last: 'Anderson', roles: [r.agent()], title: 'Field Technician' },
  { first: 'Amelia', last: 'Thomas', roles: [r.agent()], title: 'New Hire', neverLoggedIn: true },
  { first: 'Henry', last: 'Jackson', roles: [r.agent()], title: 'Field Technician' },
  { first: 'Harper', last: 'White', roles: [r.agent()], title: 'Contractor', occasional: true },
  { first: 'Alexander', last: 'Harris', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Evelyn', last: 'Martin', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Daniel', last: 'Thompson', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Abigail', last: 'García', roles: [r.agent()], title: 'Service Desk Analyst', email: 'abigail.garcia2@demo-corp.example' },
  { first: 'Michael', last: 'Martinez', roles: [r.agent(), r.named('Problem Manager')], title: 'Senior Analyst' },
  { first: 'Emily', last: 'Robinson', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'David', last: 'Clark', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Elizabeth', last: 'Rodríguez', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Joseph', last: 'Lewis', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Sofia', last: 'Lee', roles: [assignment(roleId('SD Agent'), 'member_groups', [GROUP.hrOperations], HR_WORKSPACE)], title: 'HR Agent', hr: true },
  { first: 'Samuel', last: 'Walker', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Avery', last: 'Hall', roles: [r.agent()], title: 'Service Desk Analyst', neverLoggedIn: true },
  { first: '伟', last: '张', roles: [r.agent()], title: 'Service Desk Analyst', email: 'wei.zhang@demo-corp.example' },
  { first: 'Gabriel', last: 'Allen', roles: [r.agent()], title: 'Service Desk Analyst' },
  { first: 'Scarlett', last: 'Young', roles: [r.agent()], title: 'Service Desk Analyst', active: false },
  { first: 'Leila', last: 'Haddad', roles: [assignment(roleId('SD Agent'), 'member_groups', [GROUP.hrOperations], HR_WORKSPACE), assignment(roleId('SD Supervisor'), 'member_groups', [GROUP.serviceDesk], IT_WORKSPACE)], title: 'Supervisor (IT), Agent (HR)', hr: true },
  { first: 'Robert', last: '"); DROP TABLE agents;--', roles: [r.agent()], title: '<b>Bold</b> & <i>brave</i>', email: 'robert.tables@demo-corp.example' },
];

function emailFor(row: DemoRow): string {
  const slug = (text: string): string => text.normalize('NFD').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return row.email ?? `${slug(row.first)}.${slug(row.last ?? '')}@demo-corp.example`;
}

const FIRST_AGENT_ID = 21000049726;

function demoAgent(row: DemoRow, index: number): SimAgent {
  return agentRecord({
    id: FIRST_AGENT_ID + index * 3,
    firstName: row.first,
    lastName: row.last,
    email: emailFor(row),
    jobTitle: row.title ?? null,
    active: row.active ?? true,
    occasional: row.occasional ?? false,
    roles: row.roles,
    groupIds: [...new Set(row.roles.flatMap((role) => role.groups))],
    workspaceIds: row.hr === true ? [IT_WORKSPACE, HR_WORKSPACE] : [IT_WORKSPACE],
    createdAtMs: ACCOUNT_CREATED_MS + index * 9 * DAY_MS,
    lastLoginAtMs: row.neverLoggedIn === true ? null : LAST_SEEN_MS - index * 3_600_000,
    withDeprecatedFields: true,
  });
}

/** Requesters: users who are not agents (no roles, no API key). Their ids are in a range no agent uses. */
const requesterRows: { first: string; last: string | null; title: string }[] = [
  { first: 'Grace', last: 'Okonkwo', title: 'Finance Analyst' },
  { first: 'Lars', last: 'Eriksen', title: 'Sales Manager' },
  { first: 'Lucía', last: 'Romero', title: 'Recruiter' },
];

const FIRST_REQUESTER_ID = 21000300100;

function demoRequester(row: (typeof requesterRows)[number], index: number): SimRequester {
  return requesterRecord({
    id: FIRST_REQUESTER_ID + index * 7,
    firstName: row.first,
    lastName: row.last,
    email: emailFor({ first: row.first, last: row.last, roles: [] }),
    jobTitle: row.title,
    createdAtMs: ACCOUNT_CREATED_MS + (index + 1) * 30 * DAY_MS,
  });
}

/** Demo API keys, by the first name of their owner; labels say what each one demonstrates. */
const demoKeyRows = [
  { key: 'DemoAccountAdminKey1', owner: 'Ana', apiEnabled: true, label: 'Account Admin' },
  { key: 'DemoAdminOnlyKey0002', owner: 'Chloé', apiEnabled: true, label: 'Admin (not Account Admin)' },
  { key: 'DemoPlainAgentKey003', owner: 'Kwame', apiEnabled: true, label: 'Agent without admin role (403)' },
  { key: 'DemoKeySwitchedOff04', owner: 'Rahul', apiEnabled: false, label: 'API access switched off (401)' },
  { key: 'DemoSupervisorKey005', owner: 'Liam', apiEnabled: true, label: 'Supervisor without admin role (403)' },
  { key: 'DemoCustomAdminKey06', owner: 'Fatima', apiEnabled: true, label: 'Custom "Asset Admin" role (not Account Admin)' },
  { key: 'DemoAccountAdminKey2', owner: 'Björn', apiEnabled: true, label: 'Second Account Admin' },
  { key: 'DemoDeactivatedKey07', owner: 'Margaret', apiEnabled: true, label: 'Deactivated Account Admin (401)' },
] as const;

export interface DemoKey {
  key: string;
  agentId: number;
  label: string;
}

function ownerId(agents: readonly SimAgent[], firstName: string): number {
  const owner = agents.find((agent) => agent.first_name === firstName);
  if (owner === undefined) {
    throw new Error(`demo account has no agent named ${firstName}`);
  }
  return owner.id;
}

export function demoAccount(): SimAccount {
  const agents = rows.map(demoAgent);
  const apiKeys = demoKeyRows.map((row) => ({ key: row.key, agentId: ownerId(agents, row.owner), apiEnabled: row.apiEnabled }));
  return { domain: 'demo', plan: 'pro', roleType: 'absent', roles: demoRoles(), agents, requesters: requesterRows.map(demoRequester), apiKeys };
}

export function demoKeys(account: SimAccount): DemoKey[] {
  return demoKeyRows.map((row) => ({ key: row.key, agentId: ownerId(account.agents, row.owner), label: row.label }));
}

export interface DemoAccountFacts extends AccountFacts {
  /** The agent whose first name is `<img src=x onerror=alert(1)>`. */
  htmlNameAgentId: number;
  nullLastNameAgentId: number;
  emojiNameAgentId: number;
  rightToLeftNameAgentIds: number[];
  /** Users who are not agents: their page shows a requester. */
  requesterIds: number[];
  keys: {
    accountAdmin: string;
    admin: string;
    agentWithoutAdminRole: string;
    apiSwitchedOff: string;
    supervisor: string;
    customAdmin: string;
    deactivatedOwner: string;
  };
}

export function demoAccountFacts(): DemoAccountFacts {
  const account = demoAccount();
  const { agents } = account;
  const key = (index: number): string => demoKeyRows[index]?.key ?? '';
  return {
    ...accountFacts(account),
    htmlNameAgentId: ownerId(agents, '<img src=x onerror=alert(1)>'),
    nullLastNameAgentId: ownerId(agents, 'Madonna'),
    emojiNameAgentId: ownerId(agents, 'Sam 🚀'),
    rightToLeftNameAgentIds: [ownerId(agents, 'נועה'), ownerId(agents, 'محمد')],
    requesterIds: account.requesters.map((requester) => requester.id),
    keys: {
      accountAdmin: key(0),
      admin: key(1),
      agentWithoutAdminRole: key(2),
      apiSwitchedOff: key(3),
      supervisor: key(4),
      customAdmin: key(5),
      deactivatedOwner: key(7),
    },
  };
}
