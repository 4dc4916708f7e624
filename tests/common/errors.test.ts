import { strict as assert } from 'node:assert';
import { ERROR_CODES, isErrorCode } from '#common/errors';

describe('common/errors: isErrorCode', () => {
  it('accepts every code the server can send', () => {
    assert.ok(ERROR_CODES.length > 0);
    for (const code of ERROR_CODES) {
      assert.equal(isErrorCode(code), true, code);
    }
  });

  it('refuses unknown, differently cased, empty and inherited names', () => {
    for (const value of ['NOPE', 'key_invalid', 'KEY_INVALID ', '', 'toString', 'constructor', 'length']) {
      assert.equal(isErrorCode(value), false, JSON.stringify(value));
    }
  });

  it('refuses values that are not strings', () => {
    for (const value of [null, undefined, 0, 401, true, {}, ['KEY_INVALID'], { code: 'KEY_INVALID' }]) {
      assert.equal(isErrorCode(value), false, JSON.stringify(value));
    }
  });
});
