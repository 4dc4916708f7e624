import { strict as assert } from 'node:assert';
import { ERROR_CODES } from '../../common/errors';
import { loadWidgetScripts } from './load-scripts';

describe('widget kit (app/src/kit.ts)', () => {
  const kit = loadWidgetScripts('kit.js').accessKit;

  describe('toCsv', () => {
    it('quotes cells with commas, quotes and line breaks, doubling quotes', () => {
      assert.equal(kit.toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain']]), '"a,b","say ""hi""","two\nlines",plain\r\n');
    });

    it('neutralises cells a spreadsheet would run as a formula', () => {
      const csv = kit.toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'safe=1']]);
      assert.equal(csv, `"'=HYPERLINK(""x"")","'+1","'-2","'@SUM(A1)",safe=1\r\n`);
    });

    it('quotes a cell with a carriage return, and one starting with a tab or carriage return as a formula', () => {
      assert.equal(kit.toCsv([['a\rb', '\tcmd', '\rcmd', 'in\tside']]), `"a\rb","'\tcmd","'\rcmd",in\tside\r\n`);
    });

    it('keeps an agent named like HTML as plain text', () => {
      assert.equal(kit.toCsv([['<img src=x onerror=alert(1)>']]), '<img src=x onerror=alert(1)>\r\n');
    });
  });

  describe('errors', () => {
    it('keeps status, message and a known code', () => {
      assert.deepEqual(kit.toWidgetError({ status: 403, message: 'No', code: 'SELF_ACTION' }), { status: 403, message: 'No', code: 'SELF_ACTION' });
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
      }
    });

    it('derives the action from the status when the platform drops the code', () => {
      const actionFor = (status: number): string => kit.adviceFor({ status, message: 'm', code: null }).action;
      assert.deepEqual(
        [400, 401, 403, 404, 409, 429, 500, 502, 504].map(actionFor),
        ['refresh', 'settings', 'ask', 'refresh', 'refresh', 'retry', 'retry', 'retry', 'retry'],
      );
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

    it('says never for a missing date and UTC otherwise', () => {
      assert.equal(kit.formatDate(null), 'never');
      assert.match(kit.formatDate('2026-01-02T03:04:05Z'), /2026.*UTC$/);
    });

    it('names every API-key state', () => {
      assert.deepEqual(
        (['none', 'requested', 'enabled', 'declined'] as const).map((state) => kit.stateWords(state)),
        ['No request recorded', 'Requested', 'Marked as enabled', 'Declined'],
      );
    });
  });
});
