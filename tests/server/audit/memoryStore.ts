import type { KeyValueStore, StoreSetOptions, StoreUpdateAction } from '../../../server/src/platform';

/** An in-memory `$db` that counts operations (the platform allows 50 a minute) and can be told to fail. */
export class MemoryStore implements KeyValueStore {
  readonly values = new Map<string, Record<string, unknown>>();
  readonly ttls = new Map<string, number | undefined>();
  operations = 0;
  failing = false;

  private count(): void {
    this.operations += 1;
    if (this.failing) {
      throw Object.assign(new Error('store unavailable'), { status: 500 });
    }
  }

  set(key: string, value: Record<string, unknown>, options?: StoreSetOptions): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      this.values.set(key, structuredClone(value));
      this.ttls.set(key, options?.ttl);
      return { Created: true };
    });
  }

  get(key: string): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      const value = this.values.get(key);
      if (!value) {
        throw { status: 404, message: 'Record not found' };
      }
      return structuredClone(value);
    });
  }

  update(key: string, action: StoreUpdateAction, attributes: Record<string, unknown>): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      const current = this.values.get(key) ?? {};
      this.values.set(key, action === 'set' ? { ...current, ...attributes } : current);
      return { Updated: true };
    });
  }

  delete(key: string): Promise<unknown> {
    return Promise.resolve().then(() => {
      this.count();
      this.values.delete(key);
      return { Deleted: true };
    });
  }
}
