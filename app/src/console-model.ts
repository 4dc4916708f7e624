/*
 * The console's data logic, kept free of the DOM so it can be measured and tested alone:
 * every agent is prepared once (lowercased keys, role names joined), then filter, search and
 * sort run over plain in-memory arrays, fast enough for 10,000 agents on every keystroke.
 */

type SortValue = string | number;

const STATE_ORDER: Record<ApiKeyState, number> = { requested: 0, enabled: 1, declined: 2, none: 3 };

const SORT_VALUES: Record<ConsoleSortKey, (row: ConsoleRow, apiKeyState: (id: number) => ApiKeyState) => SortValue> = {
  name: (row) => row.nameKey,
  email: (row) => row.emailKey,
  roles: (row) => row.rolesText.toLowerCase(),
  accountAdmin: (row) => (row.agent.isAccountAdmin ? 0 : 1),
  lastLogin: (row) => row.lastLoginMs,
  apiKey: (row, apiKeyState) => STATE_ORDER[apiKeyState(row.agent.id)],
};

function toRow(agent: AgentAccess): ConsoleRow {
  const rolesText = agent.roles.map((role) => role.name).join(', ');
  const nameKey = agent.name.toLowerCase();
  const emailKey = agent.email.toLowerCase();
  const lastLogin = agent.lastLoginAt === null ? NaN : Date.parse(agent.lastLoginAt);
  return {
    agent,
    rolesText,
    searchText: `${nameKey}\n${emailKey}\n${rolesText.toLowerCase()}`,
    nameKey,
    emailKey,
    lastLoginMs: Number.isNaN(lastLogin) ? 0 : lastLogin,
  };
}

function matchesFilter(filter: ConsoleFilter, apiKeyState: (id: number) => ApiKeyState): (row: ConsoleRow) => boolean {
  if (filter === 'lacking') {
    // Active agents only, as the summary counts them: deactivated agents have their own count.
    return (row) => row.agent.active && !row.agent.isAccountAdmin;
  }
  if (filter === 'pending') {
    return (row) => apiKeyState(row.agent.id) === 'requested';
  }
  return () => true;
}

function matchesSearch(search: string): (row: ConsoleRow) => boolean {
  const terms = search.toLowerCase().split(/\s+/).filter((term) => term !== '');
  return (row) => terms.every((term) => row.searchText.includes(term));
}

function compareValues(left: SortValue, right: SortValue): number {
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}

function sortRows(rows: ConsoleRow[], query: ConsoleQuery, apiKeyState: (id: number) => ApiKeyState): ConsoleRow[] {
  const valueOf = SORT_VALUES[query.sortKey];
  const direction = query.descending ? -1 : 1;
  // Decorate once so the comparator does no work per comparison beyond reading two fields.
  const decorated = rows.map((row) => ({ row, value: valueOf(row, apiKeyState) }));
  decorated.sort(
    (left, right) =>
      direction * compareValues(left.value, right.value) ||
      compareValues(left.row.nameKey, right.row.nameKey) ||
      left.row.agent.id - right.row.agent.id,
  );
  return decorated.map((item) => item.row);
}

function query(rows: ConsoleRow[], consoleQuery: ConsoleQuery, apiKeyState: (id: number) => ApiKeyState): ConsoleRow[] {
  const byFilter = matchesFilter(consoleQuery.filter, apiKeyState);
  const bySearch = matchesSearch(consoleQuery.search);
  const kept = rows.filter((row) => byFilter(row) && bySearch(row));
  return sortRows(kept, consoleQuery, apiKeyState);
}

function page(rows: ConsoleRow[], pageNumber: number, perPage: number): ConsoleRow[] {
  const start = (Math.max(1, pageNumber) - 1) * perPage;
  return rows.slice(start, start + perPage);
}

function isAtLeastAsNew(entry: KnownApiKeyState, known: KnownApiKeyState | undefined): boolean {
  return known === undefined || entry.version >= known.version;
}

/**
 * The index may have been read before an action in this console was answered, or after it:
 * whichever says the higher version wins (every change of a record raises its version).
 */
function knownStates(listed: KnownApiKeyState[], answered: KnownApiKeyState[]): Map<number, KnownApiKeyState> {
  const states = new Map<number, KnownApiKeyState>();
  for (const entry of [...listed, ...answered]) {
    if (isAtLeastAsNew(entry, states.get(entry.agentId))) {
      states.set(entry.agentId, entry);
    }
  }
  return states;
}

function stateOfRecord(record: ApiKeyRecord): KnownApiKeyState {
  return { agentId: record.agent.id, state: record.state, version: record.version };
}

function countState(states: Map<number, KnownApiKeyState>, state: ApiKeyState): number {
  let count = 0;
  for (const entry of states.values()) {
    count += entry.state === state ? 1 : 0;
  }
  return count;
}

function yesNo(value: boolean): string {
  return window.accessText.t(value ? 'csv.yes' : 'csv.no');
}

const CSV_HEADER: MessageKey[] = ['csv.name', 'csv.email', 'csv.roles', 'csv.accountAdmin', 'csv.occasional', 'csv.active', 'csv.lastLogin', 'csv.apiKey'];

/** Last login stays ISO 8601 (UTC): a spreadsheet sorts and converts it, whatever the viewer's locale. */
function csvRows(rows: ConsoleRow[], apiKeyState: (id: number) => ApiKeyState): string[][] {
  const header = CSV_HEADER.map((key) => window.accessText.t(key));
  const body = rows.map(({ agent, rolesText }) => [
    agent.name,
    agent.email,
    rolesText,
    yesNo(agent.isAccountAdmin),
    yesNo(agent.occasional),
    yesNo(agent.active),
    agent.lastLoginAt ?? '',
    window.accessKit.stateWords(apiKeyState(agent.id)),
  ]);
  return [header, ...body];
}

window.consoleModel = { toRow, query, page, knownStates, stateOfRecord, countState, csvRows };
