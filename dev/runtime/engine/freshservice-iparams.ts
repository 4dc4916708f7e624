/**
 * Which installation parameters hold the Freshservice subdomain and the API key. Platform 3.0
 * has no `domain` or `api_key` iparam types (both are plain "text"), so the runtime reads the
 * answer from how the request templates use them: an iparam that is the first label of a
 * `<%= iparam.x %>.freshservice.com` host is a subdomain, and an iparam in the headers of such a
 * template (its Authorization) is the key.
 */
import { z } from 'zod';

const TemplateShapeSchema = z.looseObject({
  schema: z.looseObject({ host: z.string(), headers: z.record(z.string(), z.string()).optional() }),
});

export type TemplateShape = z.infer<typeof TemplateShapeSchema>;

export interface FreshserviceIparams {
  /** Iparams whose value is the account's subdomain (`acme` for acme.freshservice.com). */
  domain: string[];
  /** Iparams sent in the headers of requests to that account (its API key). */
  apiKey: string[];
}

const SUBDOMAIN_HOST = /^<%=\s*iparam\.([A-Za-z_$][\w$]*)\s*%>\.freshservice\.com$/i;
const IPARAM_REFERENCE = /iparam\.([A-Za-z_$][\w$]*)/g;

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** Reads templates leniently: one template of an unexpected shape is skipped, not fatal. */
export function freshserviceIparamsOf(templates: unknown): FreshserviceIparams {
  const entries = typeof templates === 'object' && templates !== null ? Object.values(templates) : [];
  const domain: string[] = [];
  const apiKey: string[] = [];
  for (const entry of entries) {
    const parsed = TemplateShapeSchema.safeParse(entry);
    const subdomain = parsed.success ? SUBDOMAIN_HOST.exec(parsed.data.schema.host.trim())?.[1] : undefined;
    if (!parsed.success || subdomain === undefined) {
      continue;
    }
    domain.push(subdomain);
    const headers = Object.values(parsed.data.schema.headers ?? {}).join('\n');
    apiKey.push(...[...headers.matchAll(IPARAM_REFERENCE)].map((match) => match[1] ?? ''));
  }
  return { domain: unique(domain), apiKey: unique(apiKey.filter((name) => name !== '')) };
}
