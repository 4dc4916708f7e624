/**
 * Reasons and notes: free text typed by an agent, stored in the app's records and shown to
 * others. Limited by what they cost in storage, not only by their length: JSON writes a control
 * character as a 6-byte escape and most scripts outside Latin take 3 bytes a character, so a
 * limit in characters alone says little about the bytes a record takes.
 */
import { z } from 'zod';
import { LEDGER_TEXT_MAX_BYTES, LEDGER_TEXT_MAX_LENGTH } from '../../../common/ledger';
import { utf8Bytes } from '../audit/size';

/** An inclusive range of UTF-16 code units; each character refused here is one unit (below U+D800). */
type UnitRange = readonly [first: number, last: number];

/** Control characters other than tab and line feed: C0 without U+0009 and U+000A, DEL, C1. */
const CONTROL_CHARACTERS: readonly UnitRange[] = [
  [0x00, 0x08],
  [0x0b, 0x1f],
  [0x7f, 0x9f],
];

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they make
 * text display in another order than it is stored, so a note could read differently from what it
 * says (the "Trojan Source" trick). Nobody needs them in a reason.
 */
const BIDI_CONTROLS: readonly UnitRange[] = [
  [0x202a, 0x202e],
  [0x2066, 0x2069],
];

/** A UTF-16 surrogate without its other half: not text, and not valid in UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Bytes the text takes once stored (JSON, UTF-8). */
export function storedBytes(text: string): number {
  return utf8Bytes(JSON.stringify(text));
}

/**
 * Whether the text holds a character in one of the ranges. Ranges, not a regular expression:
 * FDK's lint refuses control characters in a regular expression (no-control-regex).
 */
function containsAny(text: string, ranges: readonly UnitRange[]): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (ranges.some(([first, last]) => unit >= first && unit <= last)) {
      return true;
    }
  }
  return false;
}

function normalised(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

function textRule(what: string) {
  return z
    .string()
    .transform(normalised)
    .refine((text) => !LONE_SURROGATE.test(text), `the ${what} contains a broken character (half of an emoji or symbol): type it again`)
    .refine((text) => !containsAny(text, CONTROL_CHARACTERS), `the ${what} contains a control character (not a letter, digit, punctuation, line break or tab): remove it`)
    .refine((text) => !containsAny(text, BIDI_CONTROLS), `the ${what} contains an invisible character that reorders text (a bidirectional control, such as U+202E): remove it`)
    .refine((text) => [...text].length <= LEDGER_TEXT_MAX_LENGTH, `the ${what} is longer than ${LEDGER_TEXT_MAX_LENGTH} characters: shorten it`)
    .refine((text) => storedBytes(text) <= LEDGER_TEXT_MAX_BYTES, `the ${what} takes more than ${LEDGER_TEXT_MAX_BYTES} bytes to store (letters outside the Latin alphabet take up to 3 bytes each): shorten it`);
}

/** A request's reason: required. */
export const reasonSchema = textRule('reason').refine((text) => text.length > 0, 'give a reason: the Account Admins decide with it');

/** An admin's note: optional; empty means none. */
export const noteSchema = textRule('note')
  .nullish()
  .transform((note) => (note ? note : null));
