import { strict as assert } from 'node:assert';
import type { AgentAccess } from '#common/audit';
import type { ApiKeyRecord, ApiKeyState } from '#common/ledger';
import type { KnownApiKeyState } from './load-scripts';
import { loadWidgetScripts, WORDS } from './load-scripts';

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
  const model = loadWidgetScripts(...WORDS, 'kit.js', 'console-model.js').consoleModel;
  const agents = [
    agent(1, 'Carol', { isAccountAdmin: true, roles: [{ roleId: 9, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: null }], lastLoginAt: '2026-01-03T00:00:00Z' }),
    agent(2, 'alice', { holdsAdminRole: true, roles: [{ roleId: 8, name: 'Admin', scope: 'entire_helpdesk', workspaceId: null }], lastLoginAt: '2026-01-01T00:00:00Z' }),
    agent(3, 'Bob', { occasional: true, lastLoginAt: '2026-01-02T00:00:00Z' }),
  ];
  const rows = agents.map((each) => model.toRow(each));
  const states = new Map<number, ApiKeyState>([[3, 'requested']]);
  const stateOf = (id: number): ApiKeyState => states.get(id) ?? 'none';
  const names = (result: { agent: AgentAccess }[]): string[] => result.map((row) => row.agent.name);

  it('filters to active agents without Account Admin (deactivated ones have their own count)', () => {
    assert.deepEqual(names(model.query(rows, { filter: 'lacking', search: '', sortKey: 'name', descending: false }, stateOf)), ['alice', 'Bob']);
    const withGone = [...rows, model.toRow(agent(4, 'Dee', { active: false }))];
    assert.deepEqual(names(model.query(withGone, { filter: 'lacking', search: '', sortKey: 'name', descending: false }, stateOf)), ['alice', 'Bob']);
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

  it('sorts by API-key state: requested, enabled, declined, then none, and the reverse descending', () => {
    const fourRows = ['Dora', 'Cy', 'Bea', 'Al'].map((name, index) => model.toRow(agent(10 + index, name)));
    const fourStates = new Map<number, ApiKeyState>([
      [10, 'none'],
      [11, 'declined'],
      [12, 'enabled'],
      [13, 'requested'],
    ]);
    const stateOfFour = (id: number): ApiKeyState => fourStates.get(id) ?? 'none';
    const byState = (descending: boolean): string[] => names(model.query(fourRows, { filter: 'all', search: '', sortKey: 'apiKey', descending }, stateOfFour));
    assert.deepEqual(byState(false), ['Al', 'Bea', 'Cy', 'Dora']);
    assert.deepEqual(byState(true), ['Dora', 'Cy', 'Bea', 'Al']);
  });

  it('pages the view', () => {
    assert.deepEqual(names(model.page(rows, 2, 2)), ['Bob']);
    assert.deepEqual(names(model.page(rows, 0, 2)), ['Carol', 'alice']);
  });

  describe('API-key states', () => {
    const listed = (agentId: number, state: ApiKeyState, version: number): KnownApiKeyState => ({ agentId, state, version });
    const recordOf = (agentId: number, state: ApiKeyState, version: number): ApiKeyRecord => ({
      agent: { id: agentId, name: 'x' },
      state,
      requestedBy: null,
      requestedAt: null,
      reason: null,
      openedBy: null,
      openedAt: null,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      canUndo: false,
      updatedAt: null,
      version,
    });

    it('takes every listed agent\'s state, however old its last change', () => {
      const known = model.knownStates([listed(3, 'enabled', 1), listed(2, 'declined', 0)], []);
      assert.deepEqual([...known.keys()].sort(), [2, 3]);
      assert.equal(known.get(3)?.state, 'enabled');
      assert.equal(known.get(1), undefined, 'an agent without a state is not listed');
    });

    it('lets an action\'s answer replace an older listed state, none included, but not a newer one', () => {
      const listing = [listed(3, 'enabled', 5), listed(2, 'requested', 5)];
      const answered = [
        model.stateOfRecord(recordOf(3, 'none', 9)),
        model.stateOfRecord(recordOf(2, 'declined', 1)),
        model.stateOfRecord(recordOf(1, 'requested', 2)),
      ];
      const known = model.knownStates(listing, answered);
      assert.deepEqual(
        [1, 2, 3].map((id) => known.get(id)?.state),
        ['requested', 'requested', 'none'],
      );
    });

    it('feeds the pending filter, the count, the sort and the CSV', () => {
      const known = model.knownStates([listed(2, 'requested', 0), listed(1, 'enabled', 0)], []);
      const stateFrom = (id: number): ApiKeyState => known.get(id)?.state ?? 'none';
      assert.deepEqual(names(model.query(rows, { filter: 'pending', search: '', sortKey: 'name', descending: false }, stateFrom)), ['alice']);
      assert.equal(model.countState(known, 'requested'), 1);
      assert.equal(model.countState(known, 'declined'), 0);
      assert.deepEqual(names(model.query(rows, { filter: 'all', search: '', sortKey: 'apiKey', descending: false }, stateFrom)), ['alice', 'Carol', 'Bob']);
      assert.deepEqual(model.csvRows(rows, stateFrom).map((row) => row[7]), ['API key', 'Marked as enabled', 'Requested', 'Nothing recorded']);
    });
  });

  it('exports the view with a header row in the viewer\'s words, Yes/No columns and the login time in UTC', () => {
    const csv = model.csvRows([rows[0]!], stateOf);
    assert.deepEqual(csv[0], ['Name', 'Email', 'Roles', 'Account Admin', 'Occasional', 'Active', 'Last login (UTC)', 'API key']);
    assert.deepEqual(csv[1], ['Carol', 'carol@example.test', 'Account Admin', 'Yes', 'No', 'Yes', '2026-01-03T00:00:00Z', 'Nothing recorded']);
  });
});
