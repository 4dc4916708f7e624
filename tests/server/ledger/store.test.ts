import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { AppError } from '../../../server/src/errors';
import { LedgerStore, storeFailure } from '../../../server/src/ledger/store';
import type { KeyValueStore } from '../../../server/src/platform';
import { memoryStore } from './fixtures';

/** A store whose every operation rejects with `rejection`. */
function failingStore(rejection: unknown): KeyValueStore {
  const fail = (): Promise<never> => Promise.reject(rejection);
  return { get: fail, set: fail, update: fail, delete: fail };
}

function isUnavailable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'STORE_UNAVAILABLE' && error.status === 507;
}

describe('LedgerStore', () => {
  it('maps every kind of $db failure to STORE_UNAVAILABLE without echoing values', async () => {
    const store = new LedgerStore(failingStore({ status: 500, message: 'internal detail' }));
    await assert.rejects(store.read('k', z.object({})), isUnavailable);
    await assert.rejects(store.claim('k', { a: 1 }), isUnavailable);
    await assert.rejects(store.write('k', { a: 1 }), isUnavailable);
    await assert.rejects(store.updateOrCreate('k', 'set', { a: 1 }, { a: 1 }), isUnavailable);
    await assert.rejects(store.removeAttributes('k', ['a']), (error: unknown) => isUnavailable(error) && !/internal detail/.test((error as Error).message));
  });

  it('says "status unknown" for a rejection without a status, and passes AppErrors through', () => {
    assert.match(storeFailure(new Error('boom')).message, /status unknown/);
    const original = new AppError(409, 'OUT_OF_ORDER', 'x');
    assert.equal(storeFailure(original), original);
  });

  it('creates a missing key on first update, and applies the update to a key created concurrently', async () => {
    const kv = memoryStore();
    const store = new LedgerStore(kv);
    await store.updateOrCreate('counter', 'increment', { n: 1 }, { n: 1 });
    await store.updateOrCreate('counter', 'increment', { n: 1 }, { n: 1 });
    assert.deepEqual(await kv.get('counter'), { n: 2 });

    // Someone else creates the key between our failed update and our claim.
    let first = true;
    const racing: KeyValueStore = {
      get: (key) => kv.get(key),
      set: (key, value, options) => kv.set(key, value, options),
      delete: (key) => kv.delete(key),
      update: async (key, action, attributes) => {
        if (first) {
          first = false;
          await kv.set(key, { n: 10 });
          return Promise.reject({ status: 404, message: 'Record not found' });
        }
        return kv.update(key, action, attributes);
      },
    };
    await new LedgerStore(racing).updateOrCreate('raced', 'increment', { n: 1 }, { n: 1 });
    assert.deepEqual(await kv.get('raced'), { n: 11 });
  });

  it('gives up with STORE_UNAVAILABLE when a key vanishes between claim and update', async () => {
    const vanishing: KeyValueStore = {
      get: () => Promise.reject({ status: 404, message: 'Record not found' }),
      set: () => Promise.reject({ status: 400, message: 'The setIf conditional request failed' }),
      update: () => Promise.reject({ status: 404, message: 'Record not found' }),
      delete: () => Promise.reject({ status: 404, message: 'Record not found' }),
    };
    await assert.rejects(new LedgerStore(vanishing).updateOrCreate('k', 'set', { a: 1 }, { a: 1 }), isUnavailable);
  });

  it('removing attributes of a missing key, or a 400 for an absent attribute, is nothing to do', async () => {
    await new LedgerStore(memoryStore()).removeAttributes('missing', ['a']);
    await new LedgerStore(failingStore({ status: 400, message: 'attribute not found' })).removeAttributes('k', ['a']);
  });
});
