import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { AppError } from '#server/errors';
import { base64url } from '#server/store/mac';
import { SealedStore, isSetIfFailure, isTooLarge, storeFailure } from '#server/store/sealed-store';
import { storageSecretOf } from '#server/store/secret';
import { TEST_SECRET } from '../fakes/storage';

const VALUE = z.object({ n: z.number() });

describe('the storage secret', () => {
  it('is the storage_secret parameter when it has at least 32 characters', () => {
    assert.deepEqual(storageSecretOf({ iparams: { storage_secret: 's'.repeat(32), api_key: 'k' } }), { value: 's'.repeat(32), source: 'storage_secret' });
  });

  it('falls back to the API key when the storage secret is missing, short or not text', () => {
    for (const storage_secret of [undefined, '', 'short', 42]) {
      assert.deepEqual(storageSecretOf({ iparams: { storage_secret, api_key: 'the-key' } }), { value: 'the-key', source: 'api_key' });
    }
  });

  it('refuses to run without either, saying what to do', () => {
    assert.throws(() => storageSecretOf({ iparams: {} }), (error: unknown) => error instanceof AppError && /Enter the API key/.test(error.message));
    assert.throws(() => storageSecretOf({}), AppError);
  });
});

describe('SealedStore', () => {
  const sealed = new SealedStore(new MemoryKeyValueStore({ operationsPerMinute: 0 }), TEST_SECRET);

  it('names keys with 24 characters of HMAC behind one letter: the same for the same name and secret, never readable', () => {
    const key = sealed.keyOf('head');
    assert.match(key, /^k[A-Za-z0-9_-]{24}$/);
    assert.equal(sealed.keyOf('head'), key);
    assert.notEqual(sealed.keyOf('e:7:1'), key);
    assert.notEqual(new SealedStore({} as never, { value: 'another-secret-of-at-least-32-chars!', source: 'storage_secret' }).keyOf('head'), key);
  });

  it('opens what it sealed, and refuses a value moved to another key or attribute, edited, or not sealed at all', () => {
    const stored = sealed.seal('kA', 'roles', { n: 1 });
    assert.deepEqual(sealed.open('kA', 'roles', stored, VALUE), { kind: 'ok', value: { n: 1 } });
    assert.equal(sealed.open('kB', 'roles', stored, VALUE).kind, 'tampered');
    assert.equal(sealed.open('kA', 'admins', stored, VALUE).kind, 'tampered');
    assert.equal(sealed.open('kA', 'roles', stored.replace('1', '2'), VALUE).kind, 'tampered');
    assert.equal(sealed.open('kA', 'roles', { n: 1 }, VALUE).kind, 'tampered');
    assert.equal(sealed.open('kA', 'roles', 'short', VALUE).kind, 'tampered');
    assert.equal(sealed.open('kA', 'roles', sealed.seal('kA', 'roles', { n: 'one' }), VALUE).kind, 'tampered', 'a sealed value that fails its schema is not used either');
  });

  it('claims a key once: the second claim answers false', async () => {
    const store = new SealedStore(new MemoryKeyValueStore({ operationsPerMinute: 0 }), TEST_SECRET);
    assert.equal(await store.claim('kX', { n: 1 }), true);
    assert.equal(await store.claim('kX', { n: 2 }), false);
    assert.deepEqual(await store.getWhole('kX', VALUE), { kind: 'ok', value: { n: 1 } });
    assert.equal(await store.getWhole('kY', VALUE), null);
  });

  it('recognises the store\'s answers: setIf failure, too large, rate limit (507 with a retry time), anything else (507)', () => {
    assert.equal(isSetIfFailure({ status: 400, message: 'The setIf conditional request failed' }), true);
    assert.equal(isTooLarge({ status: 400, message: 'The combined size of the key and value should not exceed 40KB' }), true);
    assert.equal(isTooLarge({ status: 400, message: 'The setIf conditional request failed' }), false);
    assert.deepEqual([storeFailure({ status: 429 }).status, storeFailure({ status: 429 }).retryAfterSeconds], [507, 60]);
    assert.match(storeFailure({ status: 502 }).message, /status 502/);
    assert.match(storeFailure('?').message, /status unknown/);
  });

  it('encodes base64url without padding', () => {
    assert.equal(base64url([0xfb, 0xff]), '-_8');
    assert.equal(base64url([104, 105]), 'aGk');
    assert.equal(base64url([]), '');
  });
});
