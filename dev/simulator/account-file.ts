import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { simAccountSchema, type SimAccount } from './schema';

/** A problem with the simulator's options or account file, written for the person running it. */
export class SimulatorSetupError extends Error {
  override readonly name = 'SimulatorSetupError';
}

/** agents[3].email rather than agents.3.email: the way a person finds it in the file. */
export function issuePath(path: readonly PropertyKey[]): string {
  const text = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
  return text === '' ? '(top level)' : text.replace(/^\./, '');
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 8).map((issue) => `  - ${issuePath(issue.path)}: ${issue.message}`);
  const more = error.issues.length > shown.length ? [`  - ...and ${error.issues.length - shown.length} more`] : [];
  return [...shown, ...more].join('\n');
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SimulatorSetupError(`Cannot read the account file ${path} (${reason}). Check the path passed with --account.`);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SimulatorSetupError(`The account file ${path} is not valid JSON (${reason}). Fix the syntax; docs/simulator.md shows the format.`);
  }
}

/** Loads and validates an account file (format in docs/simulator.md). */
export function loadAccountFile(path: string): SimAccount {
  const parsed = simAccountSchema.safeParse(parseJson(path, readText(path)));
  if (!parsed.success) {
    throw new SimulatorSetupError(`The account file ${path} does not match the account format:\n${describeIssues(parsed.error)}\nSee docs/simulator.md for the format.`);
  }
  return parsed.data;
}
