/**
 * The head: one `$db` key that almost every call reads first, and the only key that changes in
 * place. One read gives the roles (to tell who holds Account Admin), the Account Admins (who can
 * enable keys) and the ledger's index (every agent's current API-key state and where its record
 * is), so a sidebar view costs 1 read, plus 1 for the viewed agent's record when there is one.
 *
 * Layout: one sealed string per top-level attribute, each written with one atomic
 * `update(head, 'set', ...)`, so writers of different attributes never overwrite each other:
 *
 * | attribute      | value                                                           |
 * |----------------|-----------------------------------------------------------------|
 * | `roles`        | the account's roles, compact, and when they were read           |
 * | `admins`       | for which Account Admin role the list was made, complete?, when |
 * | `A<id base36>` | one Account Admin: name and email                               |
 * | `i<id base36>` | one agent's ledger index entry (see IndexEntry)                 |
 * | `overflow`     | which overflow index shards exist, once the head is full        |
 * | `scan`         | the background scan of the agents for Account Admins, while it runs |
 * | `people`       | when someone last used the app (a view, the console): the scan gives way |
 * | `refresh`      | when the background refresh last ran or was (re)created          |
 * | `chains`       | when each chain of scan steps is next due, as its last run left it |
 *
 * $db allows 40 KB per key and value. The roles and the Account Admins each have a fixed share
 * (ROLES_MAX_BYTES, ADMINS_MAX_BYTES) and the index takes what is left (INDEX_MAX_BYTES, about
 * 350 agents with a recorded state); an agent first recorded once the index share is used goes
 * to overflow shard `agent id mod OVERFLOW_SHARDS` instead, where it stays.
 */
import { z } from 'zod';
import type { AgentId } from '../../../common/audit';
import { utf8Bytes } from '../audit/size';
import type { AppError } from '../errors';
import { parseJson, SealedStore, storeFailure, type Opened } from './sealed-store';

export const HEAD = 'head';
export const HEAD_MAX_BYTES = 40 * 1024;
export const ROLES_MAX_BYTES = 8 * 1024;
export const ADMINS_MAX_BYTES = 8 * 1024;
/** Room kept free for index entries that grow (a request adds a name and a reason preview) and concurrent writers. */
export const HEAD_MARGIN_BYTES = 3 * 1024;
export const INDEX_MAX_BYTES = HEAD_MAX_BYTES - ROLES_MAX_BYTES - ADMINS_MAX_BYTES - HEAD_MARGIN_BYTES;
export const OVERFLOW_SHARDS = 16;

export const ROLES_ATTRIBUTE = 'roles';
export const ADMINS_ATTRIBUTE = 'admins';
export const OVERFLOW_ATTRIBUTE = 'overflow';
export const SCAN_ATTRIBUTE = 'scan';
const ADMIN_PREFIX = 'A';
const ENTRY_PREFIX = 'i';

export function adminAttribute(agentId: AgentId): string {
  return `${ADMIN_PREFIX}${agentId.toString(36)}`;
}

export function entryAttribute(agentId: AgentId): string {
  return `${ENTRY_PREFIX}${agentId.toString(36)}`;
}

function agentOf(attribute: string, prefix: string): AgentId | null {
  if (!attribute.startsWith(prefix) || !/^[0-9a-z]{1,12}$/.test(attribute.slice(1))) {
    return null;
  }
  const id = parseInt(attribute.slice(1), 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The agent whose index entry an attribute (`i<id base36>`, in the head or an overflow shard) holds; null for any other attribute. */
export function entryAgentOf(attribute: string): AgentId | null {
  return agentOf(attribute, ENTRY_PREFIX);
}

/** `[id, name, isDefault, adminLevel]`: tuples keep ~100 roles inside ROLES_MAX_BYTES. */
export const compactRoleSchema = z.tuple([z.number().int().nonnegative(), z.string(), z.boolean(), z.boolean()]);
export const rolesPartSchema = z.object({ roles: z.array(compactRoleSchema), fetchedAt: z.number() });
export type RolesPart = z.infer<typeof rolesPartSchema>;

export const adminsMetaSchema = z.object({ roleId: z.number().int().nonnegative(), complete: z.boolean(), recordedAt: z.string() });
export type AdminsMeta = z.infer<typeof adminsMetaSchema>;
export const storedAdminSchema = z.object({
  name: z.string(),
  email: z.string(),
  otherAdminRole: z.boolean(),
  /** The scan (its start time) or event that last wrote this admin: a completed scan removes those older than itself. */
  seen: z.number().nonnegative(),
});

export interface StoredAccountAdmin {
  id: AgentId;
  name: string;
  email: string;
  /** Also holds an admin-level role other than Account Admin. */
  otherAdminRole: boolean;
  seen: number;
}

/**
 * The background scan for Account Admins (server/src/admins/scan.ts): which generation (its start
 * time), for which Account Admin role, the next page of active agents to read, and progress.
 * `done` once the last page was read (the `admins` attribute then says complete).
 */
export const scanStateSchema = z.object({
  generation: z.number().int().nonnegative(),
  roleId: z.number().int().nonnegative(),
  nextPage: z.number().int().positive(),
  pagesRead: z.number().int().nonnegative(),
  agentsRead: z.number().int().nonnegative(),
  startedAt: z.number().int().nonnegative(),
  /** When a step last read a page: the recurring refresh takes over when the chained steps stop. */
  steppedAt: z.number().int().nonnegative(),
  /** More Account Admins were found than the head has room for: the finished list is marked incomplete. */
  overflowed: z.boolean(),
  done: z.boolean(),
  // What keeps the background inside the installation's shared budgets (server/src/admins/pacing.ts);
  // a scan state written by an earlier version of the app has none of it.
  /** The background's template requests of the last minute, `[time, count]`, a running step's reserved ones included. */
  requests: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()])).max(64).default([]),
  /** A step holds the scan until then (it started, and may run FDK's 20 s): another step does not start. */
  busyUntil: z.number().int().nonnegative().default(0),
  /** No page is read before then: Freshservice or the platform asked to wait, or a page failed. */
  notBefore: z.number().int().nonnegative().default(0),
});
export type ScanState = z.infer<typeof scanStateSchema>;

/** A scan for the account's current Account Admin role that has not read its last page yet. */
export function isScanRunning(scan: ScanState | null, roleId: number): scan is ScanState {
  return scan !== null && !scan.done && scan.roleId === roleId;
}

export interface AccountAdminsRecord extends AdminsMeta {
  admins: StoredAccountAdmin[];
}

const STATES = { n: 'none', r: 'requested', e: 'enabled', d: 'declined' } as const;
const ACTIONS = { r: 'requested', o: 'opened', e: 'enabled', d: 'declined', u: 'undo' } as const;
type StateLetter = keyof typeof STATES;
type ActionLetter = keyof typeof ACTIONS;
export type IndexedState = (typeof STATES)[StateLetter];
export type IndexedAction = (typeof ACTIONS)[ActionLetter];

/** While a request waits: who asked (name as recorded), when, and the start of the reason, for the queue. */
export interface PendingDetails {
  name: string;
  requestedAt: number;
  reasonPreview: string;
}

/**
 * One agent's index entry: the version of their newest record (key `e:<agent>:<version>`), its
 * state, when and by whom it last changed, and while pending the queue's details. Stored packed
 * (`r.7.mwx4n0qs.r.9nrhn1s2~[...]`, base 36) so that hundreds fit in the head.
 */
export interface IndexEntry {
  version: number;
  state: IndexedState;
  updatedAt: number;
  lastAction: IndexedAction;
  lastActorId: AgentId;
  pending: PendingDetails | null;
}

function letterOf<T extends string>(table: Record<string, T>, value: T): string {
  return Object.keys(table).find((letter) => table[letter] === value) as string;
}

export function packEntry(entry: IndexEntry): string {
  const fixed = [letterOf(STATES, entry.state), entry.version.toString(36), entry.updatedAt.toString(36), letterOf(ACTIONS, entry.lastAction), entry.lastActorId.toString(36)].join('.');
  return entry.pending === null ? fixed : `${fixed}~${JSON.stringify([entry.pending.requestedAt.toString(36), entry.pending.name, entry.pending.reasonPreview])}`;
}

const FIXED_PART = /^([nred])\.([0-9a-z]{1,8})\.([0-9a-z]{1,11})\.([roedu])\.([0-9a-z]{1,12})$/;
const pendingPartSchema = z.tuple([z.string().regex(/^[0-9a-z]{1,11}$/), z.string(), z.string()]);

function parsePending(text: string | undefined): PendingDetails | null | undefined {
  if (text === undefined) {
    return null;
  }
  const parsed = pendingPartSchema.safeParse(parseJson(text));
  return parsed.success ? { requestedAt: parseInt(parsed.data[0], 36), name: parsed.data[1], reasonPreview: parsed.data[2] } : undefined;
}

/** Reads a packed entry back; anything else fails the schema. */
export const indexEntrySchema: z.ZodType<IndexEntry> = z.string().transform((packed, context) => {
  const at = packed.indexOf('~');
  const match = FIXED_PART.exec(at < 0 ? packed : packed.slice(0, at));
  const pending = parsePending(at < 0 ? undefined : packed.slice(at + 1));
  if (match === null || pending === undefined) {
    context.addIssue({ code: 'custom', message: 'not an index entry' });
    return z.NEVER;
  }
  const [, state, version, updatedAt, action, actor] = match as unknown as [string, StateLetter, string, string, ActionLetter, string];
  return { state: STATES[state], version: parseInt(version, 36), updatedAt: parseInt(updatedAt, 36), lastAction: ACTIONS[action], lastActorId: parseInt(actor, 36), pending };
});

export const overflowSchema = z.object({ shards: z.array(z.number().int().min(0).max(OVERFLOW_SHARDS - 1)) });

// ---- The background's marks (server/src/admins/presence.ts) --------------------------------
// Each its own attribute: written by different callers, never overwriting each other.

/** When someone last used the app (a sidebar view, the console's overview). */
export const PEOPLE_ATTRIBUTE = 'people';
/** When the recurring refresh last ran, or was (re)created. */
export const REFRESH_ATTRIBUTE = 'refresh';
export const markSchema = z.object({ at: z.number().int().nonnegative() });
/** When each chain of scan steps is next due (by chain), as its last run left it: the refresh re-arms one long overdue. */
export const CHAINS_ATTRIBUTE = 'chains';
export const chainsSchema = z.object({ due: z.array(z.number().int().nonnegative()).max(64) });

/** The marks as read (null or empty: never written, or failed verification). */
export interface BackgroundMarks {
  people: number | null;
  refresh: number | null;
  chainsDue: number[];
}

function markReaders(open: <T>(name: string, stored: unknown, schema: z.ZodType<T>) => Opened<T>): PartReader[] {
  return [
    ...[PEOPLE_ATTRIBUTE, REFRESH_ATTRIBUTE].map(
      (attribute): PartReader => (parts, name, stored) => name === attribute && keep(open(name, stored, markSchema), (value) => (parts.marks = { ...parts.marks, [attribute]: value.at })),
    ),
    (parts, name, stored) => name === CHAINS_ATTRIBUTE && keep(open(name, stored, chainsSchema), (value) => (parts.marks = { ...parts.marks, chainsDue: value.due })),
  ];
}
// ---- end of the background's marks ---------------------------------------------------------

/** The head as read: each part verified on its own (a tampered attribute is dropped and named). */
export interface Head {
  key: string;
  /** Bytes of the key and its stored value as read. */
  bytes: number;
  roles: RolesPart | null;
  accountAdmins: AccountAdminsRecord | null;
  entries: ReadonlyMap<AgentId, IndexEntry>;
  /** Overflow shards that exist; empty while everything fits in the head. */
  overflowShards: readonly number[];
  /** Bytes the index entries take, against INDEX_MAX_BYTES. */
  indexBytes: number;
  /** The background scan for Account Admins, when one was ever started. */
  scan: ScanState | null;
  /** When people last used the app and when the background refresh last ran. */
  marks: BackgroundMarks;
  /** Attribute names whose seal or shape did not verify (never used). */
  tampered: string[];
  /**
   * Why the head could not be read (the store refused, e.g. its 50 operations a minute are
   * spent); the head then reads as empty. Caches fall back to Freshservice and are not written;
   * the ledger answers this failure.
   */
  failure: AppError | null;
}

export function attributeBytes(name: string, sealed: string): number {
  return utf8Bytes(JSON.stringify(name)) + utf8Bytes(JSON.stringify(sealed)) + 2;
}

interface HeadParts {
  roles: RolesPart | null;
  scan: ScanState | null;
  marks: BackgroundMarks;
  meta: AdminsMeta | null;
  admins: StoredAccountAdmin[];
  entries: Map<AgentId, IndexEntry>;
  overflowShards: number[];
  indexBytes: number;
  tampered: string[];
}

function emptyParts(): HeadParts {
  return { roles: null, scan: null, marks: { people: null, refresh: null, chainsDue: [] }, meta: null, admins: [], entries: new Map(), overflowShards: [], indexBytes: 0, tampered: [] };
}

type PartReader = (parts: HeadParts, name: string, stored: unknown) => boolean;

/** Each reader takes the attributes it owns and says whether this one was its and verified. */
function headReaders(store: SealedStore, key: string): PartReader[] {
  const open = <T>(name: string, stored: unknown, schema: z.ZodType<T>): Opened<T> => store.open(key, name, stored, schema);
  return [
    (parts, name, stored) => name === ROLES_ATTRIBUTE && keep(open(name, stored, rolesPartSchema), (value) => (parts.roles = value)),
    (parts, name, stored) => name === ADMINS_ATTRIBUTE && keep(open(name, stored, adminsMetaSchema), (value) => (parts.meta = value)),
    (parts, name, stored) => name === OVERFLOW_ATTRIBUTE && keep(open(name, stored, overflowSchema), (value) => (parts.overflowShards = value.shards)),
    (parts, name, stored) => name === SCAN_ATTRIBUTE && keep(open(name, stored, scanStateSchema), (value) => (parts.scan = value)),
    ...markReaders(open),
    (parts, name, stored) => {
      const agentId = agentOf(name, ADMIN_PREFIX);
      return agentId !== null && keep(open(name, stored, storedAdminSchema), (value) => parts.admins.push({ id: agentId, ...value }));
    },
    (parts, name, stored) => {
      const agentId = entryAgentOf(name);
      return (
        agentId !== null &&
        keep(open(name, stored, indexEntrySchema), (value) => {
          parts.entries.set(agentId, value);
          parts.indexBytes += attributeBytes(name, stored as string);
        })
      );
    },
  ];
}

function keep<T>(opened: Opened<T>, use: (value: T) => void): boolean {
  if (opened.kind === 'ok') {
    use(opened.value);
  }
  return opened.kind === 'ok';
}

function parseHead(store: SealedStore, key: string, attributes: Record<string, unknown>): HeadParts {
  const parts = emptyParts();
  const readers = headReaders(store, key);
  for (const [name, stored] of Object.entries(attributes)) {
    if (!readers.some((reader) => reader(parts, name, stored))) {
      parts.tampered.push(name);
    }
  }
  return parts;
}

async function headAttributes(store: SealedStore, key: string): Promise<{ attributes: Record<string, unknown>; failure: AppError | null }> {
  try {
    return { attributes: (await store.getAttributes(key)) ?? {}, failure: null };
  } catch (rejection) {
    const failure = storeFailure(rejection);
    console.warn(`storage: the head could not be read (${failure.status})`);
    return { attributes: {}, failure };
  }
}

/** One $db read. A missing head is an empty one (a new installation); an unreadable one is empty with its failure. */
export async function readHead(store: SealedStore): Promise<Head> {
  const key = store.keyOf(HEAD);
  const { attributes, failure } = await headAttributes(store, key);
  const parts = parseHead(store, key, attributes);
  const bytes = utf8Bytes(key) + utf8Bytes(JSON.stringify(attributes));
  const accountAdmins = parts.meta === null ? null : { ...parts.meta, admins: parts.admins.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id) };
  if (parts.tampered.length > 0) {
    console.warn(`storage: ${parts.tampered.length} head attribute(s) failed verification and were ignored`);
  }
  return { key, bytes, roles: parts.roles, accountAdmins, entries: parts.entries, overflowShards: parts.overflowShards, indexBytes: parts.indexBytes, scan: parts.scan, marks: parts.marks, tampered: parts.tampered, failure };
}

/** Writes head attributes; a failure is the caller's to map (see SealedStore.setAttributes). */
export function writeHeadAttributes(store: SealedStore, head: Pick<Head, 'key'>, attributes: Record<string, unknown>): Promise<void> {
  return store.setAttributes(head.key, attributes);
}

/** For caches (roles, Account Admins): a failed write only means the next reader asks Freshservice again. */
export async function writeHeadCache(store: SealedStore, head: Pick<Head, 'key' | 'failure'>, attributes: Record<string, unknown>, what: string): Promise<void> {
  if (head.failure !== null) {
    // The store is refusing (likely its rate limit): another operation would only be refused too.
    return;
  }
  try {
    await writeHeadAttributes(store, head, attributes);
  } catch (rejection) {
    const failure = storeFailure(rejection);
    console.warn(`storage: writing the ${what} failed (${failure.status}); they will be read from Freshservice next time`);
  }
}
