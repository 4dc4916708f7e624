import { copyFileSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageContents } from './contents';

export interface StagedFile {
  path: string;
  bytes: number;
}

/**
 * Copies what `fdk pack` should see into a fresh `stageDir` and links the repository's
 * node_modules there: fdk pack runs the unit tests in that folder, and our validator checks the
 * manifest's dependencies against it. FDK leaves node_modules out of the package it writes.
 */
export function stageApp(repoRoot: string, stageDir: string): StagedFile[] {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const staged = packageContents(repoRoot).map((path) => {
    const target = join(stageDir, path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(repoRoot, path), target);
    return { path, bytes: statSync(target).size };
  });
  // 'junction' lets Windows link a folder without admin rights; elsewhere the type is ignored.
  symlinkSync(join(repoRoot, 'node_modules'), join(stageDir, 'node_modules'), 'junction');
  return staged;
}

/** What the unit-test run leaves in the staged folder: fdk pack runs the tests again itself. */
const UNIT_TEST_OUTPUT = ['build', 'coverage'];

export function removeUnitTestOutput(stageDir: string): void {
  for (const dir of UNIT_TEST_OUTPUT) {
    rmSync(join(stageDir, dir), { recursive: true, force: true });
  }
}
