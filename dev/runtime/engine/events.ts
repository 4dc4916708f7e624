/**
 * Delivers FDK's serverless events (app set-up, scheduled and product events) to the handler
 * manifest.json names for each: `modules.<module>.events.<eventName>.handler`, in any module
 * (Freshworks' v3.0 product-events page: "Include the events attribute under
 * modules.<module_name>"; set-up and scheduled events under `modules.common`). An event the
 * manifest does not declare is not delivered.
 *
 * The handler gets FDK's envelope (freshworks-platform3
 * `references/architecture/freshservice_service_user.md`: `currentHost { subscribed_modules,
 * endpoint_urls { freshservice } }, data, event, iparams, region, timestamp`), and answers with
 * `renderData()` (`renderData({ message })` refuses an install or reverts an update, per
 * `references/architecture/app_setup_events_doc.md`). Limits from the v3.0 rate-limits page:
 * 20 s of execution, product-event payloads up to 256 KB.
 */
import type { AppPackage } from './app-package';
import { FDK_LIMITS, jsonByteLength } from './limits';
import type { ServerMethodRunner } from './server-methods';

/** What became of one event: delivered or not, and the handler's answer (status 200 for `renderData()`). */
export interface EventOutcome {
  delivered: boolean;
  ok: boolean;
  status: number;
  /** Why it was not delivered, or the handler's `renderData({ message })`; null when it completed. */
  message: string | null;
}

export interface EventDeliveryDeps {
  app: AppPackage;
  runner: ServerMethodRunner;
  iparams(): Record<string, unknown>;
  /** The account's subdomain (from the subdomain iparam), for currentHost.endpoint_urls. */
  domain(): string | undefined;
  now(): number;
  timeoutMs: number;
}

/** The region FDK-generated Freshservice event samples carry; the runtime has no region of its own (*assumed*). */
const EVENT_REGION = 'us-east-1';

function notDelivered(status: number, message: string): EventOutcome {
  return { delivered: false, ok: false, status, message };
}

/** FDK's envelope: the event's own payload (`data`...) plus what the platform adds, which a payload cannot override. */
function envelope(deps: EventDeliveryDeps, name: string, payload: Record<string, unknown>): Record<string, unknown> {
  const domain = deps.domain();
  return {
    ...payload,
    currentHost: { subscribed_modules: [...deps.app.productModules], endpoint_urls: domain === undefined ? {} : { freshservice: `https://${domain}.freshservice.com` } },
    event: name,
    iparams: deps.iparams(),
    region: EVENT_REGION,
    // Seconds with a fraction, as in FDK's sample payloads (1684406756.665395).
    timestamp: deps.now() / 1000,
  };
}

export async function deliverEvent(deps: EventDeliveryDeps, name: string, payload: Record<string, unknown>): Promise<EventOutcome> {
  const handler = deps.app.declaredEvents.get(name);
  if (handler === undefined) {
    return notDelivered(404, `manifest.json declares no handler for ${name}`);
  }
  const invoke = deps.runner.handlerNamed(handler);
  if (invoke === undefined) {
    return notDelivered(404, `manifest.json names ${handler} for ${name}, but server.js exports no such function`);
  }
  if (jsonByteLength(payload) > FDK_LIMITS.eventPayloadBytes) {
    return notDelivered(413, `the ${name} payload exceeds FDK's 256 KB limit`);
  }
  const outcome = await invoke(`event ${name} (${handler})`, envelope(deps, name, payload), deps.timeoutMs);
  if (outcome.ok) {
    return { delivered: true, ok: true, status: 200, message: null };
  }
  return { delivered: true, ok: false, status: outcome.body.status, message: outcome.body.message };
}
