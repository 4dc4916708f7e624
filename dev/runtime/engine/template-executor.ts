import { z } from 'zod';
import type { AppPackage, RequestTemplate } from './app-package';
import { accountDomainsOf, secureIparamNames } from './app-package';
import type { EngineTimers, PerMinuteLimit } from './limits';
import { FDK_LIMITS, sleep } from './limits';
import { TemplateRenderError } from './template-expression';
import type { RenderedRequest, TemplateCaller } from './template-render';
import { renderRequestTemplate, type ContextInPath } from './template-render';
import type { AttemptResult, OutgoingTemplateRequest, TemplateTransport } from './template-transport';

/** `$request.invokeTemplate` / `client.request.invokeTemplate` resolve this; `response` is the raw body. */
export interface TemplateSuccess {
  status: number;
  headers: Record<string, string>;
  response: string;
}

/** What they reject with: `response` when the API answered, `message` when the platform refused. */
export interface TemplateFailure {
  status: number;
  headers: Record<string, string>;
  response?: string;
  message?: string;
  errorSource: 'APP' | 'PLATFORM';
  attempts: number;
}

export type TemplateOutcome = { ok: true; body: TemplateSuccess } | { ok: false; body: TemplateFailure };

const invocationSchema = z.looseObject({
  context: z.record(z.string(), z.unknown()).optional(),
  body: z.string({ message: 'body must be a string (JSON.stringify it)' }).optional(),
});

/** A refusal by the platform itself, before or instead of reaching the API. */
class PlatformRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function platformFailure(status: number, message: string, attempts: number): TemplateOutcome {
  return { ok: false, body: { status, headers: {}, message, errorSource: 'PLATFORM', attempts } };
}

/**
 * What a non-2xx answer from the API does. FDK's docs are silent (docs/platform-contract.md):
 * Freshworks' samples treat it as a rejection ('reject', the default); 'resolve' plays the
 * other reading, so the app can be tested under both.
 */
export type NonSuccessAnswers = 'reject' | 'resolve';

function outcomeOf(result: AttemptResult, attempts: number, nonSuccess: NonSuccessAnswers): TemplateOutcome {
  switch (result.kind) {
    case 'response': {
      const { status, headers, body } = result;
      if ((status >= 200 && status < 300) || nonSuccess === 'resolve') {
        return { ok: true, body: { status, headers, response: body } };
      }
      return { ok: false, body: { status, headers, response: body, errorSource: 'APP', attempts } };
    }
    case 'timeout':
      return platformFailure(504, `The request timed out after ${FDK_LIMITS.templateTimeoutMs / 1000} seconds`, attempts);
    case 'network':
      return platformFailure(502, `Could not connect to the host (${result.reason})`, attempts);
    case 'too-large':
      return platformFailure(502, 'The response is larger than the 6 MB the platform accepts', attempts);
  }
}

function isRetriable(result: AttemptResult): boolean {
  if (result.kind === 'response') {
    return result.status === 429 || result.status >= 500;
  }
  return result.kind !== 'too-large';
}

export interface TemplateExecutorDeps {
  app: AppPackage;
  iparams: () => Record<string, unknown>;
  freshserviceUrl: string | undefined;
  transport: TemplateTransport;
  pace: PerMinuteLimit;
  timers: EngineTimers;
  /** Default 'reject'. */
  nonSuccess?: NonSuccessAnswers;
  /** Default 'raw' (template-render.ts ContextInPath). */
  contextInPath?: ContextInPath;
}

/** Renders, routes and sends request templates with FDK's rules, pace and retries. */
export class TemplateExecutor {
  private readonly secureIparams: ReadonlySet<string>;
  private readonly domainsIn: (iparams: Record<string, unknown>) => string[];

  constructor(private readonly deps: TemplateExecutorDeps) {
    this.secureIparams = new Set(secureIparamNames(deps.app));
    this.domainsIn = accountDomainsOf(deps.app);
  }

  async invoke(name: string, invocation: unknown, caller: TemplateCaller): Promise<TemplateOutcome> {
    try {
      const template = this.templateNamed(name);
      const input = this.parseInvocation(invocation);
      const rendered = renderRequestTemplate(template, {
        caller,
        contextInPath: this.deps.contextInPath ?? 'raw',
        iparams: this.deps.iparams(),
        secureIparams: this.secureIparams,
        context: input.context ?? {},
        currentHost: this.currentHost(),
      });
      const outgoing = { url: this.targetUrl(rendered), method: rendered.method, headers: rendered.headers, body: input.body };
      return await this.attempt(outgoing, template.options ?? {});
    } catch (error) {
      return this.refusal(name, error);
    }
  }

  private refusal(name: string, error: unknown): TemplateOutcome {
    if (error instanceof PlatformRefusal) {
      return platformFailure(error.status, `Template "${name}": ${error.message}`, 0);
    }
    if (error instanceof TemplateRenderError) {
      return platformFailure(400, `Template "${name}": ${error.message}`, 0);
    }
    throw error;
  }

  private templateNamed(name: string): RequestTemplate {
    const template = Object.hasOwn(this.deps.app.templates, name) ? this.deps.app.templates[name] : undefined;
    if (template === undefined) {
      throw new PlatformRefusal(400, 'no such template in config/requests.json');
    }
    if (!this.deps.app.declaredTemplates.has(name)) {
      throw new PlatformRefusal(400, 'the template is not declared in manifest.json modules.common.requests');
    }
    return template;
  }

  private parseInvocation(invocation: unknown): z.infer<typeof invocationSchema> {
    const parsed = invocationSchema.safeParse(invocation ?? {});
    if (!parsed.success) {
      throw new PlatformRefusal(400, parsed.error.issues.map((issue) => issue.message).join('; '));
    }
    return parsed.data;
  }

  private domains(): string[] {
    return this.domainsIn(this.deps.iparams());
  }

  /** FDK's current_host for a Freshservice installation: the account's host, without protocol. */
  private currentHost(): Record<string, unknown> | undefined {
    const domain = this.domains()[0];
    return domain === undefined ? undefined : { endpoint_urls: { freshservice: `${domain}.freshservice.com` } };
  }

  /** Requests for the installation's own Freshservice host go to freshserviceUrl when one is set. */
  private targetUrl(rendered: RenderedRequest): URL {
    const host = rendered.host.toLowerCase();
    const routed =
      this.deps.freshserviceUrl !== undefined &&
      this.domains().some((domain) => host === `${domain.toLowerCase()}.freshservice.com`);
    if (!routed && rendered.protocol !== 'https') {
      throw new PlatformRefusal(403, 'only https URLs are allowed');
    }
    const url = new URL(routed ? new URL(this.deps.freshserviceUrl ?? '').origin : `https://${rendered.host}`);
    url.pathname = rendered.path;
    url.search = new URLSearchParams(rendered.query).toString();
    return url;
  }

  private async attempt(outgoing: OutgoingTemplateRequest, options: NonNullable<RequestTemplate['options']>) {
    const maxAttempts = options.maxAttempts ?? 1;
    for (let attempt = 1; ; attempt += 1) {
      if (!this.deps.pace.tryTake()) {
        return platformFailure(
          429,
          `The app exceeded the limit of ${FDK_LIMITS.templateRequestsPerMinute} template requests per minute`,
          attempt,
        );
      }
      const result = await this.deps.transport.send(outgoing);
      const outcome = outcomeOf(result, attempt, this.deps.nonSuccess ?? 'reject');
      if (attempt >= maxAttempts || !isRetriable(result)) {
        return outcome;
      }
      await sleep(this.deps.timers, options.retryDelay ?? 0);
    }
  }
}
