import type { z } from 'zod';

/**
 * Adds a zod issue that carries the validator's rule id in `params.rule`, so a schema can
 * report a specific FDK rule (https only, unknown placeholder, ...) instead of a generic shape error.
 */
export function addRuleIssue(ctx: z.RefinementCtx, rule: string, message: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { rule } });
}
