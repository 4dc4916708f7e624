import { strict as assert } from 'node:assert';
import type { LedgerEvent, StoredAction, StoredState } from '#server/ledger/schemas';
import { blankRecord, currentOf, decide as decideOn, type ChangeRequest, type Decision } from '#server/ledger/transitions';

const admin = { id: 1, name: 'Ada Admin' };
const otherAdmin = { id: 2, name: 'Otto Admin' };
const agent = { id: 3, name: 'Rita Requester' };

function change(action: StoredAction, actor = admin): ChangeRequest {
  return { action, actor, target: agent, at: '2026-01-02T00:00:00.000Z', note: action === 'requested' ? 'need the API' : null };
}

/** A newest event in `state`, reached by `lastAction`, with `undoTo` set as that action would set it. */
function versionIn(state: StoredState, lastAction: StoredAction, undoTo: StoredState | null = null, lastActor = admin): LedgerEvent {
  const record = { ...blankRecord(agent), state, canUndo: undoTo !== null, updatedAt: '2026-01-01T00:00:00.000Z', version: 4 };
  return {
    version: 4,
    record,
    undoTo,
    change: { at: '2026-01-01T00:00:00.000Z', actor: lastActor, action: lastAction, from: 'none', to: state, note: null },
  };
}

function decide(latest: LedgerEvent | null, request: ChangeRequest): Decision {
  return decideOn(currentOf(latest, request.target, latest?.version ?? 0), request);
}

function kind(decision: Decision): string {
  return decision.kind === 'changed' ? `→ ${decision.record.state}` : decision.kind;
}

describe('ledger transitions', () => {
  // Every state × action: the documented table in server/src/ledger/transitions.ts.
  const table: [string, LedgerEvent | null, StoredAction, string][] = [
    ['none (never recorded)', null, 'requested', '→ requested'],
    ['none', null, 'opened', '→ none'],
    ['none', null, 'enabled', '→ enabled'],
    ['none', null, 'declined', 'refused'],
    ['none', null, 'undo', 'refused'],
    ['requested', versionIn('requested', 'requested'), 'requested', 'unchanged'],
    ['requested', versionIn('requested', 'requested'), 'opened', '→ requested'],
    ['requested', versionIn('requested', 'requested'), 'enabled', '→ enabled'],
    ['requested', versionIn('requested', 'requested'), 'declined', '→ declined'],
    ['requested', versionIn('requested', 'requested'), 'undo', 'refused'],
    ['enabled', versionIn('enabled', 'enabled', 'requested'), 'requested', '→ requested'],
    ['enabled', versionIn('enabled', 'enabled', 'requested'), 'opened', '→ enabled'],
    ['enabled', versionIn('enabled', 'enabled', 'requested'), 'enabled', 'unchanged'],
    ['enabled', versionIn('enabled', 'enabled', 'requested'), 'declined', 'refused'],
    ['enabled', versionIn('enabled', 'enabled', 'requested'), 'undo', '→ requested'],
    ['declined', versionIn('declined', 'declined', 'requested'), 'requested', '→ requested'],
    ['declined', versionIn('declined', 'declined', 'requested'), 'opened', '→ declined'],
    ['declined', versionIn('declined', 'declined', 'requested'), 'enabled', 'refused'],
    ['declined', versionIn('declined', 'declined', 'requested'), 'declined', 'unchanged'],
    ['declined', versionIn('declined', 'declined', 'requested'), 'undo', '→ requested'],
  ];
  for (const [name, latest, action, expected] of table) {
    it(`${name} + ${action}: ${expected}`, () => {
      assert.equal(kind(decide(latest, change(action))), expected);
    });
  }

  it('a request records who asked, when and why, and starts a fresh cycle', () => {
    const decision = decide(versionIn('declined', 'declined', 'requested'), change('requested', agent));
    assert.equal(decision.kind, 'changed');
    assert.deepEqual(decision.kind === 'changed' && decision.record, {
      ...blankRecord(agent),
      state: 'requested',
      requestedBy: agent,
      requestedAt: '2026-01-02T00:00:00.000Z',
      reason: 'need the API',
      updatedAt: '2026-01-02T00:00:00.000Z',
      version: 5,
    });
  });

  it('enabling records who decided and remembers the state to undo to', () => {
    const decision = decide(versionIn('requested', 'requested'), change('enabled'));
    assert.ok(decision.kind === 'changed');
    assert.deepEqual(decision.record.decidedBy, admin);
    assert.equal(decision.record.decidedAt, '2026-01-02T00:00:00.000Z');
    assert.equal(decision.undoTo, 'requested');
    assert.equal(decision.record.canUndo, true);
  });

  it('enabling without a request undoes back to none', () => {
    const decision = decide(null, change('enabled'));
    assert.ok(decision.kind === 'changed');
    assert.equal(decision.undoTo, 'none');
  });

  it('undo returns to the previous state, clears the decision and cannot be repeated as a second undo', () => {
    const decision = decide(versionIn('enabled', 'enabled', 'requested'), change('undo'));
    assert.ok(decision.kind === 'changed');
    assert.equal(decision.record.state, 'requested');
    assert.equal(decision.record.decidedBy, null);
    assert.equal(decision.undoTo, null);
    assert.equal(decision.record.canUndo, false);
  });

  it('a second undo right after an undo is a harmless repeat', () => {
    assert.equal(kind(decide(versionIn('requested', 'undo'), change('undo'))), 'unchanged');
  });

  it('opening keeps the state and what can be undone, and records who opened and when', () => {
    const decision = decide(versionIn('enabled', 'enabled', 'requested'), change('opened', otherAdmin));
    assert.ok(decision.kind === 'changed');
    assert.equal(decision.record.state, 'enabled');
    assert.deepEqual(decision.record.openedBy, otherAdmin);
    assert.equal(decision.undoTo, 'requested');
  });

  it('the same admin opening again is a repeat; another admin opening is recorded', () => {
    const opened = versionIn('requested', 'opened', null, admin);
    assert.equal(kind(decide(opened, change('opened', admin))), 'unchanged');
    assert.equal(kind(decide(opened, change('opened', otherAdmin))), '→ requested');
  });

  it('refusals say why, naming the agent', () => {
    const decision = decide(versionIn('declined', 'declined', 'requested'), change('enabled'));
    assert.ok(decision.kind === 'refused');
    assert.match(decision.reason, /Rita Requester's request was declined: they must request the key again/);
    const nothing = decide(null, change('undo'));
    assert.ok(nothing.kind === 'refused');
    assert.match(nothing.reason, /nothing to undo/);
  });

  it('every change refreshes the agent name from the target', () => {
    const renamed = { ...change('opened'), target: { id: 3, name: 'Rita R. Renamed' } };
    const decision = decide(versionIn('requested', 'requested'), renamed);
    assert.ok(decision.kind === 'changed');
    assert.deepEqual(decision.record.agent, { id: 3, name: 'Rita R. Renamed' });
  });
});
