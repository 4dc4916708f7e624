import { strict as assert } from 'node:assert';
import { freshserviceIparamsOf } from '../../../../dev/runtime/engine/freshservice-iparams';

function template(host: string, headers: Record<string, string> = {}): unknown {
  return { schema: { method: 'GET', host, path: '/api/v2/agents', headers } };
}

describe('freshserviceIparamsOf (which text iparams hold the subdomain and the key)', () => {
  it('finds the subdomain in a <%= iparam.x %>.freshservice.com host and the key in that template\'s headers', () => {
    const roles = freshserviceIparamsOf({
      listAgents: template('<%= iparam.freshservice_domain %>.freshservice.com', { Authorization: "Basic <%= encode(iparam.api_key + ':X') %>" }),
      listRoles: template('<%=iparam.freshservice_domain%>.FRESHSERVICE.com', { Authorization: 'Basic <%= encode(iparam.api_key) %>' }),
    });
    assert.deepEqual(roles, { domain: ['freshservice_domain'], apiKey: ['api_key'] });
  });

  it('ignores other hosts, context hosts, and templates of another shape', () => {
    const roles = freshserviceIparamsOf({
      other: template('<%= iparam.region %>.example.com', { Authorization: 'Bearer <%= iparam.token %>' }),
      installCheck: template('<%= context.domain %>.freshservice.com', { Authorization: 'Basic <%= encode(context.api_key) %>' }),
      fixed: template('acme.freshservice.com', { Authorization: 'Basic <%= iparam.fixed_key %>' }),
      broken: { schema: 'not an object' },
    });
    assert.deepEqual(roles, { domain: [], apiKey: [] });
    assert.deepEqual(freshserviceIparamsOf(null), { domain: [], apiKey: [] });
  });
});
