import { strict as assert } from 'node:assert';
import { describeRunning, parseCliArgs } from '../../../dev/simulator/cli';
import { SimulatorSetupError, startSimulator } from '../../../dev/simulator/index';

function options(argv: string[]) {
  const command = parseCliArgs(argv);
  assert.equal(command.kind, 'start');
  return command.kind === 'start' ? command.options : {};
}

function refusal(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    assert.ok(error instanceof SimulatorSetupError);
    return error.message;
  }
  assert.fail(`${argv.join(' ')} was accepted`);
}

describe('simulator CLI arguments', () => {
  it('defaults to port 4010 and the demo account', () => {
    assert.deepEqual(options([]), { port: 4010, faults: {} });
  });

  it('takes the documented example: --port 4010 --agents 500 --seed 7 --plan pro', () => {
    assert.deepEqual(options(['--port', '4010', '--agents', '500', '--seed', '7', '--plan', 'pro']), { port: 4010, agents: 500, seed: 7, plan: 'pro', faults: {} });
  });

  it('takes --port 0, an account file and faults', () => {
    assert.deepEqual(options(['--port', '0', '--account', 'a.json', '--latency-ms', '25', '--error-rate', '0.1', '--host', '::1']), {
      port: 0,
      host: '::1',
      accountFile: 'a.json',
      faults: { latencyMs: 25, errorRate: 0.1 },
    });
  });

  it('answers --help', () => {
    assert.deepEqual(parseCliArgs(['--help']), { kind: 'help' });
  });

  const bad: [string[], RegExp][] = [
    [['--port', 'abc'], /--port takes a whole number/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--agents', '0'], /--agents must be between 1 and 50000/],
    [['--agents', '60000'], /--agents must be between 1 and 50000/],
    [['--plan', 'gold'], /--plan must be one of starter, growth, pro, enterprise/],
    [['--error-rate', '1.5'], /--error-rate takes a share between 0 and 1/],
    [['--agents', '5', '--account', 'a.json'], /either --agents .* or --account/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port'], /argument missing|--port/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')} saying what to do`, () => {
      assert.match(refusal(argv), message);
    });
  }

  it('prints the URL, the account and every demo key once started', async () => {
    const sim = await startSimulator();
    try {
      const text = describeRunning(sim);
      assert.ok(text.includes(`listening on ${sim.url}`));
      assert.ok(text.includes(`${sim.url}/api/v2`));
      sim.keys.forEach((key) => assert.ok(text.includes(key.key) && text.includes(key.label), key.label));
    } finally {
      await sim.stop();
    }
  });
});
