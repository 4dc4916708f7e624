/**
 * The Freshservice API v2 simulator: a real HTTP server that answers like a Freshservice
 * account. Start it with startSimulator() (tests, the local runtime, benchmarks) or from
 * the command line (cli.ts). docs/simulator.md describes behaviour and formats.
 */
import { startSimulator, simulatorOptionsSchema, type RunningSimulator, type SimulatorOptions } from './server';
import { demoAccount, demoAccountFacts, demoKeys, type DemoAccountFacts, type DemoKey } from './demo-account';
import { accountFacts, type AccountFacts } from './facts';
import { generateAccount, MAX_GENERATED_AGENTS } from './generate';
import { loadAccountFile, SimulatorSetupError } from './account-file';
import { planLimits } from './rate-limits';
import { isAdminLevelRole, roleTypeSpellingSchema, type RoleTypeSpelling } from './role-type';
import type { SimUserEvent, UserEventListener, UserEventName } from './agent-changes';
import {
  noFaults,
  simAccountSchema,
  simAgentSchema,
  simRoleSchema,
  type FaultSettings,
  type Plan,
  type RoleAssignment,
  type SimAccount,
  type SimAgent,
  type SimRole,
} from './schema';

export {
  startSimulator,
  simulatorOptionsSchema,
  demoAccount,
  demoAccountFacts,
  demoKeys,
  accountFacts,
  generateAccount,
  MAX_GENERATED_AGENTS,
  loadAccountFile,
  SimulatorSetupError,
  planLimits,
  isAdminLevelRole,
  roleTypeSpellingSchema,
  noFaults,
  simAccountSchema,
  simAgentSchema,
  simRoleSchema,
};
export type {
  RunningSimulator,
  SimulatorOptions,
  DemoAccountFacts,
  DemoKey,
  AccountFacts,
  FaultSettings,
  Plan,
  RoleAssignment,
  RoleTypeSpelling,
  SimAccount,
  SimAgent,
  SimRole,
  SimUserEvent,
  UserEventListener,
  UserEventName,
};
