import { checkBuildOutput, checkLocations, checkServerFunctions, checkUnpkg } from './app-files';
import { checkConfig, type AppConfig } from './config';
import { checkDependencies } from './dependencies';
import { listFiles, listJsFiles } from './files';
import { lintFdkFiles } from './lint';
import { formatProblem, type Problem } from './problems';
import { checkTemplates } from './templates';

export interface ValidationReport {
  problems: Problem[];
  lintedFileCount: number;
}

/** Checks that need a manifest that passed its schema; skipped otherwise, since its errors are already reported. */
function crossCheck(root: string, config: AppConfig, serverFiles: string[], appFiles: string[]): Problem[] {
  const { manifest, requests } = config;
  if (manifest === undefined) {
    return [];
  }
  // The install page (config/iparams.html and config/assets) may invoke templates too.
  const installPage = listFiles(root, 'config').filter((file) => /\.(?:js|html)$/.test(file));
  const templates = requests === undefined ? [] : checkTemplates(root, manifest, requests, [...serverFiles, ...appFiles, ...installPage]);
  return [
    ...templates,
    ...checkServerFunctions(root, manifest),
    ...checkLocations(root, manifest),
    ...checkDependencies(root, manifest, serverFiles),
  ];
}

function withoutDuplicates(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const line = formatProblem(problem);
    const isNew = !seen.has(line);
    seen.add(line);
    return isNew;
  });
}

/**
 * Validates the FDK app at `root` the way `fdk validate` would, but with a result a script can
 * rely on: schemas, cross-checks between files, and FDK's lint rules on the built JavaScript.
 */
export async function validateApp(root: string): Promise<ValidationReport> {
  const { config, problems: configProblems } = checkConfig(root);
  const serverFiles = listJsFiles(root, 'server');
  const appFiles = listJsFiles(root, 'app');
  // FDK lints the install page's scripts (config/assets/iparams.js) like app code.
  const installPageScripts = listJsFiles(root, 'config');
  const lint = await lintFdkFiles(root, [...serverFiles, ...appFiles, ...installPageScripts]);
  const problems = [
    ...checkBuildOutput(root),
    ...configProblems,
    ...crossCheck(root, config, serverFiles, appFiles),
    ...checkUnpkg(root),
    ...lint.problems,
  ];
  return { problems: withoutDuplicates(problems), lintedFileCount: lint.lintedFileCount };
}
