import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { AppError } from '#server/errors';
import { MAX_CURSOR_AGE_MS, cursorKeyOf, decodeCursor, encodeCursor, firstCursor, type OverviewCursor } from '#server/audit/cursor';
import { ROLE_IDS } from '../freshservice/fixtures';
import { forgedAccountAdminCursor } from './refusals';
import { TEST_CURSOR_KEY } from './run';

const NOW = Date.UTC(2026, 10, 26, 6, 0, 0);
const API_KEY = 'test-api-key-0123456789';

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected the cursor to be refused');
}

function assertRefused(text: string, now = NOW): void {
  const error = refusal(() => decodeCursor(text, TEST_CURSOR_KEY, now));
  assert.equal(error.status, 400);
  assert.equal(error.code, 'INVALID_PAYLOAD');
  assert.match(error.message, /"cursor"/);
  assert.match(error.message, /Start the overview again/);
}

/** A well-formed cursor at the end of an overview that would record a fake Account Admin. */
function poisonedCursor(): OverviewCursor {
  return forgedAccountAdminCursor(ROLE_IDS.accountAdmin, NOW);
}

describe('overview cursor signing', () => {
  it('a cursor it issued comes back as it was', () => {
    const cursor = poisonedCursor();
    assert.deepEqual(decodeCursor(encodeCursor(cursor, TEST_CURSOR_KEY), TEST_CURSOR_KEY, NOW + 1_000), cursor);
  });

  it("signs with HMAC-SHA256 keyed by 'cursor:v1:' + the api_key iparam (checked against Node's crypto)", () => {
    const text = encodeCursor(firstCursor(true, NOW), cursorKeyOf({ iparams: { api_key: API_KEY, freshservice_domain: 'acme' } }));
    const [mac, ...rest] = text.split('.');
    const body = rest.join('.');
    assert.equal(mac, createHmac('sha256', `cursor:v1:${API_KEY}`).update(body).digest('hex'));
    assert.notEqual(mac, createHmac('sha256', API_KEY).update(body).digest('hex'), 'domain-separated from the bare key');
    assert.doesNotMatch(text, new RegExp(API_KEY), 'the key never travels in the cursor');
  });

  it('refuses a forged cursor of valid shape: no signature, a made-up one, or the old unsigned format', () => {
    const body = JSON.stringify(poisonedCursor());
    assertRefused(body);
    assertRefused(`${'0'.repeat(64)}.${body}`);
    assertRefused(`${createHmac('sha256', 'guess').update(body).digest('hex')}.${body}`);
    assertRefused(JSON.stringify({ ...poisonedCursor(), version: 1 }));
  });

  it('refuses a tampered signature, and a tampered body under the original signature', () => {
    const text = encodeCursor(firstCursor(false, NOW), TEST_CURSOR_KEY);
    const flipped = `${text[0] === 'a' ? 'b' : 'a'}${text.slice(1)}`;
    assertRefused(flipped);
    assertRefused(text.toUpperCase().slice(0, 64) + text.slice(64));
    assertRefused(text.slice(1));
    const mac = text.slice(0, text.indexOf('.'));
    assertRefused(`${mac}.${JSON.stringify(poisonedCursor())}`);
    assertRefused(text.replace('"includeDeactivated":false', '"includeDeactivated":true'));
  });

  it('refuses a cursor signed with another key (another installation, or the api_key changed)', () => {
    const other = cursorKeyOf({ iparams: { api_key: 'another-installations-key' } });
    assertRefused(encodeCursor(firstCursor(false, NOW), other));
  });

  it(`accepts a cursor up to ${MAX_CURSOR_AGE_MS / 60_000} minutes after it was issued, and refuses it after`, () => {
    const text = encodeCursor(firstCursor(false, NOW), TEST_CURSOR_KEY);
    assert.equal(decodeCursor(text, TEST_CURSOR_KEY, NOW + MAX_CURSOR_AGE_MS).issuedAt, NOW);
    assertRefused(text, NOW + MAX_CURSOR_AGE_MS + 1);
  });

  it('refuses a cursor dated in the future beyond clock skew', () => {
    const text = encodeCursor({ ...firstCursor(false, NOW), issuedAt: NOW + 10 * 60_000 }, TEST_CURSOR_KEY);
    assertRefused(text);
  });

  it('refuses to sign anything without the api_key iparam, never echoing the iparams', () => {
    for (const args of [{}, { iparams: {} }, { iparams: { api_key: '' } }, { iparams: { api_key: 42, freshservice_domain: 'acme' } }]) {
      const error = refusal(() => cursorKeyOf(args));
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /API key in the app settings/);
      assert.doesNotMatch(error.message, /acme|42/);
    }
  });

  it("js-sha256 computes the same HMAC in a context without process or Buffer (FDK's sandbox) as Node's crypto", () => {
    const source = readFileSync(require.resolve('js-sha256'), 'utf8');
    const sandbox = { module: { exports: {} as { sha256?: { hmac: (key: string, message: string) => string } } } };
    runInNewContext(source, sandbox);
    const hmac = sandbox.module.exports.sha256?.hmac ?? assert.fail('js-sha256 did not load');
    // RFC 4231 test case 2, and a long UTF-8 message like a cursor's body.
    assert.equal(hmac('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const body = JSON.stringify({ ...poisonedCursor(), note: 'Zoë Ångström 漢字 🙂'.repeat(500) });
    assert.equal(hmac(`cursor:v1:${API_KEY}`, body), createHmac('sha256', `cursor:v1:${API_KEY}`).update(body).digest('hex'));
  });
});
