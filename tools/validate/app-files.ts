import { directoryExists, fileExists, listFiles, readText } from './files';
import { error, warning, type Problem } from './problems';
import { MANIFEST_FILE } from './config';
import { eventHandlersOf, locationsOf, type Manifest } from './schemas/manifest';
import { readServerExports, SERVER_FILE } from './server-exports';

/** Folders that must exist after `npm run build`: FDK ships them, they are not committed. */
export const BUILT_OUTPUT = ['server/lib', 'app/scripts'] as const;

export function checkBuildOutput(root: string): Problem[] {
  return BUILT_OUTPUT.filter((dir) => !directoryExists(root, dir)).map((dir) =>
    error(dir, 'build/missing-output', `${dir}/ does not exist; run \`npm run build\` first (it compiles the TypeScript that FDK ships)`),
  );
}

/** Every manifest function must be exported by server.js, and every export must be a manifest function or event handler. */
export function checkServerFunctions(root: string, manifest: Manifest): Problem[] {
  const declared = Object.keys(manifest.modules.common?.functions ?? {});
  const handlers = eventHandlersOf(manifest);
  if (!fileExists(root, SERVER_FILE)) {
    return declared.length + handlers.length === 0
      ? []
      : [error(SERVER_FILE, 'functions/missing-server', `${MANIFEST_FILE} declares server methods or event handlers but server/server.js does not exist`)];
  }
  const exported = readServerExports(readText(root, SERVER_FILE));
  const names = new Set(exported.names);
  const problems = [...exported.problems];
  for (const name of declared.filter((candidate) => !names.has(candidate))) {
    problems.push(error(SERVER_FILE, 'functions/missing-export', `manifest function "${name}" is not a key of server.js's \`exports = { ... }\`; add "${name}: function (args) { ... }"`));
  }
  for (const name of handlers.filter((candidate) => !names.has(candidate))) {
    problems.push(error(SERVER_FILE, 'events/missing-handler', `event handler "${name}" named in ${MANIFEST_FILE} is not a key of server.js's exports`));
  }
  const known = new Set([...declared, ...handlers]);
  // Only a warning: Freshworks' own app templates keep helpers inside `exports` (called as this.name).
  for (const name of exported.names.filter((candidate) => !known.has(candidate))) {
    problems.push(warning(SERVER_FILE, 'functions/undeclared-export', `exports.${name} is not declared in ${MANIFEST_FILE} modules.common.functions (or as an event handler), so nothing can invoke it; declare it, or move the helper after the exports block`));
  }
  return problems;
}

/** Each location's page and icon must exist under app/. */
export function checkLocations(root: string, manifest: Manifest): Problem[] {
  const problems: Problem[] = [];
  for (const location of locationsOf(manifest)) {
    for (const [what, file] of [['url', location.url], ['icon', location.icon]] as const) {
      if (!fileExists(root, `app/${file}`)) {
        problems.push(error(MANIFEST_FILE, 'location/missing-file', `${location.module}.location.${location.placeholder}.${what} points to app/${file}, which does not exist`));
      }
    }
  }
  return problems;
}

const UNPKG = /unpkg\.com/i;

/** FDK's review rejects scripts or styles served from unpkg.com anywhere in the app. */
export function checkUnpkg(root: string): Problem[] {
  const files = ['app', 'server', 'config'].flatMap((dir) => listFiles(root, dir));
  return files
    .filter((file) => UNPKG.test(readText(root, file)))
    .map((file) => error(file, 'security/unpkg', 'this file refers to unpkg.com, which FDK rejects; serve the file from the app itself or from cdn.jsdelivr.net'));
}
