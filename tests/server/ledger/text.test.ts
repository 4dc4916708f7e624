import { strict as assert } from 'node:assert';
import { noteSchema, reasonSchema } from '#server/ledger/text';

/** The message a refused reason gets, or null when it is accepted. */
function refusalOf(reason: string): string | null {
  const parsed = reasonSchema.safeParse(reason);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? '');
}

function hex(unit: number): string {
  return `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

describe('ledger text: control characters', () => {
  // The edges of each refused range (C0 less tab and line feed, DEL, C1) and the characters just outside them.
  for (const unit of [0x00, 0x08, 0x0b, 0x0c, 0x1f, 0x7f, 0x9f]) {
    it(`refuses ${hex(unit)} inside a reason, saying it is a control character`, () => {
      assert.match(refusalOf(`needs ${String.fromCharCode(unit)} it`) ?? 'accepted', /control character/);
    });
  }

  for (const unit of [0x09, 0x0a, 0x20, 0x7e, 0xa0]) {
    it(`accepts ${hex(unit)} inside a reason`, () => {
      assert.equal(refusalOf(`needs ${String.fromCharCode(unit)} it`), null);
    });
  }

  it('accepts a carriage return, which becomes a line feed', () => {
    assert.deepEqual(reasonSchema.safeParse('first\r\nsecond\rthird').data, 'first\nsecond\nthird');
  });

  it('accepts text outside the Basic Multilingual Plane, whose code units are no control characters', () => {
    assert.equal(refusalOf('needs it 🔑 for provisioning'), null);
  });

  it('refuses a control character in a note too', () => {
    assert.equal(noteSchema.safeParse('bell\u0007').success, false);
    assert.equal(noteSchema.safeParse('two\tcolumns').data, 'two\tcolumns');
  });
});
