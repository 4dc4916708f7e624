import { strict as assert } from 'node:assert';
import type { AgentAccess } from '../../common/audit';
import type { ApiKeyState, TrailEntry } from '../../common/ledger';
import { loadWidgetScripts } from './load-scripts';

function agent(id: number, name: string, extra: Partial<AgentAccess> = {}): AgentAccess {
  return {
    id,
    firstName: name,
    lastName: null,
    name,
    email: `${name.toLowerCase()}@example.test`,
    active: true,
    occasional: false,
    lastLoginAt: null,
    roles: [{ roleId: 1, name: 'SD Agent', scope: 'entire_helpdesk', workspaceId: null }],
    isAccountAdmin: false,
    holdsAdminRole: false,
    ...extra,
  };
}

describe('console model (app/src/console-model.ts)', () => {
  const model = loadWidgetScripts('console-model.js').consoleModel;
  const agents = [
    agent(1, 'Carol', { isAccountAdmin: true, roles: [{ roleId: 9, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: null }], lastLoginAt: '2026-01-03T00:00:00Z' }),
    agent(2, 'alice', { holdsAdminRole: true, roles: [{ roleId: 8, name: 'Admin', scope: 'entire_helpdesk', workspaceId: null }], lastLoginAt: '2026-01-01T00:00:00Z' }),
    agent(3, 'Bob', { occasional: true, lastLoginAt: '2026-01-02T00:00:00Z' }),
  ];
  const rows = agents.map((each) => model.toRow(each));
  const states = new Map<number, ApiKeyState>([[3, 'requested']]);
  const stateOf = (id: number): ApiKeyState => states.get(id) ?? 'none';
  const names = (result: { agent: AgentAccess }[]): string[] => result.map((row) => row.agent.name);

  it('filters to agents lacking Account Admin', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'lacking', search: '', sortKey: 'name', descending: false }, stateOf)), ['alice', 'Bob']);
  });

  it('filters to pending requests', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'pending', search: '', sortKey: 'name', descending: false }, stateOf)), ['Bob']);
  });

  it('searches name, email and roles, every term must match, case-insensitive', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: 'ADMIN', sortKey: 'name', descending: false }, stateOf)), ['alice', 'Carol']);
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: 'admin carol', sortKey: 'name', descending: false }, stateOf)), ['Carol']);
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: 'nobody', sortKey: 'name', descending: false }, stateOf)), []);
  });

  it('sorts case-insensitively by name and by last login descending', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: '', sortKey: 'name', descending: false }, stateOf)), ['alice', 'Bob', 'Carol']);
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: '', sortKey: 'lastLogin', descending: true }, stateOf)), ['Carol', 'Bob', 'alice']);
  });

  it('sorts by API-key state with pending requests first', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'all', search: '', sortKey: 'apiKey', descending: false }, stateOf)), ['Bob', 'alice', 'Carol']);
  });

  it('pages the view', () => {
    assert.deepEqual(names(model.page(rows, 2, 2)), ['Bob']);
    assert.deepEqual(names(model.page(rows, 0, 2)), ['Carol', 'alice']);
  });

  it('takes the newest trail entry per agent as its state', () => {
    const entry = (targetId: number, to: ApiKeyState): TrailEntry => ({
      at: '2026-01-01T00:00:00Z',
      actor: { id: 1, name: 'Carol' },
      action: 'enabled',
      target: { id: targetId, name: 'x' },
      from: 'requested',
      to,
      note: null,
    });
    const fromTrail = model.statesFromTrail([entry(3, 'enabled'), entry(3, 'requested'), entry(2, 'declined')]);
    assert.deepEqual([...fromTrail.entries()], [[3, 'enabled'], [2, 'declined']]);
  });

  it('exports the view with a header row and yes/no columns', () => {
    const csv = model.csvRows([rows[0]!], stateOf);
    assert.deepEqual(csv[0], ['Name', 'Email', 'Roles', 'Account Admin', 'Occasional', 'Active', 'Last login', 'API key']);
    assert.deepEqual(csv[1], ['Carol', 'carol@example.test', 'Account Admin', 'yes', 'no', 'yes', '2026-01-03T00:00:00Z', 'none']);
  });
});
