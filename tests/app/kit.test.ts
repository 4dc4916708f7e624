import { strict as assert } from 'node:assert';
import { ERROR_CODES } from '#common/errors';
import { loadWidgetScripts, WORDS } from './load-scripts';

const BOM = '\uFEFF';

describe('widget kit (app/src/kit.ts)', () => {
  const kit = loadWidgetScripts(...WORDS, 'kit.js').accessKit;

  describe('toCsv', () => {
    it('starts with a UTF-8 byte-order mark, quotes every cell, doubles quotes and ends lines with CRLF', () => {
      assert.equal(kit.toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain', 'Chloé']]), `${BOM}"a,b","say ""hi""","two\nlines","plain","Chloé"\r\n`);
      assert.equal(kit.toCsv([['a'], ['b']]), `${BOM}"a"\r\n"b"\r\n`);
    });

    it('neutralises cells a spreadsheet would run as a formula', () => {
      const csv = kit.toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'safe=1']]);
      assert.equal(csv, `${BOM}"'=HYPERLINK(""x"")","'+1","'-2","'@SUM(A1)","safe=1"\r\n`);
    });

    it('neutralises a formula after any separator too (";" is the list separator in many locales)', () => {
      assert.equal(kit.toCsv([['Smith;=cmd|" /C calc"!A0']]), `${BOM}"Smith;'=cmd|"" /C calc""!A0"\r\n`);
      assert.equal(kit.toCsv([['a, +1', 'b;@x', 'c\t-2', 'd\n=e']]), `${BOM}"a, '+1","b;'@x","c\t'-2","d\n'=e"\r\n`);
      assert.equal(kit.toCsv([['a-b;c', 'x = y']]), `${BOM}"a-b;c","x = y"\r\n`, 'only a formula character right after a separator counts');
    });

    it('quotes a cell with a carriage return, and one starting with a tab or carriage return as a formula', () => {
      assert.equal(kit.toCsv([['a\rb', '\tcmd', '\rcmd', 'in\tside']]), `${BOM}"a\rb","'\tcmd","'\rcmd","in\tside"\r\n`);
    });

    /** Blank characters a spreadsheet may trim before it reads a formula. */
    const BLANKS: [string, string][] = [
      ['a space', ' '],
      ['a no-break space', '\u00A0'],
      ['a zero-width space', '\u200B'],
      ['a byte-order mark', '\uFEFF'],
      ['an ideographic space', '\u3000'],
      ['a tab', '\t'],
      ['a carriage return', '\r'],
      ['a line feed', '\n'],
      ['two of them', ' \u200B'],
    ];
    const FORMULA_CHARACTERS = ['=', '+', '-', '@', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

    it('neutralises a formula after leading blanks, and the full-width ＝ ＋ － ＠, at the start of a cell', () => {
      for (const character of FORMULA_CHARACTERS) {
        assert.equal(kit.toCsv([[`${character}1+1`]]), `${BOM}"'${character}1+1"\r\n`, `a cell starting with ${character}`);
        for (const [what, blank] of BLANKS) {
          const neutral = `${blank}'${character}1+1`;
          const expected = /^[\t\r\n]/.test(blank) ? `'${neutral}` : neutral;
          assert.equal(kit.toCsv([[`${blank}${character}1+1`]]), `${BOM}"${expected}"\r\n`, `${what} before ${character}`);
        }
      }
    });

    it('neutralises a formula after a separator and blanks, and the full-width forms after a separator', () => {
      for (const separator of [',', ';', '\t', '\r', '\n']) {
        for (const character of FORMULA_CHARACTERS) {
          for (const [what, blank] of BLANKS) {
            const cell = `Smith${separator}${blank}${character}cmd`;
            assert.equal(kit.toCsv([[cell]]), `${BOM}"Smith${separator}${blank}'${character}cmd"\r\n`, `${what} between ${JSON.stringify(separator)} and ${character}`);
          }
        }
      }
    });

    it('leaves a formula character inside words alone, full-width ones too', () => {
      assert.equal(kit.toCsv([['a\uFF1Db', 'x \uFF0B y', 'R&D - EMEA']]), `${BOM}"a\uFF1Db","x \uFF0B y","R&D - EMEA"\r\n`);
    });

    it('keeps an agent named like HTML as plain text', () => {
      assert.equal(kit.toCsv([['<img src=x onerror=alert(1)>']]), `${BOM}"<img src=x onerror=alert(1)>"\r\n`);
    });
  });

  describe('errors', () => {
    it('keeps status, message, a known code and the retry time', () => {
      assert.deepEqual(kit.toWidgetError({ status: 403, message: 'No', code: 'SELF_ACTION' }), { status: 403, message: 'No', code: 'SELF_ACTION' });
      assert.deepEqual(kit.toWidgetError({ status: 507, message: 'Busy', code: 'STORE_UNAVAILABLE', retryAfterSeconds: 60 }), { status: 507, message: 'Busy', code: 'STORE_UNAVAILABLE', retryAfterSeconds: 60 });
    });

    it('drops an unknown code and fills a missing status and message', () => {
      const error = kit.toWidgetError({ code: 'NOPE' });
      assert.equal(error.status, 500);
      assert.equal(error.code, null);
      assert.match(error.message, /Retry/);
    });

    it('has advice for every error code the server can send', () => {
      for (const code of ERROR_CODES) {
        const advice = kit.adviceFor({ status: 500, message: 'm', code });
        assert.ok(advice.title.length > 0 && advice.hint.length > 0, code);
        assert.doesNotMatch(`${advice.title} ${advice.hint}`, /\berror\.\w+/, `${code}: catalogue text, not a key`);
      }
    });

    it('derives the action from the status when the platform drops the code', () => {
      const actionFor = (status: number): string => kit.adviceFor({ status, message: 'm', code: null }).action;
      assert.deepEqual(
        [400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 507].map(actionFor),
        ['refresh', 'settings', 'ask', 'refresh', 'refresh', 'wait', 'retry', 'retry', 'retry', 'retry', 'retry'],
      );
    });

    it('waits out a rate limit, naming which one, never "Freshservice is busy": the wait as the answer says, else as its message says, else a minute', () => {
      const own = kit.adviceFor({ status: 429, message: 'm', code: 'APP_RATE_LIMITED', retryAfterSeconds: 40 });
      assert.deepEqual(own, { title: "Waiting for the app's request limit", hint: 'The app may make 50 requests a minute; continuing in 40 s.', action: 'wait' });
      const freshservice = kit.adviceFor({ status: 429, message: 'm', code: 'RATE_LIMITED', retryAfterSeconds: 12 });
      assert.equal(freshservice.hint, 'Freshservice limits how many requests your account makes a minute; continuing in 12 s.');
      const bare = kit.adviceFor({ status: 429, message: "The app reached the platform's limit. Retry after 37 seconds.", code: null });
      assert.equal(bare.hint, 'The app may make 50 requests a minute, and Freshservice limits requests too; continuing in 37 s.');
      assert.match(kit.adviceFor({ status: 429, message: 'Too many requests', code: null }).hint, /continuing in 60 s\.$/);
      for (const advice of [own, freshservice, bare]) {
        assert.doesNotMatch(`${advice.title} ${advice.hint}`, /busy/);
      }
    });

    it('never blames Freshservice for the app\'s own storage: 507 (and STORE_UNAVAILABLE) is the storage, 503 Freshservice', () => {
      const byStatus = kit.adviceFor({ status: 507, message: 'm', code: null });
      assert.equal(byStatus.title, "The app's storage is busy");
      assert.doesNotMatch(`${byStatus.title} ${byStatus.hint}`, /Freshservice/);
      assert.equal(kit.isStorageBusy({ status: 507, message: 'm', code: null }), true);
      assert.equal(kit.isStorageBusy({ status: 503, message: 'm', code: 'STORE_UNAVAILABLE' }), true);
      assert.equal(kit.isStorageBusy({ status: 503, message: 'm', code: null }), false);
      assert.equal(kit.adviceFor({ status: 503, message: 'm', code: null }).title, 'Freshservice did not answer');
      assert.equal(kit.adviceFor({ status: 500, message: 'm', code: null }).title, 'Something went wrong in the app');
    });

    it('prefers the code over the status', () => {
      assert.equal(kit.adviceFor({ status: 403, message: 'm', code: 'KEY_OWNER_NOT_ADMIN' }).action, 'settings');
    });
  });

  describe('readPerson', () => {
    it('reads FDK\'s wrapped shape with a user key, a string id and a null last name', () => {
      const person = kit.readPerson({ loggedInUser: { user: { id: '21000049726', first_name: 'Ada', last_name: null, email: 'ada@x.test' } } }, 'loggedInUser');
      assert.deepEqual(person, { id: 21000049726, name: 'Ada', email: 'ada@x.test' });
    });

    it('reads an agent key and a top-level shape', () => {
      assert.equal(kit.readPerson({ agent: { id: 5, name: 'Bo', email: 'b@x' } }, 'loggedInUser')?.name, 'Bo');
      assert.equal(kit.readPerson({ id: 6, email: 'c@x' }, 'requester')?.name, 'c@x');
    });

    it('refuses anything without a usable id', () => {
      assert.equal(kit.readPerson({ loggedInUser: { email: 'x' } }, 'loggedInUser'), null);
      assert.equal(kit.readPerson(null, 'loggedInUser'), null);
      assert.equal(kit.readPerson({ id: 'abc' }, 'requester'), null);
    });
  });

  describe('links and words', () => {
    it('builds the Permissions URL from currentHost and the server\'s path', () => {
      const host = kit.readHostUrl({ currentHost: { endpoint_urls: { freshservice: 'https://acme.freshservice.com/' } } });
      assert.equal(kit.permissionsUrl(host, '/agents/7/edit'), 'https://acme.freshservice.com/agents/7/edit');
      assert.equal(kit.readHostUrl({}), '');
    });

    it('names every API-key state, "Nothing recorded" rather than "None"', () => {
      assert.deepEqual(
        (['none', 'requested', 'enabled', 'declined'] as const).map((state) => kit.stateWords(state)),
        ['Nothing recorded', 'Requested', 'Marked as enabled', 'Declined'],
      );
    });
  });
});
