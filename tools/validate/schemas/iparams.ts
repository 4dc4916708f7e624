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
 * `domain` and `api_key`: Freshworks' sources disagree on platform 3.0 (docs/platform-contract.md).
 * A file that existed from 2026-02-02 to 2026-02-10 (freshworks-developers/freshworks-platform3,
 * references/v3_0/installation-parameters-errors.md at commit 8ad09a6) said 3.0 rejects both types
 * and `type_attributes`; the current one (skills/freshworks_app_dev_skill/references/errors/
 * installation-parameters-errors.md at f3f050b) lists both types as valid and requires
 * `type_attributes.product` for them. `text` is accepted under both readings.
 */
const DISPUTED_TYPES = ['domain', 'api_key'] as const;

function isDisputedType(type: string): boolean {
  return DISPUTED_TYPES.some((disputed) => disputed === type);
}

/** The product a Freshservice app names in `type_attributes.product` (it must match the manifest's product). */
const FRESHSERVICE_PRODUCT = 'freshservice';

const CHOICE_TYPES: readonly string[] = ['dropdown', 'radio', 'multiselect'];

const optionValue = z.union([z.string(), z.number()]);

const iparamSchema = z.strictObject({
  display_name: z.string().min(1, { message: 'display_name is required' }),
  description: z.string().optional(),
  // The disputed types pass here so that their own rules (below) name the fix.
  type: z.enum([...IPARAM_TYPES, ...DISPUTED_TYPES]),
  required: z.boolean().optional(),
  secure: z.boolean().optional(),
  visible: z.boolean().optional(),
  options: z.array(optionValue).optional(),
  default_value: z.union([optionValue, z.boolean(), z.array(optionValue)]).optional(),
  // Checked below: required for the disputed types under the current reading, rejected under the older one.
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

function productOf(iparam: Iparam): unknown {
  const attributes = iparam.type_attributes;
  return typeof attributes === 'object' && attributes !== null ? (attributes as { product?: unknown }).product : undefined;
}

/**
 * Rejected under both readings: a `domain` or `api_key` iparam without `type_attributes.product`
 * (the older reading rejects the type itself, the current one the missing product).
 */
function checkDisputedType(iparam: Iparam, ctx: z.RefinementCtx): void {
  const product = productOf(iparam);
  if (isDisputedType(iparam.type) && product !== FRESHSERVICE_PRODUCT) {
    addRuleIssue(
      ctx,
      'iparams/type-attributes-product',
      `type "${iparam.type}" needs "type_attributes": { "product": "${FRESHSERVICE_PRODUCT}" } in current Freshworks material (found ${JSON.stringify(product)}), and older material rejects the type on platform 3.0 altogether: use "type": "text" and check the value in a change callback (config/assets/iparams.js)`,
      ['type_attributes'],
    );
  }
}

export const iparamsSchema = z.record(
  z.string(),
  iparamSchema.superRefine((iparam, ctx) => {
    if (CHOICE_TYPES.includes(iparam.type)) {
      checkChoices(iparam, ctx);
    }
    checkDisputedType(iparam, ctx);
  }),
);

export type Iparams = z.infer<typeof iparamsSchema>;

export interface IparamWarning {
  path: string;
  rule: string;
  message: string;
}

/** What one reading of Freshworks' sources rejects and the other accepts: warnings, not errors. */
export function disputedIparamWarnings(iparams: Iparams): IparamWarning[] {
  const warnings: IparamWarning[] = [];
  for (const [name, iparam] of Object.entries(iparams)) {
    if (isDisputedType(iparam.type)) {
      warnings.push({
        path: `${name}.type`,
        rule: 'iparams/type-removed-in-3.0',
        message: `type "${iparam.type}" is valid with type_attributes in current Freshworks material but was "not valid from platform version 3.0" in older material; "type": "text" is accepted under both`,
      });
    } else if (iparam.type_attributes !== undefined) {
      warnings.push({
        path: `${name}.type_attributes`,
        rule: 'iparams/type-attributes-removed-in-3.0',
        message: `older Freshworks material says "type_attributes is not supported from platform version 3.0", and current material uses it only for the domain and api_key types: remove it`,
      });
    }
  }
  return warnings;
}
