/** FDK's template substitution: `<%= expression %>`. */
const SUBSTITUTION = /<%=([\s\S]*?)%>/g;
const STRING_LITERAL = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
const REFERENCE = /[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*/g;

/** What a template may substitute (platform notes, section 3). */
export const SUBSTITUTION_ROOTS = ['iparam', 'context', 'current_host', 'access_token', 'encode'] as const;

export function expressionsIn(text: string): string[] {
  return Array.from(text.matchAll(SUBSTITUTION), (match) => (match[1] ?? '').trim());
}

/** The dotted names an expression reads, ignoring string literals such as the `':X'` of Basic auth. */
export function referencesIn(expression: string): string[][] {
  const withoutStrings = expression.replace(STRING_LITERAL, '""');
  return Array.from(withoutStrings.matchAll(REFERENCE), (match) => match[0].split('.').map((part) => part.trim()));
}

/** Replaces every substitution with a stand-in label, so the literal rest of a host can be checked. */
export function withoutSubstitutions(text: string, standIn: string): string {
  return text.replace(SUBSTITUTION, standIn);
}

export function hasSubstitution(text: string): boolean {
  return expressionsIn(text).length > 0;
}
