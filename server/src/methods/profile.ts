/**
 * getProfileAccess: the profile sidebar's one server-method call per view (FDK allows 50 calls
 * a minute per installation, and the sidebar opens on every user page any agent views).
 */
import type { Platform, ServerArgs } from '../platform';
import { readPayload } from '../audit/payloads';
import { profileAccessPayloadSchema } from '../profile/payloads';
import { profileAccess } from '../profile/profileAccess';
import { respondWithin } from '../budget';
import { storageOf } from '../store/storage';

function now(): number {
  return Date.now();
}

export function getProfileAccess(args: ServerArgs, fdk: Platform): Promise<void> {
  return respondWithin('getProfileAccess', fdk, (platform) =>
    profileAccess(readPayload(profileAccessPayloadSchema, args), { request: platform.request, storage: storageOf(args, platform.store), now, schedule: platform.schedule }),
  );
}
