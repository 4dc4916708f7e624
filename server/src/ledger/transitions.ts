/**
 * The API-key state machine, as pure functions: given an agent's latest version (or none)
 * and a change someone asks for, decide whether it changes the record, repeats what is
 * already true (answered as is, nothing recorded), or is out of order (refused, with why).
 *
 * | state \ action | requested (self)  | opened        | enabled           | declined          | undo                  |
 * |----------------|-------------------|---------------|-------------------|-------------------|-----------------------|
 * | none           | → requested       | recorded      | → enabled (1)     | refused           | refused (2)           |
 * | requested      | repeat            | recorded      | → enabled         | → declined        | refused (2)           |
 * | enabled        | → requested (3)   | recorded      | repeat            | refused (undo)    | → state before        |
 * | declined       | → requested (new) | recorded      | refused (request) | repeat            | → requested           |
 *
 * (1) Account Admins also switch keys on without being asked. (2) Nothing to undo; a repeated
 * undo right after an undo is a repeat. (3) "Still disabled? Ask again": the record says enabled,
 * the agent says the key is still off (the app cannot read the setting), so a new request starts. "recorded": the state stays, who opened the agent's
 * Permissions page and when is written down; the same admin opening it again is a repeat.
 */
import type { LedgerEvent, StoredAction, StoredChange, StoredPerson, StoredRecord, StoredState } from './schemas';

export interface ChangeRequest {
  action: StoredAction;
  actor: StoredPerson;
  target: StoredPerson;
  at: string;
  /** The reason of a request, or an admin's note. */
  note: string | null;
}

export type Decision =
  | { kind: 'unchanged' }
  | { kind: 'refused'; reason: string }
  | { kind: 'changed'; record: StoredRecord; undoTo: StoredState | null };

/** The record of an agent nobody has asked about yet. */
export function blankRecord(agent: StoredPerson): StoredRecord {
  return {
    agent,
    state: 'none',
    requestedBy: null,
    requestedAt: null,
    reason: null,
    openedBy: null,
    openedAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    canUndo: false,
    updatedAt: null,
    version: 0,
  };
}

const UNCHANGED: Decision = { kind: 'unchanged' };

function refused(reason: string): Decision {
  return { kind: 'refused', reason };
}

function changed(current: StoredRecord, change: ChangeRequest, fields: Partial<StoredRecord>, undoTo: StoredState | null): Decision {
  const record: StoredRecord = { ...current, ...fields, agent: change.target, canUndo: undoTo !== null, updatedAt: change.at, version: current.version + 1 };
  return { kind: 'changed', record, undoTo };
}

/** What a decision is made on: the agent's newest record, and what its newest event allows. */
export interface Current {
  record: StoredRecord;
  undoTo: StoredState | null;
  lastChange: StoredChange | null;
}

/** The current state of an agent whose newest event is `event` (null: nothing recorded), at `version`. */
export function currentOf(event: LedgerEvent | null, agent: StoredPerson, version: number): Current {
  if (event === null) {
    return { record: { ...blankRecord(agent), version }, undoTo: null, lastChange: null };
  }
  return { record: event.record, undoTo: event.undoTo, lastChange: event.change };
}

type Rule = (current: Current, change: ChangeRequest) => Decision;

function request(current: Current, change: ChangeRequest): Decision {
  const { state } = current.record;
  if (state === 'requested') {
    return UNCHANGED;
  }
  return changed(
    current.record,
    change,
    { state: 'requested', requestedBy: change.actor, requestedAt: change.at, reason: change.note, openedBy: null, openedAt: null, decidedBy: null, decidedAt: null, decisionNote: null },
    null,
  );
}

function open(current: Current, change: ChangeRequest): Decision {
  const last = current.lastChange;
  if (last !== null && last.action === 'opened' && last.actor.id === change.actor.id) {
    return UNCHANGED;
  }
  return changed(current.record, change, { openedBy: change.actor, openedAt: change.at }, current.undoTo);
}

function enable(current: Current, change: ChangeRequest): Decision {
  const { state } = current.record;
  if (state === 'enabled') {
    return UNCHANGED;
  }
  if (state === 'declined') {
    return refused(`${change.target.name}'s request was declined: they must request the key again (or the decline must be undone) before it can be marked enabled.`);
  }
  return changed(current.record, change, { state: 'enabled', decidedBy: change.actor, decidedAt: change.at, decisionNote: change.note }, state);
}

function decline(current: Current, change: ChangeRequest): Decision {
  const { state } = current.record;
  if (state === 'declined') {
    return UNCHANGED;
  }
  if (state === 'none') {
    return refused(`${change.target.name} has not requested an API key: there is nothing to decline.`);
  }
  if (state === 'enabled') {
    return refused(`${change.target.name}'s API key is already marked enabled: undo that first.`);
  }
  return changed(current.record, change, { state: 'declined', decidedBy: change.actor, decidedAt: change.at, decisionNote: change.note }, state);
}

function undo(current: Current, change: ChangeRequest): Decision {
  if (current.undoTo !== null) {
    return changed(current.record, change, { state: current.undoTo, decidedBy: null, decidedAt: null, decisionNote: null }, null);
  }
  if (current.lastChange?.action === 'undo') {
    return UNCHANGED;
  }
  return refused(`There is nothing to undo for ${change.target.name}: only marking a key enabled or declined can be undone, once.`);
}

const RULES: Record<StoredAction, Rule> = { requested: request, opened: open, enabled: enable, declined: decline, undo };

/** What `change` does to an agent whose current state is `current`. */
export function decide(current: Current, change: ChangeRequest): Decision {
  return RULES[change.action](current, change);
}
