import { cursorKeyOf } from '../audit/cursor';
import { accessOverviewSlice } from '../audit/overview';
import { accessOverviewPayloadSchema, readPayload, userAccessPayloadSchema } from '../audit/payloads';
import { userAccess } from '../audit/userAccess';
import { respondWithin } from '../budget';
import type { Platform, ServerArgs } from '../platform';
import { storageOf } from '../store/storage';

/**
 * The access-audit server methods, called by server/server.js with the FDK globals.
 * Only the payload keys each method declares are read; iparams reach Freshservice through
 * the request templates, except the storage secret (store/secret.ts), which keys the app's
 * storage and signs the overview's cursors (it never leaves the server).
 */

function now(): number {
  return Date.now();
}

export function getAccessOverview(args: ServerArgs, fdk: Platform): Promise<void> {
  return respondWithin('getAccessOverview', fdk, (platform) =>
    accessOverviewSlice(readPayload(accessOverviewPayloadSchema, args), {
      request: platform.request,
      storage: storageOf(args, platform.store),
      now,
      cursorKey: cursorKeyOf(args),
      schedule: platform.schedule,
    }),
  );
}

export function getUserAccess(args: ServerArgs, fdk: Platform): Promise<void> {
  return respondWithin('getUserAccess', fdk, (platform) =>
    userAccess(readPayload(userAccessPayloadSchema, args), { request: platform.request, storage: storageOf(args, platform.store) }),
  );
}
