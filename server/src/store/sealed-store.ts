/**
 * The app's only way into `$db`. FDK's key-value store is per installation and shared with the
 * front end: `client.db` in any app page reads and writes the same keys as `$db` (Freshworks'
 * key-value store reference, freshworks-platform3 `references/runtime/keyvalue-store-docs.md`:
 * "Data is stored on a per account AND per app basis"; the same operations exist as
 * `client.db.*`). Any agent who can open the app can therefore call `client.db` with any key.
 *
 * So nothing here is findable or forgeable without the server-only storage secret:
 * - **Key names** are HMAC-SHA256(secret, logical name), 24 base64url characters behind one
 *   letter (25 characters: inside both the 30 and the 60 character limits). `$db` cannot list
 *   keys, so a browser cannot find them.
 * - **Every stored value** is sealed: `<MAC><JSON>` where the MAC (22 base64url characters, 132
 *   bits) covers the key name, the attribute name and the JSON text exactly. A value is kept as
 *   a string, so whatever order the store keeps object members in, the sealed text reads back
 *   byte for byte. A value that fails verification is never used: it reads as `tampered`.
 *
 * Whole values are stored as `{ v: <sealed> }`; values updated attribute by attribute (the head
 * key) have one sealed string per top-level attribute, each changed with one atomic
 * `update(key, 'set', ...)`.
 */
import type { z } from 'zod';
import { utf8Bytes } from '../audit/size';
import { AppError, statusOf } from '../errors';
import type { KeyValueStore } from '../platform';
import { hmacBase64url, sameText } from './mac';
import type { StorageSecret } from './secret';

/** The attribute a whole value lives under. */
export const WHOLE_VALUE = 'v';
/** MAC length in base64url characters (132 bits). */
const MAC_CHARS = 22;
/** Key names: one letter and 24 base64url characters of the HMAC (144 bits). */
const KEY_HASH_CHARS = 24;

/** What reading a sealed value gives: the value, or why it cannot be used. */
export type Opened<T> = { kind: 'ok'; value: T } | { kind: 'tampered' };

/** Seconds to wait after $db's 50-operations-a-minute limit is hit. */
export const STORE_RETRY_SECONDS = 60;

function messageOf(rejection: unknown): string {
  const message = (rejection as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/** A missing key. The status is *assumed* to be 404 (KV-ERR record_not_found names no status). */
export function isNotFound(rejection: unknown): boolean {
  return statusOf(rejection) === 404;
}

/**
 * A failed `setIf`: "The setIf conditional request failed" with status 400, as public apps test
 * for it (*assumed*: Freshworks' reference only says the call "throws an error").
 */
export function isSetIfFailure(rejection: unknown): boolean {
  return /setif|conditional/i.test(messageOf(rejection));
}

/** KV-ERR object_size_error: "The combined size of the key and value should not exceed 40KB". */
export function isTooLarge(rejection: unknown): boolean {
  return statusOf(rejection) === 400 && /size|40 ?KB|exceed/i.test(messageOf(rejection));
}

/**
 * A $db failure as an answer an admin can act on. Status 507 (not 503) so that the widget can
 * tell the app's own storage from Freshservice even when the platform forwards only the
 * status and the message. Never includes a key or a value.
 */
export function storeFailure(rejection: unknown): AppError {
  if (rejection instanceof AppError) {
    return rejection;
  }
  if (statusOf(rejection) === 429) {
    return new AppError(
      507,
      'STORE_UNAVAILABLE',
      "The app's own storage is busy: it allows 50 operations a minute per installation. Wait a minute and try again.",
      STORE_RETRY_SECONDS,
    );
  }
  return new AppError(
    507,
    'STORE_UNAVAILABLE',
    `The app's own storage did not complete the operation (status ${statusOf(rejection) ?? 'unknown'}). Try again in a minute; if it keeps failing, contact the app developer.`,
  );
}

export class SealedStore {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly secret: StorageSecret,
  ) {}

  /** The $db key of a logical name (`head`, `e:123:4`, ...): unguessable without the secret. */
  keyOf(logical: string): string {
    return `k${hmacBase64url(this.secret.value, `key\n${logical}`).slice(0, KEY_HASH_CHARS)}`;
  }

  seal(key: string, attribute: string, value: unknown): string {
    const json = JSON.stringify(value);
    return `${this.macOf(key, attribute, json)}${json}`;
  }

  /** A sealed string's value, checked against its MAC and then its schema. */
  open<T>(key: string, attribute: string, stored: unknown, schema: z.ZodType<T>): Opened<T> {
    if (typeof stored !== 'string' || stored.length <= MAC_CHARS) {
      return { kind: 'tampered' };
    }
    const json = stored.slice(MAC_CHARS);
    if (!sameText(this.macOf(key, attribute, json), stored.slice(0, MAC_CHARS))) {
      return { kind: 'tampered' };
    }
    const parsed = schema.safeParse(parseJson(json));
    return parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'tampered' };
  }

  /** The raw attributes of a key (each still sealed), or null when the key does not exist. */
  async getAttributes(key: string): Promise<Record<string, unknown> | null> {
    try {
      const value: unknown = await this.kv.get(key);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    } catch (rejection) {
      if (isNotFound(rejection)) {
        return null;
      }
      throw storeFailure(rejection);
    }
  }

  /** A whole value: null when the key does not exist. */
  async getWhole<T>(key: string, schema: z.ZodType<T>): Promise<Opened<T> | null> {
    const attributes = await this.getAttributes(key);
    return attributes === null ? null : this.open(key, WHOLE_VALUE, attributes[WHOLE_VALUE], schema);
  }

  /** Creates a key that must not exist yet (setIf not_exist): true when this call created it. */
  async claim(key: string, value: unknown): Promise<boolean> {
    try {
      await this.kv.set(key, { [WHOLE_VALUE]: this.seal(key, WHOLE_VALUE, value) }, { setIf: 'not_exist' });
      return true;
    } catch (rejection) {
      if (isSetIfFailure(rejection)) {
        return false;
      }
      throw storeFailure(rejection);
    }
  }

  /**
   * Sets top-level attributes (each sealed) with one atomic update. What `update(..., 'set')`
   * does on a missing key is not documented, so both answers are handled: it creates the key,
   * or it rejects 404 and the key is created with setIf not_exist (a concurrent creator wins
   * that race, and the update is applied to its key). A failure to store is thrown as is (with
   * its status) for callers that react to a full key; `storeFailure` maps it for answers.
   */
  async setAttributes(key: string, attributes: Record<string, unknown>): Promise<void> {
    if (Object.keys(attributes).some((name) => name.includes('.'))) {
      // update's set reads a dot as a path into a nested attribute, so the name would not be kept as written.
      throw new AppError(500, 'INTERNAL', 'The app tried to store an attribute whose name has a dot. Contact the app developer.');
    }
    const sealed = this.sealAll(key, attributes);
    try {
      await this.kv.update(key, 'set', sealed);
    } catch (rejection) {
      if (!isNotFound(rejection)) {
        throw rejection;
      }
      await this.createWith(key, sealed);
    }
  }

  /**
   * Removes top-level attributes. Whether `remove` rejects on a missing key or an absent
   * attribute is not documented: both mean there is nothing left to remove, so both are success.
   */
  async removeAttributes(key: string, attributes: string[]): Promise<void> {
    if (attributes.length === 0) {
      return;
    }
    try {
      // FDK's remove action takes a list of paths, which the shared KeyValueStore type spells as attributes.
      await this.kv.update(key, 'remove', attributes as unknown as Record<string, unknown>);
    } catch (rejection) {
      if (!isNotFound(rejection) && statusOf(rejection) !== 400) {
        throw storeFailure(rejection);
      }
    }
  }

  private async createWith(key: string, sealed: Record<string, string>): Promise<void> {
    try {
      await this.kv.set(key, sealed, { setIf: 'not_exist' });
    } catch (rejection) {
      if (!isSetIfFailure(rejection)) {
        throw rejection;
      }
      await this.kv.update(key, 'set', sealed);
    }
  }

  private sealAll(key: string, attributes: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, this.seal(key, name, value)]));
  }

  private macOf(key: string, attribute: string, json: string): string {
    return hmacBase64url(this.secret.value, `val\n${key}\n${attribute}\n${json}`).slice(0, MAC_CHARS);
  }
}

/** Bytes one stored attribute takes in its key's JSON (name, value, quotes and separators): what counts against $db's 40 KB. */
export function attributeBytes(name: string, sealed: string): number {
  return utf8Bytes(JSON.stringify(name)) + utf8Bytes(JSON.stringify(sealed)) + 2;
}

/** The same for `value` once sealed (the MAC has a fixed length, so no secret is needed to measure). */
export function sealedAttributeBytes(name: string, value: unknown): number {
  return attributeBytes(name, 'M'.repeat(MAC_CHARS) + JSON.stringify(value));
}

/** JSON text's value; undefined when it is not JSON. */
export function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
