import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { FakeRequest, connectionError, fail, ok, timeout, type ScriptedAnswer } from '../fakes/request';
import { agent, standardRoles } from '../freshservice/fixtures';

/** Loads the shipped config/assets/iparams.js as the install page does, with fake FDK globals. */
const INSTALL_SCRIPT = resolve(__dirname, '../../../../config/assets/iparams.js');

type Callback = (value: string) => Promise<string>;

function installPage(fields: Record<string, string>, request: FakeRequest): { checkDomain: Callback; checkApiKey: Callback } {
  const sandbox: Record<string, unknown> = {
    app: { initialized: () => Promise.resolve({ request }) },
    utils: { get: (name: string) => fields[name] },
  };
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(INSTALL_SCRIPT, 'utf8'), sandbox);
  return { checkDomain: sandbox.checkDomain as Callback, checkApiKey: sandbox.checkApiKey as Callback };
}

function answering(agentsAnswer: ScriptedAnswer, rolesAnswer: ScriptedAnswer = ok({ roles: standardRoles() })): FakeRequest {
  return new FakeRequest().script('checkAgentsAccess', agentsAnswer).script('checkRolesAccess', rolesAnswer);
}

const FILLED = { freshservice_domain: 'acme', api_key: 'key-123' };

describe('install page check (config/assets/iparams.js)', () => {
  it('accepts a working domain and key, checking agents then roles with the typed values', async () => {
    const request = answering(ok({ agents: [agent(1)] }));
    const page = installPage({ freshservice_domain: 'https://Acme.freshservice.com/', api_key: ' key-123 ' }, request);
    assert.equal(await page.checkApiKey('key-123'), '');
    assert.deepEqual(request.calls, [
      { name: 'checkAgentsAccess', context: { domain: 'acme', api_key: 'key-123' } },
      { name: 'checkRolesAccess', context: { domain: 'acme', api_key: 'key-123' } },
    ]);
  });

  it('rejects a domain that is not a subdomain without any request', async () => {
    const request = new FakeRequest();
    const page = installPage({}, request);
    for (const typed of ['', 'acme.zendesk.com', 'ac me', 'https://']) {
      assert.match(await page.checkDomain(typed), /Enter only your Freshservice subdomain/, typed);
    }
    assert.equal(request.calls.length, 0);
  });

  it('waits for both fields before any request', async () => {
    const request = new FakeRequest();
    assert.equal(await installPage({ freshservice_domain: 'acme' }, request).checkDomain('acme'), '');
    assert.equal(await installPage({ freshservice_domain: 'acme' }, request).checkApiKey(''), '');
    assert.equal(request.calls.length, 0);
  });

  it('says the domain is wrong on 404, a connection failure, or a web page instead of JSON', async () => {
    for (const answer of [fail(404), connectionError(), ok('<html>Sign up for Freshservice</html>')]) {
      const page = installPage(FILLED, answering(answer));
      assert.match(await page.checkDomain('acme'), /No Freshservice account answers at acme\.freshservice\.com/);
    }
  });

  it('points the key field at the domain when the domain is the problem', async () => {
    const page = installPage(FILLED, answering(fail(404)));
    assert.match(await page.checkApiKey('key-123'), /^The key cannot be checked until the domain is right: No Freshservice account/);
  });

  it('says the key is wrong or disabled on 401, under the key only', async () => {
    assert.match(await installPage(FILLED, answering(fail(401))).checkApiKey('key-123'), /wrong or has been disabled/);
    assert.equal(await installPage(FILLED, answering(fail(401))).checkDomain('acme'), '');
  });

  it("says the key's owner lacks an admin role on 403 from agents or from roles", async () => {
    assert.match(await installPage(FILLED, answering(fail(403))).checkApiKey('key-123'), /owner may not view agents and roles/);
    assert.match(await installPage(FILLED, answering(ok({ agents: [] }), fail(403))).checkApiKey('key-123'), /admin role/);
  });

  it('says to retry on 429, 500 and a timeout', async () => {
    assert.match(await installPage(FILLED, answering(fail(429))).checkApiKey('k'), /rate limiting/);
    assert.match(await installPage(FILLED, answering(fail(500))).checkApiKey('k'), /did not answer/);
    assert.match(await installPage(FILLED, answering(timeout())).checkApiKey('k'), /did not answer/);
  });
});
