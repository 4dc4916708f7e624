/**
 * The head: one `$db` key that almost every call reads first, and the only key several parts of
 * the app change in place. One read gives the roles (to tell who holds Account Admin), the
 * Account Admins (who can enable keys), the background scan, and the first part of the ledger's
 * index (each agent's current API-key state and where their record is), so a sidebar view on a
 * ledger of up to HEAD_INDEX_ENTRIES agents costs 1 read, plus 1 for the viewed agent's record.
 *
 * Layout: one sealed string per top-level attribute, each written with one atomic
 * `update(head, 'set', ...)`, so writers of different attributes never overwrite each other:
 *
 * | attribute      | value                                                    | largest     |
 * |----------------|----------------------------------------------------------|-------------|
 * | `roles`        | the account's roles, compact, and when they were read    | ROLES_MAX_BYTES (not stored beyond) |
 * | `admins`       | for which Account Admin role the list was made, complete?, when | with the A attributes: ADMINS_MAX_BYTES |
 * | `A<id base36>` | one Account Admin: name and email                        | (admins)    |
 * | `scan`         | the background scan of the agents for Account Admins     | fixed       |
 * | `overflow`     | the index continues in shards: the newest shard known    | fixed       |
 * | `i<id base36>` | one agent's index entry (store/index-entry.ts)           | ENTRY_MAX_BYTES each, HEAD_INDEX_ENTRIES of them |
 * | `people`       | when someone last used the app (a view, the console): the scan gives way | fixed |
 * | `refresh`      | when the background refresh last ran or was (re)created  | fixed       |
 * | `chains`       | when each chain of scan steps is next due, as its last run left it | fixed (64 chains at most) |
 *
 * Every part has a largest size, and together they stay inside $db's 40 KB with room for
 * concurrent writers (HEAD_MAX_BYTES; tests/server/store/head-budget.test.ts fills every part to
 * its largest and stores it). Nothing a browser sends can make a part grow past its share: the
 * index admits agents by count, each entry has a largest size, and what does not fit the roles or
 * Account Admins share is not stored (the roles are then read from Freshservice, the list says
 * it is incomplete).
 */
import { z } from 'zod';
import type { AgentId } from '../../../common/audit';
import { utf8Bytes } from '../audit/size';
import type { AppError } from '../errors';
import { agentOfAttribute, entryAgentOf, indexEntrySchema, type IndexEntry } from './index-entry';
import { SealedStore, storeFailure, type Opened } from './sealed-store';

export const HEAD = 'head';
/** $db's limit on a key and its value together. */
export const HEAD_MAX_BYTES = 40 * 1024;
export const ROLES_MAX_BYTES = 8 * 1024;
export const ADMINS_MAX_BYTES = 8 * 1024;
/** The scan and the background's marks beside it (people, refresh, chains): 3,916 bytes at their largest. */
export const BACKGROUND_MAX_BYTES = 4 * 1024;
/** Agents whose index entry lives in the head; later ones go to the index's shards (ledger/ledger-index.ts). */
export const HEAD_INDEX_ENTRIES = 100;
/**
 * Entries concurrent first changes may add beyond HEAD_INDEX_ENTRIES (each read the head before
 * the others wrote): far more than $db's 50 operations a minute let happen at once.
 */
export const CONCURRENT_ENTRIES = 10;

export const ROLES_ATTRIBUTE = 'roles';
export const ADMINS_ATTRIBUTE = 'admins';
export const OVERFLOW_ATTRIBUTE = 'overflow';
export const SCAN_ATTRIBUTE = 'scan';
const ADMIN_PREFIX = 'A';

export function adminAttribute(agentId: AgentId): string {
  return `${ADMIN_PREFIX}${agentId.toString(36)}`;
}

function adminOf(attribute: string): AgentId | null {
  return agentOfAttribute(attribute, ADMIN_PREFIX);
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

/** The index continues in shards `x:0`, `x:1`, ...: `lastShard` is the newest one known (a hint: a shard's own `next` says whether another follows). */
export const overflowSchema = z.object({ lastShard: z.number().int().nonnegative() });
export type Overflow = z.infer<typeof overflowSchema>;

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
  /** The index entries the head holds (at most HEAD_INDEX_ENTRIES, give or take CONCURRENT_ENTRIES). */
  entries: ReadonlyMap<AgentId, IndexEntry>;
  /** Set once the index continues in shards; null while every entry is in the head. */
  overflow: Overflow | null;
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

interface HeadParts {
  roles: RolesPart | null;
  scan: ScanState | null;
  marks: BackgroundMarks;
  meta: AdminsMeta | null;
  admins: StoredAccountAdmin[];
  entries: Map<AgentId, IndexEntry>;
  overflow: Overflow | null;
  tampered: string[];
}

function emptyParts(): HeadParts {
  return { roles: null, scan: null, marks: { people: null, refresh: null, chainsDue: [] }, meta: null, admins: [], entries: new Map(), overflow: null, tampered: [] };
}

type PartReader = (parts: HeadParts, name: string, stored: unknown) => boolean;

/** Each reader takes the attributes it owns and says whether this one was its and verified. */
function headReaders(store: SealedStore, key: string): PartReader[] {
  const open = <T>(name: string, stored: unknown, schema: z.ZodType<T>): Opened<T> => store.open(key, name, stored, schema);
  return [
    (parts, name, stored) => name === ROLES_ATTRIBUTE && keep(open(name, stored, rolesPartSchema), (value) => (parts.roles = value)),
    (parts, name, stored) => name === ADMINS_ATTRIBUTE && keep(open(name, stored, adminsMetaSchema), (value) => (parts.meta = value)),
    (parts, name, stored) => name === OVERFLOW_ATTRIBUTE && keep(open(name, stored, overflowSchema), (value) => (parts.overflow = value)),
    (parts, name, stored) => name === SCAN_ATTRIBUTE && keep(open(name, stored, scanStateSchema), (value) => (parts.scan = value)),
    ...markReaders(open),
    (parts, name, stored) => {
      const agentId = adminOf(name);
      return agentId !== null && keep(open(name, stored, storedAdminSchema), (value) => parts.admins.push({ id: agentId, ...value }));
    },
    (parts, name, stored) => {
      const agentId = entryAgentOf(name);
      return (
        agentId !== null &&
        keep(open(name, stored, indexEntrySchema), (value) => parts.entries.set(agentId, value))
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
  return { key, bytes, roles: parts.roles, accountAdmins, entries: parts.entries, overflow: parts.overflow, scan: parts.scan, marks: parts.marks, tampered: parts.tampered, failure };
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
