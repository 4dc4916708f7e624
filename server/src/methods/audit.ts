import { listAccountAdmins as readAccountAdmins } from '../audit/accountAdmins';
import { cursorKeyOf } from '../audit/cursor';
import { accessOverviewSlice } from '../audit/overview';
import { accessOverviewPayloadSchema, accountAdminsPayloadSchema, readPayload, userAccessPayloadSchema } from '../audit/payloads';
import { userAccess } from '../audit/userAccess';
import { respond } from '../respond';
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

export function getAccessOverview(args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getAccessOverview', platform.reply, () =>
    accessOverviewSlice(readPayload(accessOverviewPayloadSchema, args), {
      request: platform.request,
      storage: storageOf(args, platform.store),
      now,
      cursorKey: cursorKeyOf(args),
      schedule: platform.schedule,
    }),
  );
}

export function getUserAccess(args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getUserAccess', platform.reply, () =>
    userAccess(readPayload(userAccessPayloadSchema, args), { request: platform.request, storage: storageOf(args, platform.store) }),
  );
}

export function listAccountAdmins(args: ServerArgs, platform: Platform): Promise<void> {
  return respond('listAccountAdmins', platform.reply, () => {
    readPayload(accountAdminsPayloadSchema, args);
    return readAccountAdmins({ request: platform.request, storage: storageOf(args, platform.store), now });
  });
}
