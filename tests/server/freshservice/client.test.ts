import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { AppError } from '#server/errors';
import { callTemplate, rateLimitRemaining, readBody } from '#server/freshservice/client';
import { toAppError } from '#server/freshservice/failures';
import { agentListSchema, roleListSchema } from '#server/freshservice/schemas';
import { FakeRequest, NON_SUCCESS_READINGS, connectionError, fail, ok, platformFailure, timeout, type NonSuccessReading, type ScriptedAnswer } from '../fakes/request';
import { agent, role } from './fixtures';

async function failureUnder(reading: NonSuccessReading, answer: ScriptedAnswer): Promise<AppError> {
  const request = new FakeRequest(reading).script('listAgents', answer);
  try {
    await callTemplate(request, 'listAgents', { page: 1, active: true }, 'the list of agents', agentListSchema);
  } catch (error) {
    assert.ok(error instanceof AppError, 'expected an AppError');
    return error;
  }
  return assert.fail('expected the call to fail');
}

function failureOf(answer: ScriptedAnswer): Promise<AppError> {
  return failureUnder('reject', answer);
}

// FDK's docs do not say whether a non-2xx answer rejects or resolves: every mapping holds under both readings.
for (const reading of NON_SUCCESS_READINGS) {
  describe(`Freshservice client: error mapping (a non-2xx answer ${reading}s)`, () => {
    const failureOf = (answer: ScriptedAnswer): Promise<AppError> => failureUnder(reading, answer);

    it('an error answer is never read as data, even when its body has the expected shape', async () => {
      assert.equal((await failureOf(fail(503, { agents: [] }))).code, 'FRESHSERVICE_UNAVAILABLE');
      assert.equal((await failureOf(fail(404, '<html>No such helpdesk</html>'))).code, 'INTERNAL');
    });

    it('401 says the API key is wrong or disabled', async () => {
      const error = await failureOf(fail(401, { code: 'invalid_credentials', message: 'You have to be logged in to perform this action.' }));
      assert.equal(error.code, 'KEY_INVALID');
      assert.equal(error.status, 401);
      assert.match(error.message, /wrong or has been disabled/);
    });

    it("403 says the key's owner lacks an admin role", async () => {
      const error = await failureOf(fail(403, { code: 'access_denied', message: 'You are not authorized to perform this action.' }));
      assert.equal(error.code, 'KEY_OWNER_NOT_ADMIN');
      assert.match(error.message, /admin role/);
    });

    it('404 on a list (agents, roles) is not "no such agent": the domain in the app settings is wrong', async () => {
      const error = await failureOf(fail(404));
      assert.notEqual(error.code, 'NOT_FOUND');
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /the list of agents/);
      assert.match(error.message, /no Freshservice account API was found at the domain/);
      assert.match(error.message, /Check the Freshservice domain in the app settings/);
      const roles = new FakeRequest(reading).script('listRoles', fail(404));
      await assert.rejects(callTemplate(roles, 'listRoles', { page: 1 }, 'the list of roles', roleListSchema), (rolesError: unknown) => {
        return rolesError instanceof AppError && rolesError.code === 'INTERNAL' && /domain/.test(rolesError.message);
      });
    });

    it("Freshservice's 400 says it refused the app's request, names the field it names, and sends the admin to the developer", async () => {
      const body = { description: 'Validation failed', errors: [{ field: 'per_page', message: 'It should be between 1 and 100', code: 'invalid_value' }] };
      const error = await failureOf(fail(400, body));
      assert.equal(error.code, 'BAD_RESPONSE');
      assert.equal(error.status, 502);
      assert.match(error.message, /Freshservice refused the app's request for the list of agents/);
      assert.match(error.message, /"per_page"/);
      assert.match(error.message, /report it to the app developer/);
      assert.doesNotMatch(error.message, /did not answer/);
    });

    it("Freshservice's 400 without a readable field still says it refused the request, and never repeats an odd field name", async () => {
      for (const body of ['<html>Bad Request</html>', { description: 'Validation failed' }, { errors: [{ field: '<img src=x onerror=alert(1)>' }] }]) {
        const error = await failureOf(fail(400, body));
        assert.equal(error.code, 'BAD_RESPONSE');
        assert.match(error.message, /refused the app's request/);
        assert.doesNotMatch(error.message, /field|<img/);
      }
    });

    it('429 carries Retry-After in seconds', async () => {
      const error = await failureOf(fail(429, { message: 'The API rate limit allotted for your Freshservice domain has been exhausted' }, { 'Retry-After': '37' }));
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.retryAfterSeconds, 37);
      assert.deepEqual(error.toBody(), { status: 429, code: 'RATE_LIMITED', message: error.message, retryAfterSeconds: 37 });
      assert.match(error.message, /Retry after 37 seconds\.$/, 'the widget reads the wait from this sentence');
    });

    it("the platform's own 429 (FDK's 50 requests a minute, no Retry-After) is the app's limit, not Freshservice's, and waits a full minute", async () => {
      const error = await failureOf(platformFailure(429, 'Rate limit exceeded'));
      assert.equal(error.code, 'APP_RATE_LIMITED');
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterSeconds, 60);
      assert.match(error.message, /50 requests a minute/);
      assert.doesNotMatch(error.message, /Freshservice's rate limit|busy/);
      assert.match(error.message, /Retry after 60 seconds\.$/, 'the widget reads the wait from this sentence');
    });

    it('500, a timeout and a connection error are FRESHSERVICE_UNAVAILABLE', async () => {
      for (const answer of [fail(500, { code: 'internal_error' }), fail(503), timeout(), connectionError()]) {
        const error = await failureOf(answer);
        assert.equal(error.code, 'FRESHSERVICE_UNAVAILABLE');
        assert.equal(error.status, 503);
      }
    });

    it('a platform substitution error points at the app settings', async () => {
      const error = await failureOf(platformFailure(400, 'Error in substitution'));
      assert.equal(error.code, 'INTERNAL');
      assert.match(error.message, /domain in the app settings/);
    });

    it('something that is not an FDK rejection is FRESHSERVICE_UNAVAILABLE', () => {
      assert.equal(toAppError(new Error('socket hang up')).code, 'FRESHSERVICE_UNAVAILABLE');
      assert.equal(toAppError(undefined).code, 'FRESHSERVICE_UNAVAILABLE');
    });
  });
}

describe('Freshservice client: reading responses', () => {
  it('malformed JSON is BAD_RESPONSE', async () => {
    const error = await failureOf(ok('<html>Maintenance</html>'));
    assert.equal(error.code, 'BAD_RESPONSE');
    assert.match(error.message, /not JSON/);
  });

  it('a missing required field is BAD_RESPONSE naming the field', async () => {
    const broken = agent(5);
    delete broken.active;
    const error = await failureOf(ok({ agents: [agent(4), broken] }));
    assert.equal(error.code, 'BAD_RESPONSE');
    assert.match(error.message, /"agents\[1\]\.active"/);
  });

  it('tolerates unknown fields, ignores role_ids/scopes, keeps ids above 2^31 and null names', async () => {
    const request = new FakeRequest().script(
      'listAgents',
      ok({ agents: [agent(21000049726, { first_name: null, last_name: null, brand_new_field: { x: 1 } })], meta: { count: 1 } }, { 'X-RateLimit-Remaining': '12' }),
    );
    const answer = await callTemplate(request, 'listAgents', { page: 1, active: true }, 'the list of agents', agentListSchema);
    const [only] = answer.data.agents;
    assert.equal(only?.id, 21000049726);
    assert.equal(only?.first_name, null);
    assert.equal('role_ids' in (only ?? {}), false);
    assert.equal(rateLimitRemaining(answer.headers), 12);
  });

  it('rateLimitRemaining is null without the header', () => {
    assert.equal(rateLimitRemaining({}), null);
    assert.equal(rateLimitRemaining({ 'x-ratelimit-remaining': 'lots' }), null);
  });

  it('reads roles with a missing default flag as not built-in', () => {
    const parsed = readBody('the list of roles', JSON.stringify({ roles: [{ id: 3, name: 'Account Admin' }] }), roleListSchema);
    assert.equal(parsed.roles[0]?.default, false);
  });

  it('a body of the wrong shape at the top level is BAD_RESPONSE', () => {
    assert.throws(() => readBody('the list of roles', '[1,2]', z.object({ roles: z.array(z.unknown()) }).strict()), /cannot read/);
    assert.throws(() => readBody('the list of roles', JSON.stringify({ roles: [role(1, 'x', true), { id: 'seven' }] }), roleListSchema), /"roles\[1\]\.id"/);
  });
});
