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
 * A well-formed last-page cursor, as an attacker would write it, that would make a fake agent an
 * Account Admin through `roleId` and record it: only the signature can tell it from a real one.
 */
export function forgedAccountAdminCursor(roleId: number, now: number): OverviewCursor {
  const fake = {
    id: 666,
    firstName: 'Helpdesk',
    lastName: 'Security',
    name: 'Helpdesk Security',
    email: 'security@attacker.example',
    active: true,
    occasional: false,
    lastLoginAt: null,
    roles: [{ roleId, name: 'Account Admin', scope: 'entire_helpdesk', workspaceId: null }],
    isAccountAdmin: true,
    holdsAdminRole: true,
  };
  return { ...firstCursor(false, now), phase: 'active', roles: [[roleId, 'Account Admin', true, true]], accountAdmins: [fake] };
}
