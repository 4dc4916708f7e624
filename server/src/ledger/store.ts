import type { z } from 'zod';
import { AppError } from '../errors';
import type { KeyValueStore } from '../platform';

type Attributes = Record<string, unknown>;

/** Seconds to wait after $db's 50-operations-a-minute limit is hit. */
const STORE_RETRY_SECONDS = 60;

function statusOf(rejection: unknown): number | undefined {
  const status = (rejection as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

function isNotFound(rejection: unknown): boolean {
  return statusOf(rejection) === 404;
}

/** FDK rejects a failed setIf with the message "The setIf conditional request failed". */
function isSetIfFailure(rejection: unknown): boolean {
  const message = (rejection as { message?: unknown } | null)?.message;
  return typeof message === 'string' && /setif/i.test(message);
}

/** A $db failure as an answer an admin can act on. Never includes keys' values. */
export function storeFailure(rejection: unknown): AppError {
  if (rejection instanceof AppError) {
    return rejection;
  }
  if (statusOf(rejection) === 429) {
    return new AppError(
      507,
      'STORE_UNAVAILABLE',
      "The app's storage is busy: it allows 50 operations a minute per installation. Wait a minute and try again.",
      STORE_RETRY_SECONDS,
    );
  }
  return new AppError(
    507,
    'STORE_UNAVAILABLE',
    `The app's storage did not complete the operation (status ${statusOf(rejection) ?? 'unknown'}). Try again in a minute; if it keeps failing, contact the app developer.`,
  );
}

function unreadable(key: string): AppError {
  return new AppError(507, 'STORE_UNAVAILABLE', `The ledger's stored data under "${key}" cannot be read by this version of the app. Contact the app developer.`);
}

/**
 * The few $db patterns the ledger uses, each mapping failures to STORE_UNAVAILABLE: read with a
 * schema (missing → null), claim a key once (setIf not_exist), overwrite, update attributes
 * atomically (creating the key on first use) and remove attributes.
 */
export class LedgerStore {
  constructor(private readonly kv: KeyValueStore) {}

  async read<T>(key: string, schema: z.ZodType<T>): Promise<T | null> {
    let value: unknown;
    try {
      value = await this.kv.get(key);
    } catch (rejection) {
      if (isNotFound(rejection)) {
        return null;
      }
      throw storeFailure(rejection);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw unreadable(key);
    }
    return parsed.data;
  }

  /** True when this call created the key; false when it already existed. */
  async claim(key: string, value: Attributes): Promise<boolean> {
    try {
      await this.kv.set(key, value, { setIf: 'not_exist' });
      return true;
    } catch (rejection) {
      if (isSetIfFailure(rejection)) {
        return false;
      }
      throw storeFailure(rejection);
    }
  }

  async write(key: string, value: Attributes): Promise<void> {
    try {
      await this.kv.set(key, value);
    } catch (rejection) {
      throw storeFailure(rejection);
    }
  }

  /**
   * `update(key, action, attributes)`, atomic per attribute in $db. A missing key is created
   * with `initial` (setIf not_exist), after `beforeCreating` when given; if a concurrent call
   * created it first, the update is applied to theirs.
   */
  async updateOrCreate(key: string, action: 'set' | 'increment', attributes: Attributes, initial: Attributes, beforeCreating?: () => Promise<void>): Promise<void> {
    if (await this.tryUpdate(key, action, attributes)) {
      return;
    }
    await beforeCreating?.();
    if (await this.claim(key, initial)) {
      return;
    }
    if (!(await this.tryUpdate(key, action, attributes))) {
      throw storeFailure({ status: 404 });
    }
  }

  /**
   * Removes attribute paths; a missing key has nothing to remove. FDK's documentation does not
   * say whether removing an absent attribute is an error, so a 400 is taken to mean that too:
   * every removal the ledger makes is also safe to skip when there is nothing there.
   */
  async removeAttributes(key: string, paths: string[]): Promise<void> {
    try {
      // FDK's remove action takes a list of paths, which the shared KeyValueStore type spells as attributes.
      await this.kv.update(key, 'remove', paths as unknown as Attributes);
    } catch (rejection) {
      if (!isNotFound(rejection) && statusOf(rejection) !== 400) {
        throw storeFailure(rejection);
      }
    }
  }

  private async tryUpdate(key: string, action: 'set' | 'increment', attributes: Attributes): Promise<boolean> {
    try {
      await this.kv.update(key, action, attributes);
      return true;
    } catch (rejection) {
      if (isNotFound(rejection)) {
        return false;
      }
      throw storeFailure(rejection);
    }
  }
}
