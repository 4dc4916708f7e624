/**
 * `npm start`: starts the local runtime, saying what it is doing, and prints the URL to open.
 * Configuration comes from the environment (PORT, FRESHSERVICE_URL / FRESHSERVICE_DOMAIN /
 * FRESHSERVICE_API_KEY, or SIMULATOR_AGENTS / SIMULATOR_SEED / SIMULATOR_PLAN for the built-in
 * simulator's account); problems that stop it print one line saying what to do, never a stack
 * trace or a secret.
 */
import { stopOnSignals } from '../stop-on-signals';
import { readEnvironment } from './config';
import { startRuntime } from './index';

function isSetupProblem(error: unknown): error is Error {
  return error instanceof Error && /(StartupError|SetupError)$/.test(error.name);
}

async function main(): Promise<void> {
  const environment = readEnvironment(process.env);
  const runtime = await startRuntime({
    ...(environment.port === undefined ? {} : { port: environment.port }),
    ...(environment.freshservice === undefined ? {} : { freshservice: environment.freshservice }),
    ...(environment.simulator === undefined ? {} : { simulator: environment.simulator }),
    progress: (step) => console.log(`runtime: ${step}`),
  });
  // Before printing the URL, so whoever reads it can stop us cleanly at once.
  stopOnSignals(runtime);
  const against = runtime.simulator === null ? `Freshservice at ${environment.freshservice?.url ?? ''}` : `the built-in Freshservice simulator (${runtime.simulator.url})`;
  // performance.now() counts from the process's start, module loading included.
  console.log(`runtime: ready ${(performance.now() / 1000).toFixed(1)} s after node started`);
  console.log(`Local FDK runtime running against ${against}.`);
  console.log(`Open ${runtime.shellUrl}`);
  console.log(`App settings (iparams): ${runtime.shellUrl}/custom_configs · Stop with Ctrl+C`);
}

main().catch((error: unknown) => {
  if (isSetupProblem(error)) {
    console.error(`Cannot start: ${error.message}`);
  } else {
    console.error('Cannot start the local runtime:', error);
  }
  process.exitCode = 1;
});
