/**
 * Chromium for every browser test (the widget's and the local runtime's): Debian's build at
 * /usr/bin/chromium, or CHROMIUM_PATH read as tools/ensure-chromium.mjs reads it, driven by
 * playwright-core (never a downloaded browser), and kept offline.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** An empty CHROMIUM_PATH counts as unset, as in tools/ensure-chromium.mjs. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The runtime's two origins: the shell on localhost, the app on 127.0.0.1. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** `extraArgs` adds Chromium switches (tests/browser/app-coverage.ts needs two). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Aborts every request that is not for this machine, so a test never depends on the network
 * (a missing vendored icon copy, for one, would otherwise send fw-icon to cdn.jsdelivr.net).
 * Returns the list of URLs it refused, filled as they happen.
 */
export async function keepOffline(context: BrowserContext): Promise<string[]> {
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL_HOSTS.has(new URL(url).hostname)) {
      return route.continue();
    }
    refused.push(url);
    return route.abort();
  });
  return refused;
}
