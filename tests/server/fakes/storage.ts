/**
 * The app's storage as tests reach it: one storage secret for every test installation, and
 * helpers to look at what is stored the way the server reads it (verified, parsed).
 */
import type { AgentAccess } from '#common/audit';
import { adminAttributes, fittingAdmins, removeAdmins, storedAdmin } from '#server/audit/accountAdmins';
import type { KeyValueStore } from '#server/platform';
import { readHead, writeHeadAttributes, type Head } from '#server/store/head';
import { SealedStore } from '#server/store/sealed-store';
import type { StorageSecret } from '#server/store/secret';
import { storageWith, type Storage } from '#server/store/storage';

export const TEST_STORAGE_SECRET = 'test-storage-secret-0123456789-abcdefghij';
export const TEST_SECRET: StorageSecret = { value: TEST_STORAGE_SECRET, source: 'storage_secret' };
/** The installation parameters FDK passes a test server method. */
export const TEST_IPARAMS = { freshservice_domain: 'acme', api_key: 'test-api-key-0123456789', storage_secret: TEST_STORAGE_SECRET };

/** A fresh per-call storage over `kv` (the head is read again on first use). */
export function testStorage(kv: KeyValueStore): Storage {
  return storageWith(kv, TEST_SECRET);
}

/** The head as a new call would read it now. */
export function headOf(kv: KeyValueStore): Promise<Head> {
  return readHead(new SealedStore(kv, TEST_SECRET));
}

/** The $db key of a logical name (`head`, `e:7:1`, ...) for the test installation. */
export function keyOf(logical: string): string {
  return new SealedStore({} as KeyValueStore, TEST_SECRET).keyOf(logical);
}

/** Writes head attributes (sealed, as the server writes them), e.g. a recorded Account Admins list. */
export async function seedHead(kv: KeyValueStore, attributes: Record<string, unknown>): Promise<void> {
  const store = new SealedStore(kv, TEST_SECRET);
  await store.setAttributes(store.keyOf('head'), attributes);
}

/**
 * Records a whole list of Account Admins as the background scan does when it finishes (the parts
 * of server/src/audit/accountAdmins.ts the scan and user events write with): as many as fit their
 * share (the list says complete only if all did), and those no longer in it removed.
 */
export async function recordAdmins(storage: Storage, roleId: number, admins: readonly AgentAccess[], now: number): Promise<void> {
  const head = await storage.head();
  const kept = fittingAdmins(head, storage, admins.map((admin) => storedAdmin(admin, now)));
  await writeHeadAttributes(storage.sealed, head, adminAttributes({ roleId, complete: kept.length === admins.length, recordedAt: new Date(now).toISOString() }, kept));
  const stale = (head.accountAdmins?.admins ?? []).filter((old) => !kept.some((admin) => admin.id === old.id));
  await removeAdmins(storage, head, stale.map((old) => old.id));
}
