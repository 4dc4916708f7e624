import { strict as assert } from 'node:assert';
import { demoAccountFacts, startSimulator, type RunningSimulator } from '../../../dev/simulator/index';
import { bodyOf, call } from './http';

const ADMIN = demoAccountFacts().keys.accountAdmin;

interface ValidationBody {
  description: string;
  errors: { field: string; message: string; code: string }[];
}

describe('simulator API: bad query values and unknown parameters answer Freshservice\'s 400 validation body', () => {
  let sim: RunningSimulator;
  const errorsFor = async (path: string) => {
    const response = await call(`${sim.url}/api/v2${path}`, { key: ADMIN });
    assert.equal(response.status, 400, `${path} answers 400`);
    const body = bodyOf<ValidationBody>(response);
    assert.equal(body.description, 'Validation failed');
    return body.errors;
  };

  before(async () => {
    sim = await startSimulator();
  });
  after(() => sim.stop());
  beforeEach(() => sim.resetRateLimits());

  const cases: [string, string][] = [
    ['/agents?page=-1', 'page'],
    ['/agents?page=0', 'page'],
    ['/agents?page=abc', 'page'],
    ['/agents?per_page=abc', 'per_page'],
    ['/agents?per_page=101', 'per_page'],
    ['/agents?per_page=0', 'per_page'],
    ['/agents?per_page=-5', 'per_page'],
    ['/agents?active=yes', 'active'],
    ['/agents?state=parttime', 'state'],
    ['/agents?email=not-an-email', 'email'],
    ['/roles?per_page=500', 'per_page'],
    ['/roles?page=1.5', 'page'],
  ];
  for (const [path, field] of cases) {
    it(`rejects ${path} with an error on ${field}`, async () => {
      const errors = await errorsFor(path);
      assert.deepEqual(errors.map((error) => error.field), [field]);
      assert.equal(errors[0]?.code, 'invalid_value');
      assert.ok((errors[0]?.message.length ?? 0) > 0);
    });
  }

  it('says per_page may be at most 100', async () => {
    const [error] = await errorsFor('/agents?per_page=101');
    assert.match(error?.message ?? '', /less than or equal to 100/);
  });

  it('reports every bad field at once, one error each', async () => {
    const errors = await errorsFor('/agents?page=-1&per_page=abc&active=maybe&state=x');
    assert.deepEqual(errors.map((error) => error.field).sort(), ['active', 'page', 'per_page', 'state']);
  });

  it('rejects a filter query it cannot read on query, instead of ignoring the filter', async () => {
    for (const query of ["first_name:'Ana'", "%22favourite_colour%3A'blue'%22", "%22first_name%3A'Ana'%20AND%22"]) {
      const errors = await errorsFor(`/agents?query=${query}`);
      assert.deepEqual(errors.map((error) => [error.field, error.code]), [['query', 'invalid_value']], query);
    }
  });

  it('rejects the requester filters it does not simulate (query, include_agents) rather than ignore them', async () => {
    for (const field of ['query', 'include_agents']) {
      const errors = await errorsFor(`/requesters?${field}=true`);
      assert.deepEqual(errors.map((error) => error.field), [field]);
      assert.match(errors[0]?.message ?? '', /simulator/);
    }
  });

  it('accepts page and per_page at their bounds', async () => {
    const response = await call(`${sim.url}/api/v2/agents?page=1&per_page=100`, { key: ADMIN });
    assert.equal(response.status, 200);
  });

  describe('a query parameter the endpoint does not take answers Freshservice\'s 400 invalid_field', () => {
    const facts = demoAccountFacts();
    const endpoints = [
      '/agents',
      '/agents/me',
      `/agents/${String(facts.accountAdminIds[0])}`,
      '/roles',
      `/roles/${String(facts.adminRoleId)}`,
      '/requesters',
      `/requesters/${String(facts.requesterIds[0])}`,
    ];
    for (const endpoint of endpoints) {
      it(`GET ${endpoint}?include=stats answers the captured body`, async () => {
        const response = await call(`${sim.url}/api/v2${endpoint}?include=stats`, { key: ADMIN });
        assert.equal(response.status, 400);
        assert.equal(response.body, '{"description":"Validation failed","errors":[{"field":"include","message":"Unexpected/invalid field in request","code":"invalid_field"}]}');
      });
    }

    it('names every unknown field, with bad values, in the order the query has them', async () => {
      const response = await call(`${sim.url}/api/v2/agents?per_page=0&sort=name&active=true&order_by=id`, { key: ADMIN });
      const { errors } = bodyOf<ValidationBody>(response);
      assert.deepEqual(
        errors.map((error) => [error.field, error.code]),
        [
          ['per_page', 'invalid_value'],
          ['sort', 'invalid_field'],
          ['order_by', 'invalid_field'],
        ],
      );
    });

    it('takes paging on the single-record endpoints as unknown too: they are not lists', async () => {
      const response = await call(`${sim.url}/api/v2/agents/me?page=1`, { key: ADMIN });
      assert.deepEqual(bodyOf<ValidationBody>(response).errors.map((error) => error.code), ['invalid_field']);
    });

    const documented: [string, string][] = [
      ['/agents', 'page=1&per_page=5&active=true&state=fulltime&email=ana.souza%40demo-corp.example&mobile_phone_number=1&work_phone_number=2&query=%22first_name%3A%27Ana%27%22'],
      ['/roles', 'page=1&per_page=5'],
      ['/requesters', 'page=1&per_page=5&active=true&email=grace.okonkwo%40demo-corp.example&mobile_phone_number=1&work_phone_number=2'],
    ];
    for (const [endpoint, query] of documented) {
      it(`accepts every documented parameter of GET ${endpoint}`, async () => {
        const response = await call(`${sim.url}/api/v2${endpoint}?${query}`, { key: ADMIN });
        assert.equal(response.status, 200, response.body);
      });
    }
  });
});
