import { z } from 'zod';
import { addRuleIssue } from './rule-issue';

export const IPARAM_TYPES = [
  'text',
  'paragraph',
  'dropdown',
  'email',
  'number',
  'phone_number',
  'date',
  'url',
  'radio',
  'checkbox',
  'multiselect',
] as const;

/**
 * Types and keys that `fdk validate` rejects from platform version 3.0 (Freshworks'
 * references/v3_0/installation-parameters-errors.md in freshworks-developers/freshworks-platform3):
 * a domain or API key is a "text" iparam checked by a change callback in config/assets/iparams.js.
 */
const TYPES_REMOVED_IN_3_0: readonly string[] = ['domain', 'api_key'];

const CHOICE_TYPES: readonly string[] = ['dropdown', 'radio', 'multiselect'];

const optionValue = z.union([z.string(), z.number()]);

const iparamSchema = z.strictObject({
  display_name: z.string().min(1, { message: 'display_name is required' }),
  description: z.string().optional(),
  // Removed 3.0 types pass here so that their own rule (below) names the fix.
  type: z.enum([...IPARAM_TYPES, 'domain', 'api_key']),
  required: z.boolean().optional(),
  secure: z.boolean().optional(),
  visible: z.boolean().optional(),
  options: z.array(optionValue).optional(),
  default_value: z.union([optionValue, z.boolean(), z.array(optionValue)]).optional(),
  // Rejected below with its own rule, whatever its content.
  type_attributes: z.unknown().optional(),
  // FDK's dynamic install page: [{ "change": "<function in config/assets/iparams.js>" }].
  events: z.array(z.record(z.string(), z.string())).optional(),
});

type Iparam = z.infer<typeof iparamSchema>;

function defaultsOf(iparam: Iparam): unknown[] {
  if (iparam.default_value === undefined) {
    return [];
  }
  return Array.isArray(iparam.default_value) ? iparam.default_value : [iparam.default_value];
}

function checkChoices(iparam: Iparam, ctx: z.RefinementCtx): void {
  const options: unknown[] = iparam.options ?? [];
  if (options.length === 0) {
    addRuleIssue(ctx, 'iparams/options', `a ${iparam.type} needs a non-empty "options" list`, ['options']);
  }
  const defaults = defaultsOf(iparam);
  if (defaults.length === 0) {
    addRuleIssue(ctx, 'iparams/default-value', `a ${iparam.type} needs a "default_value" that is one of its options`, ['default_value']);
  }
  for (const value of defaults.filter((candidate) => !options.includes(candidate))) {
    addRuleIssue(ctx, 'iparams/default-value', `default_value ${JSON.stringify(value)} is not one of the options`, ['default_value']);
  }
}

function checkPlatform3(iparam: Iparam, ctx: z.RefinementCtx): void {
  if (TYPES_REMOVED_IN_3_0.includes(iparam.type)) {
    addRuleIssue(
      ctx,
      'iparams/type-removed-in-3.0',
      `type "${iparam.type}" is not valid from platform version 3.0: use "type": "text" and check the value in a change callback (config/assets/iparams.js)`,
      ['type'],
    );
  }
  if (iparam.type_attributes !== undefined) {
    addRuleIssue(ctx, 'iparams/type-attributes-removed-in-3.0', 'type_attributes is not supported from platform version 3.0: remove it (use "type": "text")', ['type_attributes']);
  }
}

export const iparamsSchema = z.record(
  z.string(),
  iparamSchema.superRefine((iparam, ctx) => {
    if (CHOICE_TYPES.includes(iparam.type)) {
      checkChoices(iparam, ctx);
    }
    checkPlatform3(iparam, ctx);
  }),
);

export type Iparams = z.infer<typeof iparamsSchema>;
