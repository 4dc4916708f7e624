// PLACEHOLDER until the ledger issue lands: every method answers 501.
import { AppError } from '../errors';
import { respond } from '../respond';
import type { Platform, ServerArgs } from '../platform';

export function requestApiKey(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('requestApiKey', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'requestApiKey is not built yet.')));
}

export function recordApiKeyAction(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('recordApiKeyAction', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'recordApiKeyAction is not built yet.')));
}

export function listPendingRequests(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('listPendingRequests', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'listPendingRequests is not built yet.')));
}

export function getApiKeyState(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getApiKeyState', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'getApiKeyState is not built yet.')));
}

export function getAuditTrail(_args: ServerArgs, platform: Platform): Promise<void> {
  return respond('getAuditTrail', platform.reply, () => Promise.reject(new AppError(501, 'INTERNAL', 'getAuditTrail is not built yet.')));
}

