// The two ESLint plugins ship no type declarations; both export a standard ESLint plugin object.
declare module 'eslint-plugin-promise' {
  import type { ESLint } from 'eslint';
  const plugin: ESLint.Plugin;
  export = plugin;
}

declare module 'eslint-plugin-no-unsanitized' {
  import type { ESLint } from 'eslint';
  const plugin: ESLint.Plugin;
  export = plugin;
}
