// Installs Debian's chromium (and fonts for readable screenshots) when the browser tests need it
// and it is missing. Never downloads a browser build of its own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-liberation', 'fonts-dejavu-core', 'fonts-noto-color-emoji'];

if (existsSync(CHROMIUM)) {
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`Chromium is missing at ${CHROMIUM}. Install it with: sudo apt-get install -y ${PACKAGES.join(' ')}`);
  process.exit(1);
}
console.log(`Installing Debian's chromium for the browser tests: apt-get install ${PACKAGES.join(' ')}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], { stdio: 'inherit', env });
