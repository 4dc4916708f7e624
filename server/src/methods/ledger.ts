/**
 * The API-key ledger's server methods. Each validates its payload, re-reads from Freshservice
 * whoever the browser says is acting (and on whom), and lets the ledger record the change.
 * Dependencies are injected through createLedgerMethods so tests pass a fake directory and
 * clock; the exported functions are what server/server.js calls.
 */
import type { z } from 'zod';
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
  // A listing only reads the ledger from the payload's cursor: no one to re-read in Freshservice.
  const listing =
    <Cursor>(methodName: string, schema: z.ZodType<{ cursor: Cursor }>, readPage: (ledger: ApiKeyLedger, cursor: Cursor) => Promise<unknown>): LedgerMethod =>
    (args, platform) =>
      respond(methodName, platform.reply, () => {
        const payload = readPayload(schema, args);
        return readPage(ledgerFor(platform), payload.cursor);
      });
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
    listPendingRequests: listing('listPendingRequests', listPendingRequestsPayloadSchema, (ledger, cursor) => ledger.listPending(cursor)),
    getApiKeyState: (args, platform) =>
      respond('getApiKeyState', platform.reply, () => {
        const payload = readPayload(getApiKeyStatePayloadSchema, args);
        // No directory call: reading is open to every user of the app, and an unrecorded agent's name is left empty.
        return ledgerFor(platform).state({ id: payload.agentId, name: '' });
      }),
    getAuditTrail: listing('getAuditTrail', getAuditTrailPayloadSchema, (ledger, cursor) => ledger.readTrail(cursor)),
    listApiKeyStates: listing('listApiKeyStates', listApiKeyStatesPayloadSchema, (ledger, cursor) => ledger.listStates(cursor)),
  };
}

const methods = createLedgerMethods({ directoryFor: createAgentDirectory, now: () => new Date() });

// What server/server.js calls, one name per method FDK knows.
export const requestApiKey: LedgerMethod = methods.requestApiKey;
export const recordApiKeyAction: LedgerMethod = methods.recordApiKeyAction;
export const listPendingRequests: LedgerMethod = methods.listPendingRequests;
export const getApiKeyState: LedgerMethod = methods.getApiKeyState;
export const getAuditTrail: LedgerMethod = methods.getAuditTrail;
export const listApiKeyStates: LedgerMethod = methods.listApiKeyStates;
