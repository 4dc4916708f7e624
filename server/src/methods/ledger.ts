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
  getApiKeyHistoryPayloadSchema,
  getApiKeyStatePayloadSchema,
  listApiKeyIndexPayloadSchema,
  recordApiKeyActionPayloadSchema,
  requestApiKeyPayloadSchema,
} from '../ledger/payloads';
import type { Platform, ServerArgs } from '../platform';
import { respond } from '../respond';
import { storageOf, type Storage } from '../store/storage';

export interface LedgerMethodDependencies {
  directoryFor: (platform: Platform, storage: Storage) => AgentDirectory;
  now: () => Date;
}

export type LedgerMethod = (args: ServerArgs, platform: Platform) => Promise<void>;

export interface LedgerMethods {
  requestApiKey: LedgerMethod;
  recordApiKeyAction: LedgerMethod;
  getApiKeyState: LedgerMethod;
  listApiKeyIndex: LedgerMethod;
  getApiKeyHistory: LedgerMethod;
}

export function createLedgerMethods(dependencies: LedgerMethodDependencies): LedgerMethods {
  // One Storage per call: the head is read once and shared by the directory (roles) and the ledger.
  const contextOf = (args: ServerArgs, platform: Platform): { directory: () => AgentDirectory; ledger: ApiKeyLedger } => {
    const storage = storageOf(args, platform.store);
    return { directory: () => dependencies.directoryFor(platform, storage), ledger: new ApiKeyLedger(storage, dependencies.now) };
  };
  return {
    requestApiKey: (args, platform) =>
      respond('requestApiKey', platform.reply, async () => {
        const payload = readPayload(requestApiKeyPayloadSchema, args);
        const { directory, ledger } = contextOf(args, platform);
        const requester = personOf(await requireActiveAgent(directory(), payload.actorId));
        return ledger.apply({ action: 'requested', actor: requester, target: requester, note: payload.reason });
      }),
    recordApiKeyAction: (args, platform) =>
      respond('recordApiKeyAction', platform.reply, async () => {
        const payload = readPayload(recordApiKeyActionPayloadSchema, args);
        refuseSelfAction(payload.actorId, payload.targetId);
        const { directory, ledger } = contextOf(args, platform);
        const agents = directory();
        const actor = personOf(await requireAccountAdmin(agents, payload.actorId));
        const target = personOf(await requireActiveAgent(agents, payload.targetId));
        return ledger.apply({ action: payload.action, actor, target, note: payload.note });
      }),
    getApiKeyState: (args, platform) =>
      respond('getApiKeyState', platform.reply, () => {
        const payload = readPayload(getApiKeyStatePayloadSchema, args);
        // No directory call: reading is open to every user of the app, and an unrecorded agent's name is left empty.
        return contextOf(args, platform).ledger.record({ id: payload.agentId, name: '' });
      }),
    listApiKeyIndex: (args, platform) =>
      respond('listApiKeyIndex', platform.reply, () => contextOf(args, platform).ledger.listIndex(readPayload(listApiKeyIndexPayloadSchema, args).cursor)),
    getApiKeyHistory: (args, platform) =>
      respond('getApiKeyHistory', platform.reply, () => {
        const payload = readPayload(getApiKeyHistoryPayloadSchema, args);
        return contextOf(args, platform).ledger.history(payload.agentId, payload.before);
      }),
  };
}

const methods = createLedgerMethods({ directoryFor: createAgentDirectory, now: () => new Date() });

// What server/server.js calls, one name per method FDK knows.
export const requestApiKey: LedgerMethod = methods.requestApiKey;
export const recordApiKeyAction: LedgerMethod = methods.recordApiKeyAction;
export const getApiKeyState: LedgerMethod = methods.getApiKeyState;
export const listApiKeyIndex: LedgerMethod = methods.listApiKeyIndex;
export const getApiKeyHistory: LedgerMethod = methods.getApiKeyHistory;
