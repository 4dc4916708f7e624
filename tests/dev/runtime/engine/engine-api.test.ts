import { strict as assert } from 'node:assert';
import { createKeyValueStore } from '../../../../dev/runtime/kv-store';
import { createAppEngine } from '../../../../dev/runtime/engine/index';
import type { AppEngine } from '../../../../dev/runtime/engine/index';
import { answer, createFixtureApp, startStubApi } from './fixtures';
import type { FixtureApp, StubApi } from './fixtures';

const TEMPLATES = {
  me: {
    schema: {
      method: 'GET',
      host: '<%= iparam.freshservice_domain %>.freshservice.com',
      path: '/api/v2/agents/me',
      headers: { Authorization: 'Basic <%= encode(iparam.api_key + ":X") %>' },
    },
  },
};

describe('engine: iparams and lifecycle', () => {
  let app: FixtureApp;
  let stub: StubApi;
  let engine: AppEngine;

  before(async () => {
    app = createFixtureApp({ requests: TEMPLATES });
    stub = await startStubApi([answer(200, '{}'), answer(200, '{}')]);
    engine = await createAppEngine({
      appRoot: app.root,
      iparams: { freshservice_domain: 'acme', api_key: 'first-key', team_name: 'ops', undeclared: 'x' },
      store: createKeyValueStore(),
      freshserviceUrl: stub.url,
    });
  });

  after(async () => {
    await engine.close();
    await stub.stop();
    app.remove();
  });

  it('exposes only declared non-secure iparams to the front end', () => {
    assert.deepEqual(engine.nonSecureIparams(), { freshservice_domain: 'acme', team_name: 'ops' });
    assert.deepEqual(engine.secureIparamNames(), ['api_key']);
  });

  it('uses new iparams from setIparams in later template calls, including routing', async () => {
    await engine.invokeTemplate('me', {});
    engine.setIparams({ freshservice_domain: 'beta', api_key: 'second-key' });
    const routed = await engine.invokeTemplate('me', {});
    assert.equal(routed.ok, true);
    assert.equal(stub.requests[1]?.headers['authorization'], `Basic ${Buffer.from('second-key:X').toString('base64')}`);
    assert.deepEqual(engine.nonSecureIparams(), { freshservice_domain: 'beta' });
  });

  it('runs an app without server methods: invoking one answers 404', async () => {
    const result = await engine.invokeServerMethod('anything', {});
    assert.equal(result.ok, false);
    assert.equal((result.body as { status: number }).status, 404);
  });
});
