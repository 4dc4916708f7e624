/**
 * What one server-method call (or event) uses to reach `$db`: the sealed store and the head,
 * read at most once per call however many parts of the code need it.
 */
import type { KnownRole } from '../freshservice/roles';
import type { KeyValueStore, ServerArgs } from '../platform';
import { HEAD, readHead, type Head } from './head';
import { SealedStore } from './sealed-store';
import { storageSecretOf, type StorageSecret } from './secret';

export interface Storage {
  readonly sealed: SealedStore;
  /**
   * The head, read on first use in this call and reused after (writes in this call do not
   * refresh it). Never rejects: a head the store refused reads as empty with `failure` set.
   */
  head(): Promise<Head>;
  /**
   * The head's key, and why reading it failed if this call already read it and failed (null
   * otherwise): what a cache write needs, without a read of its own.
   */
  headForWriting(): Pick<Head, 'key' | 'failure'>;
  /** Roles this call reads or already read from Freshservice (the head read before does not show them): read once per call. */
  rolesRead: Promise<KnownRole[]> | null;
}

export function storageWith(kv: KeyValueStore, secret: StorageSecret): Storage {
  const sealed = new SealedStore(kv, secret);
  let head: Promise<Head> | null = null;
  let failure: Head['failure'] = null;
  return {
    sealed,
    rolesRead: null,
    head: () =>
      (head ??= readHead(sealed).then((read) => {
        failure = read.failure;
        return read;
      })),
    headForWriting: () => ({ key: sealed.keyOf(HEAD), failure }),
  };
}

/** The storage of the installation whose parameters came with this call. */
export function storageOf(args: ServerArgs, kv: KeyValueStore): Storage {
  return storageWith(kv, storageSecretOf(args));
}
