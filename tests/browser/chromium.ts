/**
 * Chromium for every browser test (the widget's and the local runtime's): Debian's build at
 * /usr/bin/chromium, or CHROMIUM_PATH read as tools/ensure-chromium.mjs reads it, driven by
 * playwright-core (never a downloaded browser), and kept offline.
 */
import { chromium, type Browser } from 'playwright-core';

/** An empty CHROMIUM_PATH counts as unset, as in tools/ensure-chromium.mjs. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Offline by the browser's own settings, with no request interception (routing every request
 * through playwright-core costs each page load about a tenth of its time): every connection goes
 * to a proxy on a closed local port, so it fails at once, except to this machine's two names (the
 * runtime's shell on localhost, the app on 127.0.0.1). A test never depends on the network (a
 * missing vendored icon copy, for one, would otherwise send fw-icon to cdn.jsdelivr.net).
 */
export const OFFLINE_ARGS = ['--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=localhost;127.0.0.1'];

/** `extraArgs` adds Chromium switches (tests/browser/app-coverage.ts's COVERAGE_CHROMIUM_ARGS, for one). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...OFFLINE_ARGS, ...extraArgs] });
}
