import { MemoryKeyValueStore, type KvReadings } from '../../../dev/runtime/kv-store';
import type { KeyValueStore, StoreSetOptions, StoreUpdateAction } from '#server/platform';

/**
 * `$db` as the FDK-like memory store (no rate limit), counting operations and able to fail
 * every one of them as a broken store would.
 */
export class MemoryStore implements KeyValueStore {
  readonly inner: MemoryKeyValueStore;
  operations = 0;
  failing = false;

  constructor(readings: Partial<KvReadings> = {}) {
    this.inner = new MemoryKeyValueStore({ operationsPerMinute: 0, readings });
  }

  private count(): void {
    this.operations += 1;
    if (this.failing) {
      throw Object.assign(new Error('store unavailable'), { status: 500 });
    }
  }

  set(key: string, value: Record<string, unknown>, options?: StoreSetOptions): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      return this.inner.set(key, value, options);
    });
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      return this.inner.get(key);
    });
  }

  update(key: string, action: StoreUpdateAction, attributes: Record<string, unknown>): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      return this.inner.update(key, action, attributes);
    });
  }

  delete(key: string): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      return this.inner.delete(key);
    });
  }
}
