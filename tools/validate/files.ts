import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** A path relative to the app root, always with `/`, as FDK and our messages show it. */
export function relativePath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

/** Every file under `dir` (relative to root), skipping node_modules and dot folders like FDK's .fdk. */
export function listFiles(root: string, dir: string): string[] {
  const start = join(root, dir);
  if (!existsSync(start) || !statSync(start).isDirectory()) {
    return [];
  }
  const found: string[] = [];
  const pending = [start];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) {
        pending.push(full);
      } else if (entry.isFile()) {
        found.push(relativePath(root, full));
      }
    }
  }
  return found.sort();
}

export function listJsFiles(root: string, dir: string): string[] {
  return listFiles(root, dir).filter((file) => file.endsWith('.js'));
}

export function readText(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

export function fileExists(root: string, file: string): boolean {
  const full = join(root, file);
  return existsSync(full) && statSync(full).isFile();
}

export function directoryExists(root: string, dir: string): boolean {
  const full = join(root, dir);
  return existsSync(full) && statSync(full).isDirectory();
}
