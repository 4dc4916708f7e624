/** One finding of the validator: which file, which rule, and what to do about it. */
export interface Problem {
  /** Path relative to the app root, with forward slashes. */
  file: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

export function error(file: string, rule: string, message: string): Problem {
  return { file, rule, message, severity: 'error' };
}

export function warning(file: string, rule: string, message: string): Problem {
  return { file, rule, message, severity: 'warning' };
}

/** `<file>: <rule>: <message>`; warnings say so, because they do not fail the run. */
export function formatProblem(problem: Problem): string {
  const prefix = problem.severity === 'warning' ? 'warning: ' : '';
  return `${problem.file}: ${problem.rule}: ${prefix}${problem.message}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((problem) => problem.severity === 'error');
}
