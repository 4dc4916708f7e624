import { strict as assert } from 'node:assert';
import type { AppErrorBody } from '#common/errors';
import type { ProfileAccess } from '#common/profile';
import { MemoryKeyValueStore } from '../../../dev/runtime/kv-store';
import { getProfileAccess } from '#server/methods/profile';
import type { ServerArgs } from '#server/platform';
import { RECORD_MAX_AGE_MS } from '#server/audit/accountAdmins';
import { TEST_IPARAMS, seedHead } from '../fakes/storage';
import { fail } from '../fakes/request';
import { ROLE_IDS, ROLE_TYPE_SPELLINGS, spelledStandardRoles, type RoleTypeSpellingName } from '../freshservice/fixtures';
import { viewing } from '../ledger/fixtures';
import { ANA, BJORN, CHLOE, NOBODY, RAHUL, freshservice } from '../profile/account';
import { recordConsole } from './recorded-console';
import { loadShippedServer } from './shipped-server';

const SECRET_KEY = 'sk-profile-secret-0123456789';

function argsWith(payload: Record<string, unknown>): ServerArgs {
  return { ...payload, iparams: { ...TEST_IPARAMS, api_key: SECRET_KEY } };
}

interface Reply {
  error: AppErrorBody | null;
  data: ProfileAccess | undefined;
}

async function call(payload: Record<string, unknown>, request = freshservice()): Promise<Reply> {
  const replies: Reply[] = [];
  const reply = (error: AppErrorBody | null, data?: unknown): void => {
    replies.push({ error, data: data as ProfileAccess | undefined });
  };
  await getProfileAccess(argsWith(payload), { request, store: new MemoryKeyValueStore(), reply });
  assert.equal(replies.length, 1, 'renderData is called exactly once');
  return replies[0] as Reply;
}

describe('getProfileAccess (server method)', () => {
  const logged = recordConsole(['error', 'warn', 'log']);

  it('replies with the viewed agent, the viewer, the Account Admins and the API-key record (ids above 2^31)', async () => {
    const { error, data } = await call(viewing(CHLOE, ANA));
    assert.equal(error, null);
    assert.equal(data?.viewed.agent?.id, CHLOE);
    assert.deepEqual(data?.viewer, { id: ANA, isAccountAdmin: true, holdsAdminRole: false });
    assert.equal(data?.accountAdmins?.complete, false, 'nothing recorded yet: a view never scans');
    assert.equal(data?.apiKey?.state, 'none');
    assert.equal(data?.apiKey?.agent.id, CHLOE);
    assert.equal(data?.apiKeyError, null);
  });

  it('no longer calls an Account Admins record past its age limit complete, as every view', async () => {
    const store = new MemoryKeyValueStore();
    const recordedAt = new Date(Date.now() - RECORD_MAX_AGE_MS - 60_000).toISOString();
    await seedHead(store, { admins: { roleId: ROLE_IDS.accountAdmin, complete: true, recordedAt }, A1: { name: 'Demoted', email: 'demoted@acme.example', otherAdminRole: true } });
    const request = freshservice();
    const replies: Reply[] = [];
    await getProfileAccess(argsWith(viewing(CHLOE, ANA)), { request, store, reply: (error, data) => replies.push({ error, data: data as ProfileAccess | undefined }) });
    const [only] = replies;
    assert.equal(only?.error, null);
    assert.equal(only?.data?.accountAdmins?.recordedAt, recordedAt);
    assert.equal(only?.data?.accountAdmins?.complete, false);
    assert.deepEqual(request.callsTo('listAgents'), [], 'a view never scans');
  });

  it('replies for a requester', async () => {
    const { error, data } = await call(viewing(NOBODY, RAHUL));
    assert.equal(error, null);
    assert.equal(data?.viewed.kind, 'requester');
  });

  const BAD_PAYLOADS: [string, Record<string, unknown>, string][] = [
    ['no viewerId', { viewedId: CHLOE }, 'viewerId'],
    ['no viewedId', { viewerId: ANA }, 'viewedId'],
    ['an id sent as text', { viewedId: String(CHLOE), viewerId: ANA }, 'viewedId'],
    ['a zero id', viewing(CHLOE, 0), 'viewerId'],
    ['a fractional id', { viewedId: 1.5, viewerId: ANA }, 'viewedId'],
    ['no viewer email (people are read by email)', { viewedId: CHLOE, viewerId: ANA }, 'viewerEmail'],
    ['a malformed viewed email', { ...viewing(CHLOE, ANA), viewedEmail: 'chloé@' }, 'viewedEmail'],
  ];
  for (const [what, payload, field] of BAD_PAYLOADS) {
    it(`answers 400 INVALID_PAYLOAD naming "${field}" for ${what}, before any request`, async () => {
      const request = freshservice();
      const { error } = await call(payload, request);
      assert.equal(error?.status, 400);
      assert.equal(error?.code, 'INVALID_PAYLOAD');
      assert.match(error?.message ?? '', new RegExp(`"${field}"`));
      assert.deepEqual(request.names(), []);
    });
  }

  it('relays a Freshservice failure as its code, and logs only the code, never iparams', async () => {
    const { error } = await call(viewing(CHLOE, ANA), freshservice().script('findAgentByEmail', fail(403)));
    assert.equal(error?.code, 'KEY_OWNER_NOT_ADMIN');
    assert.match(logged(), /getProfileAccess failed: KEY_OWNER_NOT_ADMIN \(403\)/);
    assert.doesNotMatch(logged(), new RegExp(SECRET_KEY));
  });

  it('works through the shipped server/server.js as FDK loads it, one reply per call', async () => {
    const replies: unknown[][] = [];
    const shipped = loadShippedServer({ $request: freshservice(), $db: new MemoryKeyValueStore(), renderData: (...args: unknown[]) => replies.push(args) });
    await shipped['getProfileAccess']?.(argsWith(viewing(RAHUL, CHLOE)));
    assert.equal(replies.length, 1);
    const [error, data] = replies[0] as [unknown, ProfileAccess];
    assert.equal(error, null);
    assert.deepEqual(data.viewer, { id: CHLOE, isAccountAdmin: false, holdsAdminRole: true });
  });

  // Freshservice's sources spell role_type four ways; the sidebar must tell an Admin from an agent under each.
  for (const roleType of Object.keys(ROLE_TYPE_SPELLINGS) as RoleTypeSpellingName[]) {
    it(`tells an Admin from a plain agent through the shipped server.js when roles spell role_type ${roleType}`, async () => {
      const roles = spelledStandardRoles(roleType);
      assert.equal(roles.some((role) => 'role_type' in role), roleType !== 'absent');
      const viewers: [number, boolean, boolean][] = [
        [CHLOE, false, true],
        [BJORN, true, true],
        [RAHUL, false, false],
      ];
      for (const [viewerId, isAccountAdmin, holdsAdminRole] of viewers) {
        const replies: unknown[][] = [];
        const shipped = loadShippedServer({ $request: freshservice(roles), $db: new MemoryKeyValueStore(), renderData: (...args: unknown[]) => replies.push(args) });
        await shipped['getProfileAccess']?.(argsWith(viewing(ANA, viewerId)));
        const [error, data] = replies[0] as [unknown, ProfileAccess];
        assert.equal(error, null);
        assert.deepEqual(data.viewer, { id: viewerId, isAccountAdmin, holdsAdminRole });
      }
    });
  }
});
