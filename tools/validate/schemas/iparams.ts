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
  'domain',
  'api_key',
] as const;

const CHOICE_TYPES: readonly string[] = ['dropdown', 'radio', 'multiselect'];
const PRODUCT_TYPES: readonly string[] = ['domain', 'api_key'];

const optionValue = z.union([z.string(), z.number()]);

const iparamSchema = z.strictObject({
  display_name: z.string().min(1, { message: 'display_name is required' }),
  description: z.string().optional(),
  type: z.enum(IPARAM_TYPES),
  required: z.boolean().optional(),
  secure: z.boolean().optional(),
  visible: z.boolean().optional(),
  options: z.array(optionValue).optional(),
  default_value: z.union([optionValue, z.boolean(), z.array(optionValue)]).optional(),
  type_attributes: z.strictObject({ product: z.string().min(1) }).optional(),
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

export const iparamsSchema = z.record(
  z.string(),
  iparamSchema.superRefine((iparam, ctx) => {
    if (CHOICE_TYPES.includes(iparam.type)) {
      checkChoices(iparam, ctx);
    }
    if (PRODUCT_TYPES.includes(iparam.type) && iparam.type_attributes === undefined) {
      addRuleIssue(ctx, 'iparams/product', `a ${iparam.type} iparam needs "type_attributes": { "product": "freshservice" }`, ['type_attributes']);
    }
  }),
);

export type Iparams = z.infer<typeof iparamsSchema>;
