import { strict as assert } from 'node:assert';
import { demoAccountFacts, startSimulator, type RunningSimulator } from '../../../dev/simulator/index';
import { bodyOf, call } from './http';

const ADMIN = demoAccountFacts().keys.accountAdmin;

interface ValidationBody {
  description: string;
  errors: { field: string; message: string; code: string }[];
}

describe('simulator API: bad query values answer Freshservice\'s 400 validation body', () => {
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

  it('refuses the query filter it does not implement instead of ignoring it', async () => {
    const errors = await errorsFor("/agents?query=%22first_name%3A'Ana'%22");
    assert.equal(errors[0]?.field, 'query');
  });

  it('accepts page and per_page at their bounds', async () => {
    const response = await call(`${sim.url}/api/v2/agents?page=1&per_page=100`, { key: ADMIN });
    assert.equal(response.status, 200);
  });
});
