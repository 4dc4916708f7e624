import { builtinModules } from 'node:module';
import { fileExists, readText } from './files';
import { error, type Problem } from './problems';
import { MANIFEST_FILE } from './config';
import type { Manifest } from './schemas/manifest';

const REQUIRE = /\brequire\(\s*(['"`])([^'"`]+)\1\s*\)/g;

export interface PackageUse {
  file: string;
  name: string;
}

/** `zod/v4` -> `zod`, `@scope/pkg/x` -> `@scope/pkg`, `node:fs` stays as is. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/');
}

/** Every non-relative `require('x')` in the given server files. */
export function findPackageUses(root: string, files: readonly string[]): PackageUse[] {
  return files.flatMap((file) =>
    Array.from(readText(root, file).matchAll(REQUIRE), (match) => match[2] ?? '')
      .filter((specifier) => !isRelative(specifier))
      .map((specifier) => ({ file, name: packageNameOf(specifier) })),
  );
}

function installedVersion(root: string, name: string): string | undefined {
  const file = `node_modules/${name}/package.json`;
  if (!fileExists(root, file)) {
    return undefined;
  }
  const version: unknown = (JSON.parse(readText(root, file)) as { version?: unknown }).version;
  return typeof version === 'string' ? version : undefined;
}

function undeclaredMessage(name: string): string {
  const builtin = name.startsWith('node:') || builtinModules.includes(name);
  return builtin
    ? `"${name}" is a Node built-in, which FDK's sandbox does not provide; remove this require`
    : `"${name}" is required but not declared in ${MANIFEST_FILE} dependencies; add it with the exact installed version`;
}

function checkDeclaredVersions(root: string, declared: Record<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, version] of Object.entries(declared)) {
    const installed = installedVersion(root, name);
    if (installed === undefined) {
      problems.push(error(MANIFEST_FILE, 'dependencies/not-installed', `dependency "${name}" is not installed in node_modules; run npm install`));
    } else if (installed !== version) {
      problems.push(error(MANIFEST_FILE, 'dependencies/version-mismatch', `dependency "${name}" is declared as ${version} but ${installed} is installed; declare exactly ${installed}`));
    }
  }
  return problems;
}

/** What server code requires and what the manifest declares must match, with exact installed versions. */
export function checkDependencies(root: string, manifest: Manifest, serverFiles: readonly string[]): Problem[] {
  const declared = manifest.dependencies ?? {};
  const uses = findPackageUses(root, serverFiles);
  const problems: Problem[] = uses
    .filter((use) => !Object.hasOwn(declared, use.name))
    .map((use) => error(use.file, 'dependencies/undeclared', undeclaredMessage(use.name)));
  const used = new Set(uses.map((use) => use.name));
  for (const name of Object.keys(declared).filter((candidate) => !used.has(candidate))) {
    problems.push(error(MANIFEST_FILE, 'dependencies/unused', `dependency "${name}" is declared but no server file requires it; remove it from ${MANIFEST_FILE}`));
  }
  return [...problems, ...checkDeclaredVersions(root, declared)];
}
