// The build behind npm start, npm test, npm run validate and npm run build: compiles the
// TypeScript projects of tsconfig.build.json as `tsc -b` does (incrementally: a project whose
// sources did not change is not compiled again), says what it is doing as it goes, and removes
// outputs whose source file is gone. It never deletes an output that is still current, and it
// writes an output only when its content changed (to a temporary file, then renamed), so an
// `npm start` running from the same folder keeps serving while another command builds.
// `--clean` first deletes every output folder (npm run build:clean, npm run package). Naming
// tsconfig files builds only those (and what they reference), without pruning.
// Plain JavaScript because it runs before anything is compiled (like the other tools/*.mjs).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOLUTION = join(ROOT, 'tsconfig.build.json');
const OUTPUT_EXTENSIONS = ['.d.ts.map', '.js.map', '.d.ts', '.js'];

const started = performance.now();
/** @param {string} line */
const say = (line) => console.log(`build: ${line}`);
const seconds = (/** @type {number} */ since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
/** @param {string} path */
const shown = (path) => relative(ROOT, path) || '.';

/**
 * Every tsconfig the solution reaches, parsed once (the builder reuses them), references first
 * (tsconfig.app.json references tsconfig.common.json).
 * @param {typeof import('typescript')} ts
 * @returns {Map<string, import('typescript').ParsedCommandLine>}
 */
function parseConfigs(ts, /** @type {string} */ configFile) {
  /** @type {Map<string, import('typescript').ParsedCommandLine>} */
  const parsedConfigs = new Map();
  const visit = (/** @type {string} */ file) => {
    if (parsedConfigs.has(file)) {
      return;
    }
    const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) });
    if (parsed === undefined) {
      fail(`${shown(file)} cannot be read`);
    }
    if (parsed.errors.length > 0) {
      fail(ts.formatDiagnostics(parsed.errors, { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' }));
    }
    for (const reference of parsed.projectReferences ?? []) {
      visit(ts.resolveProjectReferencePath(reference));
    }
    parsedConfigs.set(file, parsed);
  };
  visit(configFile);
  return parsedConfigs;
}

/** @param {string} message @returns {never} */
function fail(message) {
  say(message);
  process.exit(1);
}

/** Where a project writes its outputs (outDir, declarationDir). */
function outputFoldersOf(/** @type {import('typescript').ParsedCommandLine} */ project) {
  return [project.options.outDir, project.options.declarationDir].filter((folder) => folder !== undefined);
}

/**
 * A project whose build-info file survived while some of its outputs were deleted (rm -rf
 * server/lib, say) looks up to date to tsc -b; forgetting its build info makes it compile in full.
 * @param {typeof import('typescript')} ts
 */
function forgetBuildsWithMissingOutputs(ts, /** @type {import('typescript').ParsedCommandLine[]} */ projects, /** @type {Set<string>} */ outputs) {
  for (const project of projects) {
    const buildInfo = ts.getTsBuildInfoEmitOutputFilePath(project.options);
    if (buildInfo === undefined || !outputs.has(buildInfo)) {
      continue;
    }
    const expected = project.fileNames.flatMap((file) => ts.getOutputFileNames(project, file, !ts.sys.useCaseSensitiveFileNames));
    const missing = expected.find((file) => !outputs.has(file));
    if (missing !== undefined) {
      say(`${shown(missing)} is missing: ${shown(project.options.configFilePath)} compiles in full`);
      rmSync(buildInfo, { force: true });
    }
  }
}

/**
 * Writes an output only when its content changed, through a temporary file renamed into place,
 * so a server reading the folder meanwhile sees the old file or the new one, never half of one.
 */
function writeWhenChanged(/** @type {string} */ file, /** @type {string} */ data, /** @type {boolean | undefined} */ byteOrderMark) {
  const text = byteOrderMark === true ? `\uFEFF${data}` : data;
  if (!file.endsWith('.tsbuildinfo') && existsSync(file) && readFileSync(file, 'utf8') === text) {
    return;
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/**
 * Compiles what changed in `roots` (tsconfig paths) and the projects they reference (`projects`);
 * returns the number of projects that reported errors.
 * @param {typeof import('typescript')} ts
 */
function compile(ts, /** @type {Map<string, import('typescript').ParsedCommandLine>} */ parsedConfigs, /** @type {import('typescript').ParsedCommandLine[]} */ projects, /** @type {string[]} */ roots) {
  const reportDiagnostic = ts.createDiagnosticReporter(ts.sys, process.stdout.isTTY === true);
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, reportDiagnostic, () => undefined, () => undefined);
  host.writeFile = writeWhenChanged;
  host.getParsedCommandLine = (file) => parsedConfigs.get(resolve(file));
  const builder = ts.createSolutionBuilder(host, roots, {});
  const compiled = new Set();
  let failed = 0;
  for (let project = builder.getNextInvalidatedProject(); project !== undefined; project = builder.getNextInvalidatedProject()) {
    if (project.kind !== ts.InvalidatedProjectKind.Build) {
      project.done();
      continue;
    }
    const config = projects.find((candidate) => candidate.options.configFilePath === project.project);
    const target = config === undefined ? '' : ` → ${outputFoldersOf(config).map((folder) => `${shown(folder)}/`).join(', ')}`;
    const since = performance.now();
    say(`compiling ${shown(project.project)}${target} …`);
    const status = project.done();
    compiled.add(project.project);
    if (status === ts.ExitStatus.Success) {
      say(`compiled ${shown(project.project)} in ${seconds(since)}`);
    } else {
      failed += 1;
      say(`${shown(project.project)} has errors (above)`);
    }
  }
  const current = projects.filter((project) => !compiled.has(project.options.configFilePath)).map((project) => shown(String(project.options.configFilePath)));
  if (current.length > 0) {
    say(`up to date: ${current.join(', ')}`);
  }
  return failed;
}

/** The folders holding every output: build/, server/lib/, app/scripts/ (build/runtime-browser/ is inside build/). */
function outputRoots(/** @type {import('typescript').ParsedCommandLine[]} */ projects) {
  const folders = [...new Set(projects.flatMap(outputFoldersOf))];
  return folders.filter((folder) => !folders.some((other) => other !== folder && folder.startsWith(`${other}${sep}`)));
}

/** Every file under the folders (none for a folder that does not exist). */
function filesUnder(/** @type {string[]} */ folders) {
  return folders
    .filter((folder) => existsSync(folder))
    .flatMap((folder) => readdirSync(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Whether some project compiles a source that still exists into `output`
 * (x.js, x.js.map, x.d.ts, x.d.ts.map <- x.ts or x.tsx under the project's rootDir).
 */
function hasSource(/** @type {import('typescript').ParsedCommandLine[]} */ projects, /** @type {Set<string>} */ sources, /** @type {string} */ output) {
  const extension = OUTPUT_EXTENSIONS.find((candidate) => output.endsWith(candidate));
  if (extension === undefined) {
    return false;
  }
  return projects.some((project) => {
    const rootDir = project.options.rootDir ?? dirname(String(project.options.configFilePath));
    return outputFoldersOf(project)
      .filter((folder) => output.startsWith(`${folder}${sep}`))
      .map((folder) => join(rootDir, output.slice(folder.length, -extension.length)))
      .some((stem) => ['.ts', '.tsx'].some((sourceExtension) => sources.has(`${stem}${sourceExtension}`) || existsSync(`${stem}${sourceExtension}`)));
  });
}

function removeEmptyFolders(/** @type {string} */ folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const path = join(folder, entry.name);
      removeEmptyFolders(path);
      if (readdirSync(path).length === 0) {
        rmdirSync(path);
      }
    }
  }
}

/**
 * Deletes, from every output folder, the files no current source produces: the compiled copy of a
 * deleted or renamed source must not ship (server/lib, app/scripts) nor run (build/tests).
 */
function pruneStaleOutputs(/** @type {import('typescript').ParsedCommandLine[]} */ projects) {
  const roots = outputRoots(projects);
  const sources = new Set(projects.flatMap((project) => project.fileNames));
  const stale = filesUnder(roots).filter((file) => !file.endsWith('.tsbuildinfo') && !hasSource(projects, sources, file));
  for (const file of stale) {
    rmSync(file, { force: true });
  }
  roots.filter((root) => existsSync(root)).forEach(removeEmptyFolders);
  if (stale.length > 0) {
    say(`removed ${stale.length} stale output${stale.length === 1 ? '' : 's'} of deleted sources: ${stale.slice(0, 5).map(shown).join(', ')}${stale.length > 5 ? ', …' : ''}`);
  }
}

function cleanOutputs(/** @type {typeof import('typescript')} */ ts, /** @type {import('typescript').ParsedCommandLine[]} */ projects) {
  const folders = projects.flatMap((project) => [...outputFoldersOf(project), dirname(String(ts.getTsBuildInfoEmitOutputFilePath(project.options)))]);
  for (const folder of new Set(folders)) {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * On a cold build (no build info yet: a fresh clone, --clean) the project with the most files that
 * no other project references compiles in a second process while this one compiles the rest: on
 * two cores that takes about the time of the larger half. The second process is this script.
 * @param {typeof import('typescript')} ts
 * @returns {import('typescript').ParsedCommandLine | undefined}
 */
function projectToCompileBeside(ts, /** @type {import('typescript').ParsedCommandLine[]} */ projects) {
  const referenced = new Set(projects.flatMap((project) => (project.projectReferences ?? []).map((reference) => ts.resolveProjectReferencePath(reference))));
  const [largest] = projects.filter((project) => !referenced.has(String(project.options.configFilePath)) && (project.projectReferences ?? []).length === 0).sort((a, b) => b.fileNames.length - a.fileNames.length);
  const cold = (/** @type {import('typescript').ParsedCommandLine} */ project) => !existsSync(String(ts.getTsBuildInfoEmitOutputFilePath(project.options)));
  return largest !== undefined && cold(largest) && projects.some((project) => project !== largest && cold(project)) ? largest : undefined;
}

/**
 * The named projects and every project they reference.
 * @param {typeof import('typescript')} ts
 */
function withReferences(ts, /** @type {Map<string, import('typescript').ParsedCommandLine>} */ parsedConfigs, /** @type {string[]} */ configs) {
  const reached = new Set();
  const visit = (/** @type {string} */ config) => {
    if (!reached.has(config)) {
      reached.add(config);
      (parsedConfigs.get(config)?.projectReferences ?? []).forEach((reference) => visit(ts.resolveProjectReferencePath(reference)));
    }
  };
  configs.forEach(visit);
  return [...parsedConfigs.values()].filter((project) => reached.has(String(project.options.configFilePath)) && project.fileNames.length > 0);
}

/** Runs this script for one tsconfig; resolves to the number of projects that failed there (0 or 1). */
function compileInSecondProcess(/** @type {string} */ config) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), config, '--beside'], { stdio: 'inherit' });
  return new Promise((done) => child.on('exit', (code) => done(code === 0 ? 0 : 1)));
}

async function main() {
  const args = process.argv.slice(2);
  const clean = args.includes('--clean');
  const named = args.filter((arg) => !arg.startsWith('--')).map((arg) => resolve(arg));
  /** Compiling beside another build.mjs (compileInSecondProcess): that one says what happens. */
  const beside = args.includes('--beside');
  if (!beside) {
    say(clean ? 'deleting every output folder, then compiling everything …' : `compiling what changed since the last build (TypeScript, incremental${named.length > 0 ? `: ${named.map(shown).join(', ')}` : ''}) …`);
  }
  // require, not import: Node's ESM loader would first scan all of typescript.js for its exports.
  /** @type {typeof import('typescript')} */
  const ts = createRequire(import.meta.url)('typescript');
  const parsedConfigs = parseConfigs(ts, SOLUTION);
  const projects = [...parsedConfigs.values()].filter((project) => project.fileNames.length > 0);
  const unknown = named.find((config) => !parsedConfigs.has(config));
  if (unknown !== undefined) {
    fail(`${shown(unknown)} is not a project of ${shown(SOLUTION)}`);
  }
  const selected = named.length === 0 ? projects : withReferences(ts, parsedConfigs, named);
  if (clean) {
    cleanOutputs(ts, projects);
  } else {
    const buildInfoFolders = projects.map((project) => dirname(String(ts.getTsBuildInfoEmitOutputFilePath(project.options))));
    forgetBuildsWithMissingOutputs(ts, selected, new Set(filesUnder([...outputRoots(projects), ...buildInfoFolders])));
  }
  const other = named.length === 0 ? projectToCompileBeside(ts, projects) : undefined;
  const mine = selected.filter((project) => project !== other);
  const roots = named.length > 0 ? named : other === undefined ? [SOLUTION] : mine.map((project) => String(project.options.configFilePath));
  const elsewhere = other === undefined ? Promise.resolve(0) : compileInSecondProcess(String(other.options.configFilePath));
  const failed = compile(ts, parsedConfigs, mine, roots) + (await elsewhere);
  if (named.length === 0) {
    pruneStaleOutputs(projects);
  }
  if (failed > 0) {
    fail(`failed: ${failed} project${failed === 1 ? '' : 's'} with errors (${seconds(started)})`);
  }
  if (!beside) {
    say(`done in ${seconds(started)}`);
  }
}

await main();
