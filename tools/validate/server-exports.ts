import { createRequire } from 'node:module';
import { error, type Problem } from './problems';

type Espree = typeof import('espree');
type Program = ReturnType<Espree['parse']>;
type Statement = Program['body'][number];

// The espree that ESLint itself parses with, so server.js is read exactly as the linter reads it.
const espree = createRequire(require.resolve('eslint'))('espree') as Espree;

export const SERVER_FILE = 'server/server.js';

export interface ServerExports {
  names: string[];
  problems: Problem[];
}

function exportsObjectOf(statement: Statement) {
  if (statement.type !== 'ExpressionStatement' || statement.expression.type !== 'AssignmentExpression') {
    return undefined;
  }
  const { left, right, operator } = statement.expression;
  const isBareExports = operator === '=' && left.type === 'Identifier' && left.name === 'exports';
  return isBareExports && right.type === 'ObjectExpression' ? right : undefined;
}

type ObjectExpression = NonNullable<ReturnType<typeof exportsObjectOf>>;

function keyName(property: ObjectExpression['properties'][number]): string | undefined {
  if (property.type !== 'Property' || property.computed) {
    return undefined;
  }
  if (property.key.type === 'Identifier') {
    return property.key.name;
  }
  return property.key.type === 'Literal' && typeof property.key.value === 'string' ? property.key.value : undefined;
}

function isFunctionValue(node: { type: string } | null | undefined): boolean {
  return node?.type === 'FunctionExpression' || node?.type === 'ArrowFunctionExpression';
}

function isFunction(property: ObjectExpression['properties'][number]): boolean {
  return property.type === 'Property' && isFunctionValue(property.value);
}

function readExportsObject(object: ObjectExpression): ServerExports {
  const names: string[] = [];
  const problems: Problem[] = [];
  for (const property of object.properties) {
    const name = keyName(property);
    if (name === undefined) {
      problems.push(error(SERVER_FILE, 'server/exports-shape', 'every key of `exports = { ... }` must be a plain name; FDK reads them statically (no spreads or computed keys)'));
    } else if (!isFunction(property)) {
      problems.push(error(SERVER_FILE, 'server/exports-shape', `exports.${name} must be a function`));
    } else {
      names.push(name);
    }
  }
  return { names, problems };
}

/**
 * Reads the keys of server.js's literal top-level `exports = { ... }`, the only form FDK
 * understands (not `module.exports`, not `exports.x =`).
 */
export function readServerExports(code: string): ServerExports {
  let program: Program;
  try {
    program = espree.parse(code, { ecmaVersion: 'latest', sourceType: 'commonjs' });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { names: [], problems: [error(SERVER_FILE, 'server/parse', `cannot parse server.js: ${reason}`)] };
  }
  const candidates = program.body.map(exportsObjectOf);
  const at = candidates.findIndex((candidate) => candidate !== undefined);
  const object = candidates[at];
  if (object === undefined || candidates.filter((candidate) => candidate !== undefined).length > 1) {
    return {
      names: [],
      problems: [error(SERVER_FILE, 'server/exports-shape', 'server.js must have exactly one top-level `exports = { name: function (args) { ... } }` assignment')],
    };
  }
  const exported = readExportsObject(object);
  return { names: exported.names, problems: [...helpersBefore(program.body.slice(0, at)), ...exported.problems] };
}

/** The names of the functions a top-level statement defines: `function f() {}` or `const f = () => {}`. */
function functionsDefinedBy(statement: Statement): string[] {
  if (statement.type === 'FunctionDeclaration') {
    return [statement.id.name];
  }
  if (statement.type !== 'VariableDeclaration') {
    return [];
  }
  return statement.declarations.flatMap((declarator) => (declarator.id.type === 'Identifier' && isFunctionValue(declarator.init) ? [declarator.id.name] : []));
}

/**
 * Freshworks' validation rules put helper functions after the `exports` block: FDK's parser
 * answers "Error while parsing file containing serverless functions" otherwise (docs/platform-contract.md).
 * `require` calls and constants before it are fine.
 */
function helpersBefore(statements: readonly Statement[]): Problem[] {
  return statements.flatMap(functionsDefinedBy).map((name) =>
    error(SERVER_FILE, 'server/helper-before-exports', `function ${name} is defined before \`exports = { ... }\`; FDK's parser rejects that: move it after the exports block`),
  );
}
