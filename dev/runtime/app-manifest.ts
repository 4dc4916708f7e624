/** What the host reads from the app's manifest.json: the placeholders it must show. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './config';
import { productModulesOf } from './engine/app-package';
import { RuntimeStartupError } from './startup-error';

const LocationSchema = z.looseObject({ url: z.string(), icon: z.string().optional() });
const ModuleSchema = z.looseObject({ location: z.record(z.string(), LocationSchema).optional() });
const ManifestSchema = z.looseObject({ modules: z.record(z.string(), ModuleSchema) });

export interface AppPlaceholders {
  /** Pages under app/ for each placeholder, null when the app does not use it. */
  fullPageApp: string | null;
  contactSidebar: string | null;
  /** Product modules the app declares (currentHost.subscribed_modules). */
  productModules: string[];
  /** The full_page_app page's <title>, the label of its navigation entry. */
  appName: string;
}

function titleOf(appRoot: string, page: string | null): string {
  if (page === null || !existsSync(join(appRoot, 'app', page))) {
    return 'App';
  }
  const title = /<title>([^<]*)<\/title>/i.exec(readFileSync(join(appRoot, 'app', page), 'utf8'))?.[1]?.trim();
  return title === undefined || title === '' ? 'App' : title;
}

export function readAppPlaceholders(appRoot: string): AppPlaceholders {
  const file = join(appRoot, 'manifest.json');
  const parsed = ManifestSchema.safeParse(readJsonFile(file, "Start the runtime from the app's folder, or fix manifest.json."));
  if (!parsed.success) {
    throw new RuntimeStartupError(`Bad configuration in ${file}: it needs a "modules" object. Fix manifest.json and start again.`);
  }
  const modules = parsed.data.modules;
  const fullPageApp = modules['common']?.location?.['full_page_app']?.url ?? null;
  return {
    fullPageApp,
    contactSidebar: modules['service_user']?.location?.['contact_sidebar']?.url ?? null,
    productModules: productModulesOf(modules),
    appName: titleOf(appRoot, fullPageApp),
  };
}
