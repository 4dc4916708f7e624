import { strict as assert } from 'node:assert';
import { firstCursor, type OverviewCursor } from '#server/audit/cursor';
import { AppError } from '#server/errors';

/** The AppError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected a rejection');
}

/**
 * A well-formed cursor, as an attacker would write it, whose roles make anyone holding `roleId`
 * an Account Admin in what the overview reports: only the signature can tell it from a real one.
 */
export function forgedAccountAdminCursor(roleId: number, now: number): OverviewCursor {
  return { ...firstCursor(false, now), phase: 'active', roles: [[roleId, 'Account Admin', true, true]] };
}
