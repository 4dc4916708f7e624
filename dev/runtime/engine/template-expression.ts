/**
 * The expressions FDK accepts inside `<%= ... %>` in request templates: member access
 * (`iparam.domain`, `context.page`, `current_host.endpoint_urls.freshservice`), string literals,
 * `+` concatenation and `encode(...)` (Base64). Parsed and evaluated here, never with eval.
 */

export type TemplateExpression =
  | { kind: 'text'; value: string }
  | { kind: 'member'; root: string; keys: string[] }
  | { kind: 'encode'; argument: TemplateExpression }
  | { kind: 'concat'; parts: TemplateExpression[] };

/** A template the platform refuses to render; becomes a 400 with errorSource PLATFORM. */
export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

type Token = { kind: 'name' | 'string' | 'symbol'; text: string };

const TOKEN_PATTERN = /\s*(?:([A-Za-z_$][\w$]*)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|([.+(),]))/y;

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, '$1');
}

function toToken(match: RegExpExecArray): Token {
  if (match[1] !== undefined) {
    return { kind: 'name', text: match[1] };
  }
  if (match[4] !== undefined) {
    return { kind: 'symbol', text: match[4] };
  }
  return { kind: 'string', text: unescape(match[2] ?? match[3] ?? '') };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_PATTERN.lastIndex = 0;
  while (source.slice(TOKEN_PATTERN.lastIndex).trim() !== '') {
    const at = TOKEN_PATTERN.lastIndex;
    const match = TOKEN_PATTERN.exec(source);
    if (match === null) {
      throw new TemplateRenderError(`unsupported syntax in "<%= ${source} %>" at "${source.slice(at).trim()}"`);
    }
    tokens.push(toToken(match));
  }
  return tokens;
}

class ExpressionParser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): TemplateExpression {
    const expression = this.concatenation();
    if (this.position < this.tokens.length) {
      this.fail(`unexpected "${this.tokens[this.position]?.text ?? ''}"`);
    }
    return expression;
  }

  private concatenation(): TemplateExpression {
    const parts = [this.operand()];
    while (this.peek('+')) {
      this.position += 1;
      parts.push(this.operand());
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : { kind: 'concat', parts };
  }

  private operand(): TemplateExpression {
    const token = this.next();
    if (token.kind === 'string') {
      return { kind: 'text', value: token.text };
    }
    if (token.kind !== 'name') {
      return this.fail(`unexpected "${token.text}"`);
    }
    if (token.text === 'encode' && this.peek('(')) {
      return this.encodeCall();
    }
    return { kind: 'member', root: token.text, keys: this.memberKeys() };
  }

  private encodeCall(): TemplateExpression {
    this.expect('(');
    const argument = this.concatenation();
    this.expect(')');
    return { kind: 'encode', argument };
  }

  private memberKeys(): string[] {
    const keys: string[] = [];
    while (this.peek('.')) {
      this.position += 1;
      const key = this.next();
      if (key.kind !== 'name') {
        this.fail(`expected a property name after "."`);
      }
      keys.push(key.text);
    }
    return keys;
  }

  private peek(symbol: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'symbol' && token.text === symbol;
  }

  private expect(symbol: string): void {
    if (!this.peek(symbol)) {
      this.fail(`expected "${symbol}"`);
    }
    this.position += 1;
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token === undefined) {
      return this.fail('the expression ends too early');
    }
    this.position += 1;
    return token;
  }

  private fail(reason: string): never {
    throw new TemplateRenderError(`cannot render "<%= ${this.source.trim()} %>": ${reason}`);
  }
}

export function parseTemplateExpression(source: string): TemplateExpression {
  return new ExpressionParser(tokenize(source), source).parse();
}

/** Resolves `root.key.key` to a string, or throws a TemplateRenderError saying why it may not. */
export type MemberResolver = (root: string, keys: string[]) => string;

export function evaluateTemplateExpression(expression: TemplateExpression, resolve: MemberResolver): string {
  switch (expression.kind) {
    case 'text':
      return expression.value;
    case 'member':
      return resolve(expression.root, expression.keys);
    case 'encode':
      return Buffer.from(evaluateTemplateExpression(expression.argument, resolve), 'utf8').toString('base64');
    case 'concat':
      return expression.parts.map((part) => evaluateTemplateExpression(part, resolve)).join('');
  }
}

const SUBSTITUTION = /<%=([\s\S]*?)%>/g;

/** Renders one template string: literal text plus `<%= expr %>` substitutions; any other `<%` is refused. */
export function renderTemplateString(template: string, resolve: MemberResolver): string {
  const literalParts = template.split(SUBSTITUTION).filter((_, index) => index % 2 === 0);
  if (literalParts.some((part) => part.includes('<%') || part.includes('%>'))) {
    throw new TemplateRenderError(`only "<%= expression %>" substitutions are supported in "${template}"`);
  }
  return template.replace(SUBSTITUTION, (_, source: string) =>
    evaluateTemplateExpression(parseTemplateExpression(source), resolve),
  );
}
