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
import { respondWithin } from '../budget';
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
    requestApiKey: (args, fdk) =>
      respondWithin('requestApiKey', fdk, async (platform) => {
        const payload = readPayload(requestApiKeyPayloadSchema, args);
        const { directory, ledger } = contextOf(args, platform);
        const agent = await requireActiveAgent(directory(), { id: payload.actorId, email: payload.actorEmail });
        const requester = personOf(agent);
        const record = await ledger.apply({ action: 'requested', actor: requester, target: requester, targetEmail: agent.email, note: payload.reason });
        logChange('requestApiKey', 'requested', requester.id, requester.id, record.version, dependencies.now());
        return record;
      }),
    recordApiKeyAction: (args, fdk) =>
      respondWithin('recordApiKeyAction', fdk, async (platform) => {
        const payload = readPayload(recordApiKeyActionPayloadSchema, args);
        refuseSelfAction(payload.actorId, payload.targetId);
        const { directory, ledger } = contextOf(args, platform);
        const agents = directory();
        const actor = personOf(await requireAccountAdmin(agents, { id: payload.actorId, email: payload.actorEmail }));
        const targetAgent = await requireActiveAgent(agents, { id: payload.targetId, email: payload.targetEmail });
        const record = await ledger.apply({ action: payload.action, actor, target: personOf(targetAgent), targetEmail: targetAgent.email, note: payload.note });
        logChange('recordApiKeyAction', payload.action, actor.id, targetAgent.id, record.version, dependencies.now());
        return record;
      }),
    getApiKeyState: (args, fdk) =>
      respondWithin('getApiKeyState', fdk, (platform) => {
        const payload = readPayload(getApiKeyStatePayloadSchema, args);
        // No directory call: reading is open to every user of the app, and an unrecorded agent's name is left empty.
        return contextOf(args, platform).ledger.record({ id: payload.agentId, name: '' });
      }),
    listApiKeyIndex: (args, fdk) =>
      respondWithin('listApiKeyIndex', fdk, (platform) => contextOf(args, platform).ledger.listIndex(readPayload(listApiKeyIndexPayloadSchema, args).cursor)),
    getApiKeyHistory: (args, fdk) =>
      respondWithin('getApiKeyHistory', fdk, (platform) => {
        const payload = readPayload(getApiKeyHistoryPayloadSchema, args);
        return contextOf(args, platform).ledger.history(payload.agentId, payload.before);
      }),
  };
}

/**
 * One log line per change, so a change made in someone else's name can be investigated: the
 * method, the action, who the browser said acted (the app cannot prove it), on whom, the record
 * version and when. Never the reason or note, nor anything else the browser sent.
 */
function logChange(method: string, action: string, claimedActorId: number, targetId: number, version: number, at: Date): void {
  console.info(`${method}: ${action} as agent ${claimedActorId} (claimed by the browser) on agent ${targetId}: record version ${version}, ${at.toISOString()}`);
}

const methods = createLedgerMethods({ directoryFor: createAgentDirectory, now: () => new Date() });

// What server/server.js calls, one name per method FDK knows.
export const requestApiKey: LedgerMethod = methods.requestApiKey;
export const recordApiKeyAction: LedgerMethod = methods.recordApiKeyAction;
export const getApiKeyState: LedgerMethod = methods.getApiKeyState;
export const listApiKeyIndex: LedgerMethod = methods.listApiKeyIndex;
export const getApiKeyHistory: LedgerMethod = methods.getApiKeyHistory;
