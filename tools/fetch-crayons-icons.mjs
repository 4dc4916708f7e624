// Vendors Crayons' icon SVGs under .fdk/vendor/crayons-icon so the local runtime can answer
// fw-icon's CDN requests offline. The @freshworks/crayons-icon package cannot be npm-installed
// (it depends on the registry's placeholder "fs" package), so this fetches only its tarball from
// the npm registry with `npm pack` and keeps dist/icons. Best effort: without it, icons stay blank.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@freshworks/crayons-icon@1.3.1';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.fdk', 'vendor', 'crayons-icon');

if (existsSync(join(target, 'dist', 'icons'))) {
  console.log(`Crayons icons: using the copy in ${target}`);
  process.exit(0);
}
console.log(`Crayons icons: fetching ${PACKAGE} from the npm registry (once) …`);
const work = mkdtempSync(join(tmpdir(), 'crayons-icon-'));
try {
  execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], { stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) {
    throw new Error('npm pack wrote no tarball');
  }
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', target, '--strip-components=1', 'package/dist/icons', 'package/package.json']);
  console.log(`Crayons icons vendored under ${target}`);
} catch (error) {
  rmSync(target, { recursive: true, force: true });
  console.warn(`Crayons icons are not available offline (${error.message.split('\n')[0]}); the app works, icons stay blank.`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
