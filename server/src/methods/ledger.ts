/**
 * The API-key ledger's server methods. Each validates its payload, re-reads from Freshservice
 * whoever the browser says is acting (and on whom), and lets the ledger record the change.
 * Dependencies are injected through createLedgerMethods so tests pass a fake directory and
 * clock; the exported functions are what server/server.js calls.
 */
import type { AgentDirectory } from '../directory';
import { readPayload } from '../audit/payloads';
import { createAgentDirectory } from '../freshservice/directory';
import { personOf, refuseSelfAction, requireAccountAdmin, requireActiveAgent } from '../ledger/access-rules';
import { ApiKeyLedger } from '../ledger/api-key-ledger';
import {
  getApiKeyStatePayloadSchema,
  getAuditTrailPayloadSchema,
  listApiKeyStatesPayloadSchema,
  listPendingRequestsPayloadSchema,
  recordApiKeyActionPayloadSchema,
  requestApiKeyPayloadSchema,
} from '../ledger/payloads';
import type { Platform, ServerArgs } from '../platform';
import { respond } from '../respond';

export interface LedgerMethodDependencies {
  directoryFor: (platform: Platform) => AgentDirectory;
  now: () => Date;
}

export type LedgerMethod = (args: ServerArgs, platform: Platform) => Promise<void>;

export interface LedgerMethods {
  requestApiKey: LedgerMethod;
  recordApiKeyAction: LedgerMethod;
  listPendingRequests: LedgerMethod;
  getApiKeyState: LedgerMethod;
  getAuditTrail: LedgerMethod;
  listApiKeyStates: LedgerMethod;
}

export function createLedgerMethods(dependencies: LedgerMethodDependencies): LedgerMethods {
  const ledgerFor = (platform: Platform): ApiKeyLedger => new ApiKeyLedger(platform.store, dependencies.now);
  return {
    requestApiKey: (args, platform) =>
      respond('requestApiKey', platform.reply, async () => {
        const payload = readPayload(requestApiKeyPayloadSchema, args);
        const requester = personOf(await requireActiveAgent(dependencies.directoryFor(platform), payload.actorId));
        return ledgerFor(platform).apply({ action: 'requested', actor: requester, target: requester, note: payload.reason });
      }),
    recordApiKeyAction: (args, platform) =>
      respond('recordApiKeyAction', platform.reply, async () => {
        const payload = readPayload(recordApiKeyActionPayloadSchema, args);
        refuseSelfAction(payload.actorId, payload.targetId);
        const directory = dependencies.directoryFor(platform);
        const actor = personOf(await requireAccountAdmin(directory, payload.actorId));
        const target = personOf(await requireActiveAgent(directory, payload.targetId));
        return ledgerFor(platform).apply({ action: payload.action, actor, target, note: payload.note });
      }),
    listPendingRequests: (args, platform) =>
      respond('listPendingRequests', platform.reply, () => {
        const payload = readPayload(listPendingRequestsPayloadSchema, args);
        return ledgerFor(platform).listPending(payload.cursor);
      }),
    getApiKeyState: (args, platform) =>
      respond('getApiKeyState', platform.reply, () => {
        const payload = readPayload(getApiKeyStatePayloadSchema, args);
        // No directory call: reading is open to every user of the app, and an unrecorded agent's name is left empty.
        return ledgerFor(platform).state({ id: payload.agentId, name: '' });
      }),
    getAuditTrail: (args, platform) =>
      respond('getAuditTrail', platform.reply, () => {
        const payload = readPayload(getAuditTrailPayloadSchema, args);
        return ledgerFor(platform).readTrail(payload.cursor);
      }),
    listApiKeyStates: (args, platform) =>
      respond('listApiKeyStates', platform.reply, () => {
        const payload = readPayload(listApiKeyStatesPayloadSchema, args);
        return ledgerFor(platform).listStates(payload.cursor);
      }),
  };
}

const methods = createLedgerMethods({ directoryFor: createAgentDirectory, now: () => new Date() });

export function requestApiKey(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.requestApiKey(args, platform);
}

export function recordApiKeyAction(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.recordApiKeyAction(args, platform);
}

export function listPendingRequests(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.listPendingRequests(args, platform);
}

export function getApiKeyState(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.getApiKeyState(args, platform);
}

export function getAuditTrail(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.getAuditTrail(args, platform);
}

export function listApiKeyStates(args: ServerArgs, platform: Platform): Promise<void> {
  return methods.listApiKeyStates(args, platform);
}
