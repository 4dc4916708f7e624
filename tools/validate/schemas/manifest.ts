import { z } from 'zod';
import { addRuleIssue } from './rule-issue';

/**
 * Modules and placeholders of a Freshservice app: freshworks-developers/freshworks-platform3 at
 * f3f050b, skills/freshworks_app_dev_skill/references/architecture/freshservice_modules.md and
 * freshservice_service_{tickets,asset,change,user}.md (docs/platform-contract.md). FDK rejects any
 * other module or placeholder in a Freshservice app.
 */
export const PLACEHOLDERS_BY_MODULE = {
  common: ['full_page_app'],
  service_ticket: [
    'ticket_sidebar',
    'ticket_requester_info',
    'ticket_conversation_editor',
    'ticket_top_navigation',
    'ticket_background',
    'new_ticket_sidebar',
    'new_ticket_background',
    'new_ticket_description_editor',
  ],
  service_asset: ['asset_sidebar', 'asset_top_navigation', 'asset_background'],
  service_change: ['change_sidebar', 'change_background', 'new_change_sidebar', 'new_change_background'],
  service_user: ['contact_sidebar'],
} as const satisfies Record<string, readonly string[]>;

export type ModuleName = keyof typeof PLACEHOLDERS_BY_MODULE;

/**
 * FDK's rule for server method (SMI) names: letters, digits and underscores, not starting with
 * a digit, 2 to 40 characters (see docs/validate.md for the source).
 */
export const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]{1,39}$/;

/** Request template names: letters, digits, underscores and hyphens (FDK's request method docs). */
export const TEMPLATE_NAME = /^[A-Za-z0-9_-]+$/;

/** FDK's documented SMI timeouts disagree between pages (5/10/15/20 and 20/25/30): accept both sets. */
export const FUNCTION_TIMEOUTS = [5, 10, 15, 20, 25, 30] as const;

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/**
 * The toolchain a Marketplace app is built with: FDK 10 on Node 24.11. Freshworks' engine matrix
 * (freshworks-developers/marketplace, docs/engine-matrix.md): "Publish to Marketplace | 10.x |
 * 24.11.x"; FDK 9 on Node 18 is deprecated, for development only, "not for publishing".
 */
const enginesSchema = z.strictObject({
  node: z.string().regex(/^24\.11\.\d+$/, { message: 'engines.node must be a Node 24.11 version, like "24.11.1": FDK 10 runs on Node 24.11' }),
  fdk: z.string().regex(/^10\.\d+\.\d+$/, { message: 'engines.fdk must be an FDK 10 version, like "10.1.9": FDK 9 is deprecated and cannot publish' }),
});

const locationSchema = z.strictObject({
  url: z.string().min(1),
  icon: z.string().min(1),
});

const eventSchema = z.strictObject({ handler: z.string().min(1) });

const functionSchema = z.strictObject({
  timeout: z
    .number()
    .refine((value) => FUNCTION_TIMEOUTS.some((allowed) => allowed === value), {
      message: `timeout must be one of ${FUNCTION_TIMEOUTS.join(', ')} seconds`,
    })
    .optional(),
});

const locationsSchema = z.record(z.string(), locationSchema);
const eventsSchema = z.record(z.string(), eventSchema);

const commonModuleSchema = z.strictObject({
  location: locationsSchema.optional(),
  requests: z.record(z.string(), z.strictObject({})).optional(),
  functions: z.record(z.string(), functionSchema).optional(),
  events: eventsSchema.optional(),
});

const productModuleSchema = z.strictObject({
  location: locationsSchema.optional(),
  events: eventsSchema.optional(),
});

const modulesSchema = z
  .object({
    common: commonModuleSchema.optional(),
    service_ticket: productModuleSchema.optional(),
    service_asset: productModuleSchema.optional(),
    service_change: productModuleSchema.optional(),
    service_user: productModuleSchema.optional(),
  })
  .catchall(z.unknown());

type Modules = z.infer<typeof modulesSchema>;
type CommonModule = z.infer<typeof commonModuleSchema>;

function isModuleName(name: string): name is ModuleName {
  return Object.hasOwn(PLACEHOLDERS_BY_MODULE, name);
}

function checkPlaceholders(modules: Modules, ctx: z.RefinementCtx): void {
  for (const module of Object.keys(PLACEHOLDERS_BY_MODULE) as ModuleName[]) {
    const known: readonly string[] = PLACEHOLDERS_BY_MODULE[module];
    for (const placeholder of Object.keys(modules[module]?.location ?? {})) {
      if (!known.includes(placeholder)) {
        addRuleIssue(
          ctx,
          'manifest/unknown-placeholder',
          `"${placeholder}" is not a placeholder of ${module}; use one of: ${known.join(', ')}`,
          ['modules', module, 'location', placeholder],
        );
      }
    }
  }
}

function checkNames(common: CommonModule, ctx: z.RefinementCtx): void {
  for (const name of Object.keys(common.functions ?? {})) {
    if (!FUNCTION_NAME.test(name)) {
      addRuleIssue(
        ctx,
        'manifest/function-name',
        `server method name "${name}" must be 2-40 letters, digits or underscores and not start with a digit`,
        ['modules', 'common', 'functions', name],
      );
    }
  }
  for (const name of Object.keys(common.requests ?? {})) {
    if (!TEMPLATE_NAME.test(name)) {
      addRuleIssue(
        ctx,
        'manifest/template-name',
        `request template name "${name}" may only use letters, digits, underscores and hyphens`,
        ['modules', 'common', 'requests', name],
      );
    }
  }
}

/** Freshworks' error catalog quotes FDK: "/modules/common/location must NOT have fewer than 1 properties". */
function checkEmptyLocations(modules: Modules, ctx: z.RefinementCtx): void {
  for (const module of Object.keys(PLACEHOLDERS_BY_MODULE) as ModuleName[]) {
    const location = modules[module]?.location;
    if (location !== undefined && Object.keys(location).length === 0) {
      addRuleIssue(ctx, 'manifest/empty-location', `modules.${module}.location is empty; FDK answers "must NOT have fewer than 1 properties": add a location or remove the key`, ['modules', module, 'location']);
    }
  }
}

function checkModuleSet(modules: Modules, ctx: z.RefinementCtx): void {
  const names = Object.keys(modules);
  for (const name of names.filter((candidate) => !isModuleName(candidate))) {
    addRuleIssue(
      ctx,
      'manifest/unknown-module',
      `"${name}" is not a Freshservice module; use common, service_ticket, service_asset, service_change or service_user`,
      ['modules', name],
    );
  }
  if (!names.some((name) => name !== 'common' && isModuleName(name))) {
    addRuleIssue(ctx, 'manifest/product-module', 'add at least one Freshservice product module besides common (for example service_user)', ['modules']);
  }
}

export const manifestSchema = z
  .strictObject({
    'platform-version': z.literal('3.0', { message: 'platform-version must be "3.0"' }),
    modules: modulesSchema,
    engines: enginesSchema,
    dependencies: z
      .record(z.string(), z.string().regex(EXACT_VERSION, { message: 'dependency versions must be exact, like "4.1.2" (no ^ or ~)' }))
      .optional(),
    scripts: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((manifest, ctx) => {
    checkModuleSet(manifest.modules, ctx);
    checkPlaceholders(manifest.modules, ctx);
    checkEmptyLocations(manifest.modules, ctx);
    checkNames(manifest.modules.common ?? {}, ctx);
  });

export type Manifest = z.infer<typeof manifestSchema>;

export interface DeclaredLocation {
  module: ModuleName;
  placeholder: string;
  url: string;
  icon: string;
}

export function locationsOf(manifest: Manifest): DeclaredLocation[] {
  const found: DeclaredLocation[] = [];
  for (const module of Object.keys(PLACEHOLDERS_BY_MODULE) as ModuleName[]) {
    for (const [placeholder, location] of Object.entries(manifest.modules[module]?.location ?? {})) {
      found.push({ module, placeholder, url: location.url, icon: location.icon });
    }
  }
  return found;
}

/** Every event handler named in any module: FDK looks these up in server.js's exports too. */
export function eventHandlersOf(manifest: Manifest): string[] {
  const handlers: string[] = [];
  for (const module of Object.keys(PLACEHOLDERS_BY_MODULE) as ModuleName[]) {
    handlers.push(...Object.values(manifest.modules[module]?.events ?? {}).map((event) => event.handler));
  }
  return handlers;
}
