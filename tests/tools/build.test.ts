import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** build/tests/tools/ -> the repository root. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * A small repository laid out like this one: tools/build.mjs (a copy of ours) over a solution of
 * two projects, `lib` (src/ -> out/lib/) and `web` (web/ -> out/web/), web reading lib's types
 * through a referenced composite project, as tsconfig.app.json reads common/ through
 * tsconfig.common.json.
 */
const FIXTURE: Record<string, unknown> = {
  'tsconfig.build.json': { files: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.web.json' }] },
  'tsconfig.base.json': { compilerOptions: { strict: true, skipLibCheck: true, target: 'ES2022', lib: ['ES5'], types: [], module: 'node16', moduleResolution: 'node16' } },
  'tsconfig.lib.json': {
    extends: './tsconfig.base.json',
    compilerOptions: { rootDir: 'src', outDir: 'out/lib', incremental: true, tsBuildInfoFile: 'out/info/lib.tsbuildinfo' },
    include: ['src/**/*.ts'],
  },
  'tsconfig.types.json': {
    extends: './tsconfig.base.json',
    compilerOptions: { composite: true, emitDeclarationOnly: true, rootDir: 'src', outDir: 'out/types', tsBuildInfoFile: 'out/info/types.tsbuildinfo' },
    include: ['src/**/*.ts'],
  },
  'tsconfig.web.json': {
    extends: './tsconfig.base.json',
    compilerOptions: { rootDir: 'web', outDir: 'out/web', incremental: true, tsBuildInfoFile: 'out/info/web.tsbuildinfo' },
    include: ['web/**/*.ts'],
    references: [{ path: './tsconfig.types.json' }],
  },
  'src/greeting.ts': "export type Mood = 'calm' | 'glad';\nexport function greet(name: string): string {\n  return `Hello ${name}`;\n}\n",
  'src/count.ts': 'export const count = 1;\n',
  'src/leftover.ts': 'export const leftover = true;\n',
  'web/page.ts': "import type { Mood } from '../src/greeting';\nexport const moods: Record<Mood, string> = { calm: 'Calm', glad: 'Glad' };\n",
};

interface Built {
  status: number | null;
  output: string;
}

describe('tools/build.mjs (npm run build: incremental, never deleting what is current)', function () {
  this.timeout(120_000);
  /** The fixture, built once; each test starts from a copy (timestamps kept, so the copy is up to date). */
  let built0: string;
  let first: string;
  let root: string;

  const path = (relative: string): string => join(root, relative);
  const write = (relative: string, content: string): void => {
    mkdirSync(dirname(path(relative)), { recursive: true });
    writeFileSync(path(relative), content);
  };
  const build = (...args: string[]): Built => {
    const result = spawnSync(process.execPath, [path('tools/build.mjs'), ...args], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const built = (...args: string[]): string => {
    const result = build(...args);
    assert.equal(result.status, 0, result.output);
    return result.output;
  };
  /** What tells a file rewritten in place, replaced by a rename, or left alone apart. */
  const identity = (relative: string): string => {
    const stats = statSync(path(relative));
    return `${stats.ino}:${stats.mtimeMs}`;
  };

  before(() => {
    built0 = mkdtempSync(join(tmpdir(), 'build-tool-'));
    root = built0;
    for (const [file, content] of Object.entries(FIXTURE)) {
      write(file, typeof content === 'string' ? content : JSON.stringify(content));
    }
    mkdirSync(path('tools'));
    copyFileSync(join(REPO_ROOT, 'tools', 'build.mjs'), path('tools/build.mjs'));
    symlinkSync(join(REPO_ROOT, 'node_modules'), path('node_modules'), 'dir');
    first = built();
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-tool-'));
    cpSync(built0, root, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));
  after(() => rmSync(built0, { recursive: true, force: true }));

  it('compiles every project, then, with nothing changed, compiles nothing and leaves every output as it was', () => {
    assert.match(first, /compiling tsconfig\.lib\.json → out\/lib\//);
    assert.match(first, /compiling tsconfig\.web\.json → out\/web\//);
    const outputs = ['out/lib/greeting.js', 'out/lib/count.js', 'out/web/page.js', 'out/types/greeting.d.ts'];
    const before = outputs.map(identity);

    const second = built();
    assert.doesNotMatch(second, /compiling tsconfig/);
    assert.match(second, /up to date: tsconfig\.lib\.json, tsconfig\.types\.json, tsconfig\.web\.json/);
    assert.deepEqual(outputs.map(identity), before);
  });

  it('writes only outputs whose content changed, each by renaming a complete new file into place', () => {
    const count = identity('out/lib/count.js');
    const greeting = identity('out/lib/greeting.js');

    write('src/greeting.ts', "export type Mood = 'calm' | 'glad';\nexport function greet(name: string): string {\n  return `Hi ${name}`;\n}\n");

    assert.match(built(), /compiling tsconfig\.lib\.json/);
    assert.match(readFileSync(path('out/lib/greeting.js'), 'utf8'), /Hi \$\{name\}/);
    assert.notEqual(statSync(path('out/lib/greeting.js')).ino, Number(greeting.split(':')[0]), 'a changed output is a new file renamed into place, not rewritten in place');
    assert.equal(identity('out/lib/count.js'), count);
  });

  it('removes the outputs of a deleted source, and only those', () => {
    assert.ok(existsSync(path('out/lib/leftover.js')));
    rmSync(path('src/leftover.ts'));

    const output = built();
    assert.match(output, /removed 2 stale outputs of deleted sources: out\/lib\/leftover\.js, out\/types\/leftover\.d\.ts/);
    assert.ok(!existsSync(path('out/lib/leftover.js')));
    assert.ok(!existsSync(path('out/types/leftover.d.ts')));
    for (const kept of ['out/lib/greeting.js', 'out/lib/count.js', 'out/web/page.js', 'out/types/greeting.d.ts']) {
      assert.ok(existsSync(path(kept)), kept);
    }
  });

  it('compiles a project in full when its outputs were deleted but its build info was kept', () => {
    rmSync(path('out/lib'), { recursive: true });

    assert.match(built(), /out\/lib\/.*\.js is missing: tsconfig\.lib\.json compiles in full/);
    assert.ok(existsSync(path('out/lib/greeting.js')));
    assert.ok(existsSync(path('out/lib/count.js')));
  });

  it('compiles a project again when a project it references changes, and fails with the compiler\'s error', () => {
    const javascript = identity('out/lib/greeting.js');
    write('src/greeting.ts', "export type Mood = 'calm' | 'glad' | 'grim';\nexport function greet(name: string): string {\n  return `Hello ${name}`;\n}\n");

    const result = build();
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /web\/page\.ts.*error TS2741: Property 'grim' is missing/);
    assert.match(result.output, /failed: 1 project with errors/);
    assert.equal(identity('out/lib/greeting.js'), javascript, 'only a type changed: the same JavaScript is not written again');
  });

  it('with --clean, deletes every output folder and compiles everything again', () => {
    write('out/lib/stray.txt', 'not an output');
    const output = built('--clean');
    assert.match(output, /compiling tsconfig\.lib\.json/);
    assert.match(output, /compiling tsconfig\.types\.json/);
    assert.match(output, /compiling tsconfig\.web\.json/);
    assert.ok(!existsSync(path('out/lib/stray.txt')));
    assert.ok(existsSync(path('out/web/page.js')));
  });
});
