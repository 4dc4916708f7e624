/**
 * The one server-only secret the app's storage is keyed and authenticated with. FDK hands every
 * server method and event all installation parameters, secure ones included, while the browser
 * never receives a secure one (Freshworks' installation-page docs: "Secure iparams can only be
 * retrieved through the Request method"; platform-notes.md section 4). So only a secure iparam
 * can hold a secret the browser cannot learn.
 *
 * Preferred: `storage_secret`, a random value the installation page creates once and hides; an
 * admin who later changes the API key leaves it as it is, so the ledger survives key rotation.
 * Fallback: the secure `api_key` itself, when the installation has no storage secret (installed
 * before it existed, or on a platform that did not keep it); then a new API key starts a new,
 * empty ledger (the old one stays stored and comes back if the old key is restored).
 */
import { z } from 'zod';
import { AppError } from '../errors';
import type { ServerArgs } from '../platform';

/** Shortest storage secret accepted: the installation page creates 43 characters (256 bits). */
export const MIN_STORAGE_SECRET_LENGTH = 32;

export type StorageSecretSource = 'storage_secret' | 'api_key';

export interface StorageSecret {
  readonly value: string;
  readonly source: StorageSecretSource;
}

const iparamsSchema = z.object({
  iparams: z.object({
    storage_secret: z.string().trim().min(MIN_STORAGE_SECRET_LENGTH).optional().catch(undefined),
    api_key: z.string().trim().min(1).optional().catch(undefined),
  }),
});

function missingSettings(): AppError {
  return new AppError(500, 'INTERNAL', 'The app settings have no API key, so the app cannot run. Enter the API key in the app settings.');
}

/** The storage secret from the installation parameters FDK passed with this call. */
export function storageSecretOf(args: ServerArgs): StorageSecret {
  const parsed = iparamsSchema.safeParse(args);
  const iparams = parsed.success ? parsed.data.iparams : {};
  if (iparams.storage_secret !== undefined) {
    return { value: iparams.storage_secret, source: 'storage_secret' };
  }
  if (iparams.api_key !== undefined) {
    return { value: iparams.api_key, source: 'api_key' };
  }
  throw missingSettings();
}
