import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { useFakeTimers, type SinonFakeTimers } from 'sinon';
import type { TemplateInvocation, TemplateResponse } from '#server/platform';
import { FakeRequest, connectionError, fail, ok, timeout, type ScriptedAnswer } from '../fakes/request';
import { agent, standardRoles } from '../freshservice/fixtures';

/** Loads the shipped config/assets/iparams.js as the install page does, with fake FDK globals and a fake clock. */
const INSTALL_SCRIPT = resolve(__dirname, '../../../../config/assets/iparams.js');
/** The script waits this long after the last change before it sends a check. */
const CHECK_DELAY_MS = 500;

type Callback = (value: string) => Promise<unknown>;
type TemplateClient = { invokeTemplate(name: string, invocation: TemplateInvocation): Promise<TemplateResponse> };

interface InstallPage {
  checkDomain: Callback;
  checkApiKey: Callback;
  clock: SinonFakeTimers;
}

const clocks: SinonFakeTimers[] = [];

function installPage(fields: Record<string, string>, request: TemplateClient): InstallPage {
  const sandbox: Record<string, unknown> = {
    app: { initialized: () => Promise.resolve({ request }) },
    utils: { get: (name: string) => fields[name] },
    setTimeout,
    clearTimeout,
    Date,
    Promise,
  };
  sandbox['globalThis'] = sandbox;
  // Only this page's timers are fake; mocha's own keep running.
  const clock = useFakeTimers({ global: sandbox, toFake: ['setTimeout', 'clearTimeout'] } as Parameters<typeof useFakeTimers>[0]);
  clocks.push(clock);
  runInNewContext(readFileSync(INSTALL_SCRIPT, 'utf8'), sandbox);
  return { checkDomain: sandbox['checkDomain'] as Callback, checkApiKey: sandbox['checkApiKey'] as Callback, clock };
}

/** '' when the callback's promise resolved (valid), else the message it rejected with. */
async function outcome(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return '';
  } catch (message) {
    return String(message);
  }
}

/** Tracks whether a callback has settled yet, without consuming its outcome. */
function watch(pending: Promise<unknown>): { settled: () => boolean; outcome: Promise<string> } {
  let settled = false;
  const result = outcome(pending).then((message) => {
    settled = true;
    return message;
  });
  return { settled: () => settled, outcome: result };
}

function answering(agentsAnswer: ScriptedAnswer, rolesAnswer: ScriptedAnswer = ok({ roles: standardRoles() })): FakeRequest {
  return new FakeRequest().script('checkAgentsAccess', agentsAnswer).script('checkRolesAccess', rolesAnswer);
}

const FILLED = { freshservice_domain: 'acme', api_key: 'key-123' };

/** Both fields change together, as when the admin fills the form: one check answers both callbacks. */
async function verdicts(fields: Record<string, string>, request: TemplateClient): Promise<{ domain: string; key: string }> {
  const page = installPage(fields, request);
  const domain = outcome(page.checkDomain(fields['freshservice_domain'] ?? ''));
  const key = outcome(page.checkApiKey(fields['api_key'] ?? ''));
  await page.clock.tickAsync(CHECK_DELAY_MS);
  return { domain: await domain, key: await key };
}

/** A request whose answers the test releases one by one, in any order. */
class HeldRequest {
  readonly calls: { name: string; context: unknown; answer: (status: number, body: unknown) => void }[] = [];

  invokeTemplate(name: string, invocation: TemplateInvocation): Promise<TemplateResponse> {
    return new Promise((resolveCall, rejectCall) => {
      const answer = (status: number, body: unknown): void => {
        const reply = { status, headers: {}, response: JSON.stringify(body) };
        if (status === 200) {
          resolveCall(reply);
        } else {
          rejectCall({ ...reply, errorSource: 'APP', attempts: 1 });
        }
      };
      this.calls.push({ name, context: { ...invocation.context }, answer });
    });
  }

  call(index: number): { name: string; context: unknown; answer: (status: number, body: unknown) => void } {
    const call = this.calls[index];
    assert.ok(call, `no request number ${index + 1}; requests: ${this.calls.map((made) => made.name).join(', ')}`);
    return call;
  }
}

/** Lets pending promise callbacks run (the fake clock does not advance). */
function flush(page: InstallPage): Promise<number> {
  return page.clock.tickAsync(0);
}

describe('install page check (config/assets/iparams.js)', () => {
  afterEach(() => {
    clocks.splice(0).forEach((clock) => clock.uninstall());
  });

  it('accepts a working domain and key (resolves, no message), checking agents then roles with the typed values', async () => {
    const request = answering(ok({ agents: [agent(1)] }));
    assert.deepEqual(await verdicts(FILLED, request), { domain: '', key: '' });
    assert.deepEqual(request.calls, [
      { name: 'checkAgentsAccess', context: { domain: 'acme', api_key: 'key-123' } },
      { name: 'checkRolesAccess', context: { domain: 'acme', api_key: 'key-123' } },
    ]);
  });

  describe('the domain format (checked at once, no request)', () => {
    it('refuses a pasted URL or host and says exactly which subdomain to enter', async () => {
      const request = new FakeRequest();
      const page = installPage({ api_key: 'key-123' }, request);
      for (const typed of ['https://acme.freshservice.com/', 'acme.freshservice.com', 'http://ACME.freshservice.com/a/admin', ' acme']) {
        const message = await outcome(page.checkDomain(typed));
        assert.match(message, /^Enter only the subdomain: acme \(you entered "/, typed);
        assert.ok(message.includes(JSON.stringify(typed)), message);
      }
      assert.equal(request.calls.length, 0);
    });

    it('refuses anything that is not a subdomain at all', async () => {
      const request = new FakeRequest();
      const page = installPage({ api_key: 'key-123' }, request);
      for (const typed of ['', 'acme.zendesk.com', 'ac me', 'https://', '-acme']) {
        assert.match(await outcome(page.checkDomain(typed)), /^Enter only your Freshservice subdomain/, typed);
      }
      assert.equal(request.calls.length, 0);
    });

    it('a format error also ends a check still waiting, without a request, and keeps the key field clear', async () => {
      const request = new FakeRequest();
      const page = installPage({ freshservice_domain: 'acme' }, request);
      const key = watch(page.checkApiKey('key-123'));
      const olderDomain = watch(page.checkDomain('acme'));
      assert.match(await outcome(page.checkDomain('acme.freshservice.com')), /Enter only the subdomain: acme/);
      assert.match(await olderDomain.outcome, /Enter only the subdomain: acme/);
      assert.equal(await key.outcome, '');
      await page.clock.tickAsync(CHECK_DELAY_MS * 2);
      assert.equal(request.calls.length, 0);
    });
  });

  it('waits for both fields before any request', async () => {
    const request = new FakeRequest();
    assert.deepEqual(await verdicts({ freshservice_domain: 'acme', api_key: '' }, request), { domain: '', key: '' });
    assert.equal(request.calls.length, 0);
  });

  it('does not probe with a masked secure value when settings are edited: unchanged, not re-checked', async () => {
    const request = new FakeRequest();
    for (const masked of ['********', '••••••••']) {
      const page = installPage({ freshservice_domain: 'acme', api_key: masked }, request);
      const domain = outcome(page.checkDomain('acme'));
      await page.clock.tickAsync(CHECK_DELAY_MS);
      assert.equal(await domain, '');
    }
    assert.deepEqual(await verdicts({ freshservice_domain: 'acme', api_key: '****' }, request), { domain: '', key: '' });
    assert.equal(request.calls.length, 0);
  });

  describe('debounce and ordering', () => {
    it('sends nothing while typing and one check after a 500 ms pause, with the newest value, answering every keystroke alike', async () => {
      const request = answering(fail(401));
      const page = installPage({ freshservice_domain: 'acme' }, request);
      const keystrokes = ['k', 'ke', 'key'].map((typed) => {
        const pending = watch(page.checkApiKey(typed));
        return pending;
      });
      await page.clock.tickAsync(CHECK_DELAY_MS - 1);
      assert.equal(request.calls.length, 0);
      assert.ok(keystrokes.every((keystroke) => !keystroke.settled()));
      await page.clock.tickAsync(1);
      const messages = await Promise.all(keystrokes.map((keystroke) => keystroke.outcome));
      assert.deepEqual(request.calls, [{ name: 'checkAgentsAccess', context: { domain: 'acme', api_key: 'key' } }]);
      assert.equal(new Set(messages).size, 1);
      assert.match(messages[0] ?? '', /wrong or has been disabled/);
    });

    it('restarts the wait on each change', async () => {
      const request = answering(ok({ agents: [] }));
      const page = installPage({ freshservice_domain: 'acme' }, request);
      const first = watch(page.checkApiKey('key-1'));
      await page.clock.tickAsync(CHECK_DELAY_MS - 100);
      const second = watch(page.checkApiKey('key-12'));
      await page.clock.tickAsync(CHECK_DELAY_MS - 100);
      assert.equal(request.calls.length, 0);
      await page.clock.tickAsync(100);
      assert.deepEqual([await first.outcome, await second.outcome], ['', '']);
      assert.deepEqual(request.names(), ['checkAgentsAccess', 'checkRolesAccess']);
    });

    it('an older, slower check cannot overwrite the newest one (newest answers first)', async () => {
      const request = new HeldRequest();
      const page = installPage({ freshservice_domain: 'acme' }, request);
      const older = watch(page.checkApiKey('old-key'));
      await page.clock.tickAsync(CHECK_DELAY_MS);
      const newer = watch(page.checkApiKey('new-key'));
      await page.clock.tickAsync(CHECK_DELAY_MS);
      assert.deepEqual(request.calls.map((call) => call.context), [{ domain: 'acme', api_key: 'old-key' }, { domain: 'acme', api_key: 'new-key' }]);
      request.call(1).answer(401, { code: 'invalid_credentials' });
      assert.match(await newer.outcome, /wrong or has been disabled/);
      assert.match(await older.outcome, /wrong or has been disabled/);
      request.call(0).answer(200, { agents: [] });
      await flush(page);
      assert.equal(request.calls.length, 2, 'the stale check must stop, not go on to the roles');
    });

    it('an older check that answers first is ignored; the newest answers every waiting callback', async () => {
      const request = new HeldRequest();
      const page = installPage({ freshservice_domain: 'acme' }, request);
      const older = watch(page.checkApiKey('good-key'));
      await page.clock.tickAsync(CHECK_DELAY_MS);
      const newer = watch(page.checkApiKey('bad-key'));
      request.call(0).answer(200, { agents: [] });
      await flush(page);
      assert.equal(request.calls.length, 1, 'a superseded check sends no further request');
      assert.ok(!older.settled() && !newer.settled(), 'a superseded check answers nobody');
      await page.clock.tickAsync(CHECK_DELAY_MS);
      request.call(1).answer(401, {});
      assert.match(await older.outcome, /wrong or has been disabled/);
      assert.match(await newer.outcome, /wrong or has been disabled/);
    });
  });

  describe('verdicts (unchanged logic, new contract: rejection = invalid)', () => {
    it('says the domain is wrong on 404, a connection failure, or a web page instead of JSON', async () => {
      for (const answer of [fail(404), connectionError(), ok('<html>Sign up for Freshservice</html>')]) {
        const { domain, key } = await verdicts(FILLED, answering(answer));
        assert.match(domain, /No Freshservice account answers at acme\.freshservice\.com/);
        assert.match(key, /^The key cannot be checked until the domain is right: No Freshservice account/);
      }
    });

    it('says the key is wrong or disabled on 401, under the key only', async () => {
      assert.deepEqual(await verdicts(FILLED, answering(fail(401))), {
        domain: '',
        key: 'Freshservice rejected this API key: it is wrong or has been disabled. Copy the key again from Profile Settings > API key of an agent with an admin role.',
      });
    });

    it("says the key's owner lacks an admin role on 403 from agents or from roles", async () => {
      assert.match((await verdicts(FILLED, answering(fail(403)))).key, /owner may not view agents and roles/);
      assert.match((await verdicts(FILLED, answering(ok({ agents: [] }), fail(403)))).key, /admin role/);
    });

    it('says to retry on 429, 500 and a timeout', async () => {
      assert.match((await verdicts(FILLED, answering(fail(429)))).key, /rate limiting/);
      assert.match((await verdicts(FILLED, answering(fail(500)))).key, /did not answer/);
      assert.match((await verdicts(FILLED, answering(timeout()))).key, /did not answer/);
    });
  });
});

describe('install page: the storage secret', () => {
  function loadWith(fields: Record<string, string>): { onFormLoad: () => void; set: Record<string, unknown>[] } {
    const set: Record<string, unknown>[] = [];
    const sandbox: Record<string, unknown> = {
      app: { initialized: () => Promise.resolve({}) },
      utils: { get: (name: string) => fields[name], set: (name: string, options: Record<string, unknown>) => set.push({ name, ...options }) },
      crypto: globalThis.crypto,
      btoa,
      setTimeout,
      clearTimeout,
    };
    sandbox['globalThis'] = sandbox;
    runInNewContext(readFileSync(INSTALL_SCRIPT, 'utf8'), sandbox);
    return { onFormLoad: sandbox['onFormLoad'] as () => void, set };
  }

  it('creates a random 43-character secret on a first installation (empty form)', () => {
    const first = loadWith({ freshservice_domain: '', api_key: '', storage_secret: '' });
    const second = loadWith({ freshservice_domain: '', api_key: '', storage_secret: '' });
    first.onFormLoad();
    second.onFormLoad();
    const [made] = first.set;
    assert.equal(made?.['name'], 'storage_secret');
    assert.match(String(made?.['value']), /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(made?.['value'], second.set[0]?.['value']);
  });

  it('never touches the secret when settings are edited (the saved domain shows), even if the secret field comes back empty', () => {
    for (const secret of ['', '••••••••']) {
      const page = loadWith({ freshservice_domain: 'acme', api_key: '', storage_secret: secret });
      page.onFormLoad();
      assert.deepEqual(page.set, [], secret);
    }
  });
});
