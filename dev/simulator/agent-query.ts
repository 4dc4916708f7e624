import type { SimAgent } from './schema';

/**
 * The `query` filter of GET /api/v2/agents ("Filter Agents", https://api.freshservice.com/#filter_agents,
 * restated in askasoft/pango sdk/fdk/freshservice/agents.go, commit 10f816cb): the query is
 * enclosed in double quotes and up to 512 characters; a condition is `field:'text'`,
 * `field:number` or `field:null`; `:>` and `:<` are "greater (less) than or equal to" on date and
 * numeric fields, dates written `'YYYY-MM-DD'`; AND, OR and parentheses group conditions;
 * `~[field|field]:'text'` is "starts with" on the name, email and phone fields.
 * *Assumed* where the docs are silent: text compares without regard to case; AND binds tighter
 * than OR; custom fields are not simulated, and anything the simulator cannot read answers 400
 * rather than being ignored (a filter ignored would list every agent).
 */

export type AgentPredicate = (agent: SimAgent) => boolean;
export type ParsedQuery = { ok: true; matches: AgentPredicate } | { ok: false; message: string };

type FieldKind = 'text' | 'number' | 'date';

/** The documented fields, with the agent field each one reads; department_id matches any of the agent's department_ids. */
const FIELDS: Record<string, { kind: FieldKind; read: (agent: SimAgent) => unknown }> = {
  first_name: { kind: 'text', read: (agent) => agent.first_name },
  last_name: { kind: 'text', read: (agent) => agent.last_name },
  name: { kind: 'text', read: (agent) => [agent.first_name, agent.last_name].filter((part) => part !== null && part !== '').join(' ') },
  job_title: { kind: 'text', read: (agent) => agent.job_title },
  email: { kind: 'text', read: (agent) => agent.email },
  work_phone_number: { kind: 'text', read: (agent) => agent['work_phone_number'] },
  mobile_phone_number: { kind: 'text', read: (agent) => agent['mobile_phone_number'] },
  department_id: { kind: 'number', read: (agent) => agent.department_ids },
  reporting_manager_id: { kind: 'number', read: (agent) => agent['reporting_manager_id'] },
  time_zone: { kind: 'text', read: (agent) => agent['time_zone'] },
  language: { kind: 'text', read: (agent) => agent['language'] },
  location_id: { kind: 'number', read: (agent) => agent['location_id'] },
  created_at: { kind: 'date', read: (agent) => agent.created_at },
  updated_at: { kind: 'date', read: (agent) => agent.updated_at },
};
const STARTS_WITH_FIELDS = new Set(['first_name', 'last_name', 'name', 'email', 'mobile_phone_number', 'work_phone_number']);

const MAX_QUERY_LENGTH = 512;
const TOKEN = /\s*(?:(\()|(\))|(AND|OR)(?![\w:])|~\[([\w|]+)\]:'([^']*)'|(\w+):([<>]?)(?:'([^']*)'|(-?\d+)|(null)))/y;

type Value = { kind: 'text' | 'date'; text: string } | { kind: 'number'; number: number } | { kind: 'null' };
type Token = '(' | ')' | 'AND' | 'OR' | { matches: AgentPredicate };

class QueryError extends Error {}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function equals(actual: unknown, value: Value): boolean {
  if (value.kind === 'null') {
    return isEmpty(actual);
  }
  if (value.kind === 'number') {
    return Array.isArray(actual) ? actual.includes(value.number) : actual === value.number;
  }
  const text = typeof actual === 'string' ? actual : '';
  return value.kind === 'date' ? text.slice(0, 10) === value.text : text.toLowerCase() === value.text.toLowerCase();
}

/** `:>` and `:<`: at least or at most the value, on dates (by day) and numbers. */
function compares(actual: unknown, value: Value, operator: '>' | '<'): boolean {
  const left = value.kind === 'date' && typeof actual === 'string' ? actual.slice(0, 10) : actual;
  const right = value.kind === 'date' ? value.text : value.kind === 'number' ? value.number : null;
  if (typeof left !== typeof right || right === null) {
    return false;
  }
  return operator === '>' ? (left as string | number) >= right : (left as string | number) <= right;
}

function valueFor(field: string, kind: FieldKind, groups: (string | undefined)[]): Value {
  const [text, number, nullWord] = groups;
  if (nullWord !== undefined) {
    return { kind: 'null' };
  }
  if (kind === 'number' && number !== undefined) {
    return { kind: 'number', number: Number(number) };
  }
  if (kind === 'date' && text !== undefined && /^\d{4}-\d\d-\d\d$/.test(text)) {
    return { kind: 'date', text };
  }
  if (kind === 'text' && text !== undefined) {
    return { kind: 'text', text };
  }
  throw new QueryError(`${field} takes ${kind === 'number' ? 'a number' : kind === 'date' ? "a date 'YYYY-MM-DD'" : "a quoted text 'value'"} or null`);
}

function condition(field: string, operator: string, groups: (string | undefined)[]): AgentPredicate {
  const known = FIELDS[field];
  if (known === undefined) {
    throw new QueryError(`${field} is not a field the simulator can filter agents on (${Object.keys(FIELDS).join(', ')})`);
  }
  const value = valueFor(field, known.kind, groups);
  if (operator === '') {
    return (agent) => equals(known.read(agent), value);
  }
  if (known.kind === 'text' || value.kind === 'null') {
    throw new QueryError(`${field}:${operator} compares dates and numbers only`);
  }
  return (agent) => compares(known.read(agent), value, operator as '>' | '<');
}

function startsWith(fieldList: string, text: string): AgentPredicate {
  const fields = fieldList.split('|');
  const unknown = fields.find((field) => !STARTS_WITH_FIELDS.has(field));
  if (unknown !== undefined) {
    throw new QueryError(`~[...] ("starts with") takes ${[...STARTS_WITH_FIELDS].join(', ')}, not ${unknown}`);
  }
  const prefix = text.toLowerCase();
  return (agent) => fields.some((field) => String(FIELDS[field]?.read(agent) ?? '').toLowerCase().startsWith(prefix));
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.trimEnd().length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      throw new QueryError(`cannot read the query from "${text.slice(at, at + 20)}"`);
    }
    const [, open, close, word, prefixFields, prefix, field, operator, quoted, number, nullWord] = match;
    if (prefixFields !== undefined) {
      tokens.push({ matches: startsWith(prefixFields, prefix ?? '') });
    } else if (field !== undefined) {
      tokens.push({ matches: condition(field, operator ?? '', [quoted, number, nullWord]) });
    } else {
      tokens.push((open ?? close ?? word) as Token);
    }
  }
  return tokens;
}

/** Recursive descent over the tokens: OR of ANDs of conditions or parenthesised groups. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): AgentPredicate {
    const matches = this.anyOf();
    if (this.position < this.tokens.length) {
      throw new QueryError('unexpected text after a complete condition: join conditions with AND or OR');
    }
    return matches;
  }

  private anyOf(): AgentPredicate {
    const parts = this.joined('OR', () => this.allOf());
    return (agent) => parts.some((part) => part(agent));
  }

  private allOf(): AgentPredicate {
    const parts = this.joined('AND', () => this.one());
    return (agent) => parts.every((part) => part(agent));
  }

  /** One or more of what `next` reads, joined by `word`. */
  private joined(word: 'AND' | 'OR', next: () => AgentPredicate): AgentPredicate[] {
    const parts = [next()];
    while (this.tokens[this.position] === word) {
      this.position += 1;
      parts.push(next());
    }
    return parts;
  }

  private one(): AgentPredicate {
    const token = this.tokens[this.position];
    this.position += 1;
    if (token === '(') {
      const inner = this.anyOf();
      if (this.tokens[this.position] !== ')') {
        throw new QueryError('a parenthesis is not closed');
      }
      this.position += 1;
      return inner;
    }
    if (typeof token === 'object') {
      return token.matches;
    }
    throw new QueryError(token === undefined ? 'the query ends where a condition should follow' : `a condition should come where "${token}" is`);
  }
}

/** The query as given in the URL (quotes included), or why the simulator cannot answer it. */
export function parseAgentQuery(query: string): ParsedQuery {
  if (!/^".*"$/s.test(query)) {
    return { ok: false, message: `The query must be enclosed in double quotes, e.g. "email:'ana@example.com'"` };
  }
  const inner = query.slice(1, -1);
  if (inner.length > MAX_QUERY_LENGTH) {
    return { ok: false, message: `The query can have up to ${MAX_QUERY_LENGTH} characters` };
  }
  try {
    return { ok: true, matches: new Parser(tokenize(inner)).parse() };
  } catch (error) {
    if (error instanceof QueryError) {
      return { ok: false, message: `Invalid query: ${error.message}` };
    }
    throw error;
  }
}
