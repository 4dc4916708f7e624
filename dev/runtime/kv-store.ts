/**
 * An in-memory stand-in for FDK's key-value store (`$db`), faithful enough that code which
 * works against it works against the real one: the same operations, the same conditional
 * writes, the same limits and the same rejection shapes. The local runtime and the tests
 * both use it.
 *
 * Source of every rule below, unless it says otherwise: Freshworks' key-value store reference,
 * `freshworks-developers/freshworks-platform3`,
 * `skills/freshworks_app_dev_skill/references/runtime/keyvalue-store-docs.md` (commit
 * ec373d24eb8c07af02dfe46fa2cff27644b47da1, 2026-02-10; KV below) and its error catalogue
 * `references/errors/keyvalue-store-errors.md` (KV-ERR below).
 * - `set(key, value, { ttl, setIf })`: `ttl` in seconds, integer or float; absent or negative
 *   means forever (KV "Time to live"). `setIf: 'not_exist' | 'exist'` "throws an error" when
 *   the condition does not hold (KV "Set If"); the rejection `{ status: 400, message: "The setIf
 *   conditional request failed" }` is *assumed* from public apps that test for it.
 * - `get(key)` for a missing key rejects "Record not found" (KV-ERR record_not_found); the status
 *   404 is *assumed* (the catalogue names no status).
 * - `update(key, action, attributes)` (KV "update"): `set` adds or replaces top-level or nested
 *   (dot-path) attributes; `append` adds to top-level arrays; `increment` adds to top-level
 *   numbers; `remove` takes an array of dot paths. `increment` and `append` on a key that does
 *   not exist store the attributes object as the value ("This is similar to the Store
 *   operation"). What `set` and `remove` do on a missing key, and `remove` of an absent
 *   attribute, is NOT documented: `readings` plays each answer, and the app is tested under all.
 * - key not blank and at most 60 characters (KV "Considerations"; older material said 30:
 *   `maxKeyLength` plays it); key + value at most 40 KB; values are non-empty JSON objects;
 *   empty strings, NaN and ±Infinity are stored as null.
 * - 50 operations a minute per installation, "each set, get, and delete counting as one
 *   request" (KV); `update` is counted too (*assumed*: it is a write). The rejection's status
 *   429 is *assumed* (KV-ERR gives no shape for it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KeyValueStore, StoreSetOptions, StoreUpdateAction } from '../../server/src/platform';
import { writeJsonAtomic } from './json-file';

/** What every operation rejects with, as FDK does: a plain object, not an Error. */
export interface KvStoreError {
  status: number;
  message: string;
}

export type JsonObject = Record<string, unknown>;

export interface KvStoreOptions {
  /** Milliseconds since the epoch; inject a fake clock to test TTLs and the rate limit. */
  now?: () => number;
  /** Operations allowed per rolling minute; 0 switches the limit off. Default 50, as FDK. */
  operationsPerMinute?: number;
  /** Load this JSON file at start (when present) and rewrite it synchronously after each write. */
  file?: string;
  /**
   * Make each operation take effect, and then resolve, after a pseudo-random number of
   * macrotask turns (0..maxTurns each), the same sequence for the same seed, so that
   * concurrent operations interleave the way they do against a remote store.
   */
  interleave?: { seed: number; maxTurns?: number };
  /** Largest key + value in bytes (UTF-8). Default 40 KB. */
  maxBytes?: number;
  /** Longest key in characters. Default 60 (KV); older material said 30. */
  maxKeyLength?: number;
  /** The answers to what Freshworks does not document; defaults in KV_DEFAULT_READINGS. */
  readings?: Partial<KvReadings>;
}

/**
 * Undocumented behaviours, each with every answer the platform might give. Tests of the app run
 * under every combination (see `everyKvReading`).
 */
export interface KvReadings {
  /** `update(key, 'set', ...)` on a missing key: reject 404, or store the attributes as the value (as increment does). */
  updateSetOnMissingKey: 'reject' | 'create';
  /** `update(key, 'remove', [...])` on a missing key: reject 404, or succeed doing nothing. */
  removeOnMissingKey: 'reject' | 'ignore';
  /** `update(key, 'remove', [path])` when the attribute is absent: succeed doing nothing, or reject 400. */
  removeAbsentAttribute: 'ignore' | 'reject';
}

const KV_DEFAULT_READINGS: KvReadings = {
  updateSetOnMissingKey: 'reject',
  removeOnMissingKey: 'reject',
  removeAbsentAttribute: 'ignore',
};

/** Every combination of the undocumented readings, for tests that must hold under each. */
export function everyKvReading(): KvReadings[] {
  const readings: KvReadings[] = [];
  for (const updateSetOnMissingKey of ['reject', 'create'] as const) {
    for (const removeOnMissingKey of ['reject', 'ignore'] as const) {
      for (const removeAbsentAttribute of ['ignore', 'reject'] as const) {
        readings.push({ updateSetOnMissingKey, removeOnMissingKey, removeAbsentAttribute });
      }
    }
  }
  return readings;
}

export type KvOperation = 'get' | 'set' | 'update' | 'delete';

/** One operation as the store saw it, in call order: tests count $db operations with it. */
export interface KvOperationRecord {
  operation: KvOperation;
  key: string;
}

/** The persisted file is a boundary too: a hand-edited or truncated file fails loudly at start. */
const StoredEntrySchema = z.object({
  value: z.record(z.string(), z.unknown()),
  /** null: never expires. */
  expiresAt: z.number().nullable(),
});
const PersistedStoreSchema = z.object({ entries: z.record(z.string(), StoredEntrySchema) });

type StoredEntry = z.infer<typeof StoredEntrySchema>;
type PersistedStore = z.infer<typeof PersistedStoreSchema>;

export const KV_DEFAULTS = {
  operationsPerMinute: 50,
  maxBytes: 40 * 1024,
  maxKeyLength: 60,
  maxTurns: 3,
} as const;

const MINUTE_MS = 60_000;

export const KV_MESSAGES = {
  notFound: 'Record not found',
  setIfFailed: 'The setIf conditional request failed',
  rateLimited: 'Rate limit exceeded: the key-value store allows 50 operations per minute',
} as const;

function storeError(status: number, message: string): KvStoreError {
  return { status, message };
}

/** Type guard for the rejection shape, for callers mapping store failures. */
export function isKvStoreError(value: unknown): value is KvStoreError {
  return typeof value === 'object' && value !== null && typeof (value as KvStoreError).status === 'number' && typeof (value as KvStoreError).message === 'string';
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stores a deep copy with FDK's conversions: empty strings (and NaN/±Infinity, via JSON) become null. */
function normalise(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, inner: unknown) => (inner === '' ? null : inner));
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** mulberry32: a tiny seeded generator, enough to make interleavings reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function macrotaskTurns(turns: number): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < turns; i += 1) {
    chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  }
  return chain;
}

function splitPath(path: string): string[] {
  const parts = path.split('.');
  if (path === '' || parts.some((part) => part === '')) {
    throw storeError(400, `Invalid attribute path "${path}": use non-empty names, joined with dots for nested attributes`);
  }
  return parts;
}

function setPath(target: JsonObject, path: string, value: unknown): void {
  const parts = splitPath(path);
  const last = parts.pop() as string;
  let node = target;
  for (const part of parts) {
    const next = node[part];
    if (!isJsonObject(next)) {
      node[part] = {};
    }
    node = node[part] as JsonObject;
  }
  node[last] = value;
}

/** Removes one path; false when nothing was there to remove. */
function removePath(target: JsonObject, path: string): boolean {
  const parts = splitPath(path);
  const last = parts.pop() as string;
  let node: unknown = target;
  for (const part of parts) {
    node = isJsonObject(node) ? node[part] : undefined;
  }
  if (isJsonObject(node) && last in node) {
    delete node[last];
    return true;
  }
  return false;
}

function topLevelName(path: string, action: string): string {
  if (path.includes('.') || path === '') {
    throw storeError(400, `"${action}" works on top-level attributes only, not "${path}"`);
  }
  return path;
}

function appendTo(target: JsonObject, path: string, items: unknown): void {
  const name = topLevelName(path, 'append');
  const current = target[name] ?? [];
  if (!Array.isArray(current) || !Array.isArray(items)) {
    throw storeError(400, `"append" needs an array value and an array attribute ("${name}")`);
  }
  target[name] = [...(current as unknown[]), ...(items as unknown[])];
}

function incrementIn(target: JsonObject, path: string, by: unknown): void {
  const name = topLevelName(path, 'increment');
  const current = target[name] ?? 0;
  if (typeof current !== 'number' || typeof by !== 'number') {
    throw storeError(400, `"increment" needs a numeric value and a numeric attribute ("${name}")`);
  }
  target[name] = current + by;
}

function removalPaths(attributes: JsonObject | readonly string[]): string[] {
  return Array.isArray(attributes) ? [...(attributes as readonly string[])] : Object.keys(attributes);
}

function removeAll(target: JsonObject, attributes: JsonObject | readonly string[], readings: KvReadings): void {
  for (const path of removalPaths(attributes)) {
    if (!removePath(target, path) && readings.removeAbsentAttribute === 'reject') {
      throw storeError(400, `There is no attribute "${path}" to remove`);
    }
  }
}

/** Applies one update action to a copy of the value; throws KvStoreError on a bad request. */
function applyUpdate(value: JsonObject, action: StoreUpdateAction, attributes: JsonObject | readonly string[], readings: KvReadings): JsonObject {
  const next = copy(value);
  if (action === 'remove') {
    removeAll(next, attributes, readings);
    return next;
  }
  if (Array.isArray(attributes) || !isJsonObject(attributes)) {
    throw storeError(400, `"${action}" needs an object of attribute paths and values`);
  }
  const normalised = normalise(attributes) as JsonObject;
  const apply = { set: setPath, append: appendTo, increment: incrementIn }[action];
  if (apply === undefined) {
    throw storeError(400, `Unknown update action "${String(action)}": use set, append, increment or remove`);
  }
  Object.entries(normalised).forEach(([path, inner]) => apply(next, path, inner));
  return next;
}

/** `$db` in memory: implements the app's KeyValueStore contract with FDK's semantics. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly entries = new Map<string, StoredEntry>();
  private readonly now: () => number;
  private readonly operationsPerMinute: number;
  private readonly maxBytes: number;
  private readonly maxKeyLength: number;
  private readonly file: string | undefined;
  private readonly random: (() => number) | undefined;
  private readonly maxTurns: number;
  private readonly readings: KvReadings;
  private recentOperations: number[] = [];
  private readonly log: KvOperationRecord[] = [];

  constructor(options: KvStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.operationsPerMinute = options.operationsPerMinute ?? KV_DEFAULTS.operationsPerMinute;
    this.maxBytes = options.maxBytes ?? KV_DEFAULTS.maxBytes;
    this.maxKeyLength = options.maxKeyLength ?? KV_DEFAULTS.maxKeyLength;
    this.file = options.file;
    this.random = options.interleave === undefined ? undefined : seededRandom(options.interleave.seed);
    this.maxTurns = options.interleave?.maxTurns ?? KV_DEFAULTS.maxTurns;
    this.readings = { ...KV_DEFAULT_READINGS, ...options.readings };
    this.load();
  }

  set(key: string, value: JsonObject, options: StoreSetOptions = {}): Promise<{ Created: true }> {
    return this.operate('set', key, () => {
      this.checkValue(key, value);
      this.checkSetIf(key, options.setIf);
      const stored = normalise(value) as JsonObject;
      this.checkSize(key, stored);
      this.entries.set(key, { value: stored, expiresAt: this.expiry(options.ttl) });
      this.save();
      return { Created: true as const };
    });
  }

  get(key: string): Promise<JsonObject> {
    return this.operate('get', key, () => copy(this.live(key).value));
  }

  update(key: string, action: StoreUpdateAction, attributes: JsonObject | readonly string[]): Promise<{ Updated: true }> {
    return this.operate('update', key, () => {
      const existing = this.find(key);
      const start = existing?.value ?? this.missingForUpdate(action);
      if (start === null) {
        return { Updated: true as const };
      }
      const value = applyUpdate(start, action, attributes, this.readings);
      if (Object.keys(value).length === 0 && existing === undefined) {
        throw storeError(400, 'Attributes object cannot be empty and should be of type JSON or Array');
      }
      this.checkSize(key, value);
      this.entries.set(key, { value, expiresAt: existing?.expiresAt ?? null });
      this.save();
      return { Updated: true as const };
    });
  }

  delete(key: string): Promise<{ Deleted: true }> {
    return this.operate('delete', key, () => {
      this.live(key);
      this.entries.delete(key);
      this.save();
      return { Deleted: true as const };
    });
  }

  /** Every operation attempted so far, in call order (rate-limited ones included). */
  get operations(): readonly KvOperationRecord[] {
    return this.log;
  }

  /** Live (unexpired) keys and values: for tests and the local runtime's inspection, not for app code. */
  snapshot(): Record<string, JsonObject> {
    const result: Record<string, JsonObject> = {};
    for (const key of this.entries.keys()) {
      const entry = this.find(key);
      if (entry !== undefined) {
        result[key] = copy(entry.value);
      }
    }
    return result;
  }

  /**
   * Writes what the store holds to `file`, in the form the `file` option loads: a store filled in
   * memory (a test's seed of thousands of operations) reaches the runtime in one write.
   */
  saveTo(file: string): void {
    const persisted: PersistedStore = { entries: Object.fromEntries(this.entries) };
    writeJsonAtomic(file, persisted);
  }

  /**
   * Runs one operation the way FDK does: counted against the rate limit when called, then
   * (with interleaving) applied and answered after some other work has had its turn.
   */
  private operate<T>(operation: KvOperation, key: string, work: () => T): Promise<T> {
    this.log.push({ operation, key });
    try {
      this.checkKey(key);
      this.countOperation();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.random === undefined) {
      return new Promise<T>((resolve) => resolve(work()));
    }
    return macrotaskTurns(this.nextTurns())
      .then(work)
      .then((result) => macrotaskTurns(this.nextTurns()).then(() => result));
  }

  private nextTurns(): number {
    const random = this.random as () => number;
    return Math.floor(random() * (this.maxTurns + 1));
  }

  private countOperation(): void {
    if (this.operationsPerMinute <= 0) {
      return;
    }
    const now = this.now();
    this.recentOperations = this.recentOperations.filter((at) => now - at < MINUTE_MS);
    if (this.recentOperations.length >= this.operationsPerMinute) {
      throw storeError(429, KV_MESSAGES.rateLimited);
    }
    this.recentOperations.push(now);
  }

  private checkKey(key: unknown): void {
    if (typeof key !== 'string' || key.trim() === '') {
      throw storeError(400, 'The key must be a non-blank string');
    }
    if (key.length > this.maxKeyLength) {
      throw storeError(400, `The key "${key}" is longer than ${this.maxKeyLength} characters`);
    }
  }

  private checkValue(key: string, value: unknown): void {
    if (!isJsonObject(value) || Object.keys(value).length === 0) {
      throw storeError(400, `The value for "${key}" must be a non-empty JSON object`);
    }
  }

  private checkSize(key: string, value: JsonObject): void {
    const bytes = Buffer.byteLength(key, 'utf8') + Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > this.maxBytes) {
      // KV-ERR object_size_error: "The combined size of the key and value should not exceed 40KB".
      throw storeError(400, `The combined size of the key and value should not exceed 40KB: "${key}" would take ${bytes} bytes (the limit is ${this.maxBytes} bytes)`);
    }
  }

  private checkSetIf(key: string, setIf: StoreSetOptions['setIf']): void {
    const exists = this.find(key) !== undefined;
    if ((setIf === 'not_exist' && exists) || (setIf === 'exist' && !exists)) {
      throw storeError(400, KV_MESSAGES.setIfFailed);
    }
  }

  private expiry(ttl: number | undefined): number | null {
    return typeof ttl === 'number' && ttl > 0 ? this.now() + ttl * 1000 : null;
  }

  /** The entry, unless missing or expired (an expired one is dropped on sight). */
  private find(key: string): StoredEntry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * What an update finds when the key is missing: an empty value to apply the update to (KV:
   * increment and append store the attributes as the value; `set` by reading), null for a
   * remove that does nothing, or the 404 rejection.
   */
  private missingForUpdate(action: StoreUpdateAction): JsonObject | null {
    const creates = action === 'increment' || action === 'append' || (action === 'set' && this.readings.updateSetOnMissingKey === 'create');
    if (creates) {
      return {};
    }
    if (action === 'remove' && this.readings.removeOnMissingKey === 'ignore') {
      return null;
    }
    throw storeError(404, KV_MESSAGES.notFound);
  }

  private live(key: string): StoredEntry {
    const entry = this.find(key);
    if (entry === undefined) {
      throw storeError(404, KV_MESSAGES.notFound);
    }
    return entry;
  }

  private load(): void {
    if (this.file === undefined || !existsSync(this.file)) {
      return;
    }
    const persisted = PersistedStoreSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    for (const [key, entry] of Object.entries(persisted.entries)) {
      this.entries.set(key, entry);
    }
  }

  /** Rewrites the file, synchronously, after each write. */
  private save(): void {
    if (this.file !== undefined) {
      this.saveTo(this.file);
    }
  }
}

/** Factory form, for callers that prefer not to `new` the class. */
export function createKeyValueStore(options: KvStoreOptions = {}): MemoryKeyValueStore {
  return new MemoryKeyValueStore(options);
}
