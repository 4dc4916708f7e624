import { strict as assert } from 'node:assert';
import { assert as sinonAssert, spy, type SinonSpy } from 'sinon';
import { getAccessOverview, getUserAccess } from '#server/methods/audit';
import type { Platform, ServerArgs } from '#server/platform';
import { MemoryStore } from '../audit/memoryStore';
import { FakeRequest, fail, ok } from '../fakes/request';
import { agent, emailOf, standardRoles } from '../freshservice/fixtures';
import { recordConsole } from './recorded-console';

const SECRET_KEY = 'sk-very-secret-api-key-0123456789';

function argsWith(payload: Record<string, unknown>): ServerArgs {
  return { ...payload, iparams: { freshservice_domain: 'acme', api_key: SECRET_KEY } };
}

function platformWith(request: FakeRequest): Platform & { reply: SinonSpy } {
  return { request, store: new MemoryStore(), reply: spy() };
}

describe('audit server methods', () => {
  const logged = recordConsole(['error', 'warn', 'log']);

  it('getAccessOverview replies once with the first slice (roles read, cursor to continue)', async () => {
    const platform = platformWith(new FakeRequest().script('listRoles', ok({ roles: standardRoles() })));
    await getAccessOverview(argsWith({ cursor: null, includeDeactivated: false }), platform);
    sinonAssert.calledOnce(platform.reply);
    const [error, slice] = platform.reply.firstCall.args as [unknown, { cursor: string | null; agents: unknown[] }];
    assert.equal(error, null);
    assert.equal(typeof slice.cursor, 'string');
    assert.deepEqual(slice.agents, []);
  });

  it('getAccessOverview answers 400 naming the field for a bad payload, and never logs iparams', async () => {
    const platform = platformWith(new FakeRequest());
    await getAccessOverview(argsWith({ includeDeactivated: 'yes' }), platform);
    const [error] = platform.reply.firstCall.args as [{ status: number; code: string; message: string }];
    assert.equal(error.status, 400);
    assert.equal(error.code, 'INVALID_PAYLOAD');
    assert.match(error.message, /"includeDeactivated"/);
    assert.doesNotMatch(logged(), new RegExp(SECRET_KEY));
    assert.match(logged(), /getAccessOverview failed: INVALID_PAYLOAD \(400\)/);
  });

  it('getAccessOverview continues with the cursor it issued, and refuses it once the api_key iparam changed', async () => {
    const request = new FakeRequest().script('listRoles', ok({ roles: standardRoles() })).script('listAgents', ok({ agents: [agent(1)] }));
    const platform = platformWith(request);
    await getAccessOverview(argsWith({ cursor: null }), platform);
    const [, first] = platform.reply.firstCall.args as [unknown, { cursor: string }];
    assert.doesNotMatch(first.cursor, new RegExp(SECRET_KEY));

    await getAccessOverview({ cursor: first.cursor, iparams: { freshservice_domain: 'acme', api_key: 'a-rotated-key' } }, platform);
    const [refused] = platform.reply.secondCall.args as [{ status: number; code: string; message: string }];
    assert.deepEqual([refused.status, refused.code], [400, 'INVALID_PAYLOAD']);
    assert.match(refused.message, /Start the overview again/);

    await getAccessOverview(argsWith({ cursor: first.cursor }), platform);
    const [error, last] = platform.reply.thirdCall.args as [unknown, { cursor: string | null; agents: unknown[] }];
    assert.equal(error, null);
    assert.equal(last.agents.length, 1);
    assert.equal(last.cursor, null);
    assert.doesNotMatch(logged(), new RegExp(SECRET_KEY));
  });

  it('getAccessOverview without the api_key iparam answers INTERNAL before any request', async () => {
    const request = new FakeRequest();
    const platform = platformWith(request);
    await getAccessOverview({ cursor: null }, platform);
    const [error] = platform.reply.firstCall.args as [{ code: string; message: string }];
    assert.equal(error.code, 'INTERNAL');
    assert.match(error.message, /API key/);
    assert.deepEqual(request.calls, []);
  });

  it('getUserAccess answers 400 naming email when no email is sent', async () => {
    const platform = platformWith(new FakeRequest());
    await getUserAccess(argsWith({}), platform);
    const [error] = platform.reply.firstCall.args as [{ code: string; message: string }];
    assert.equal(error.code, 'INVALID_PAYLOAD');
    assert.match(error.message, /"email"/);
  });

  it('getUserAccess answers 400 for an id instead of an email, and for a malformed email', async () => {
    for (const payload of [{ userId: 21000049726 }, { email: 'not-an-address' }]) {
      const platform = platformWith(new FakeRequest());
      await getUserAccess(argsWith(payload), platform);
      const [error] = platform.reply.firstCall.args as [{ code: string }];
      assert.equal(error.code, 'INVALID_PAYLOAD');
    }
  });

  it('getUserAccess replies with the agent', async () => {
    const platform = platformWith(new FakeRequest().script('findAgentByEmail', ok({ agents: [agent(21000049726)] })).script('listRoles', ok({ roles: standardRoles() })));
    await getUserAccess(argsWith({ email: emailOf(21000049726) }), platform);
    const [error, access] = platform.reply.firstCall.args as [unknown, { kind: string; permissionsPath: string }];
    assert.equal(error, null);
    assert.equal(access.kind, 'agent');
    assert.equal(access.permissionsPath, '/agents/21000049726/edit');
  });

  it('getUserAccess relays 401 as KEY_INVALID with an actionable message', async () => {
    const platform = platformWith(new FakeRequest().script('findAgentByEmail', fail(401)).script('listRoles', fail(401)));
    await getUserAccess(argsWith({ email: 'pat@acme.example' }), platform);
    const [error] = platform.reply.firstCall.args as [{ status: number; code: string; message: string }];
    assert.deepEqual([error.status, error.code], [401, 'KEY_INVALID']);
    assert.match(error.message, /app settings/);
  });
});
