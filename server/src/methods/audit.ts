// PLACEHOLDER until the audit issue lands: every method answers 501.
import { AppError } from '../errors';
import { respond } from '../respond';
import type { Platform, ServerArgs } from '../platform';

export function getAccessOverview(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getAccessOverview', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'getAccessOverview is not built yet.')));
}

export function getUserAccess(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getUserAccess', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'getUserAccess is not built yet.')));
}

export function listAccountAdmins(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('listAccountAdmins', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'listAccountAdmins is not built yet.')));
}

