/**
 * The app's installations in this data directory (`installation.json` beside db.json), so the
 * runtime delivers FDK's app set-up events as the platform would (Freshworks' v3.0 app set-up
 * events: they fire when an app "is installed ..., updated to the latest version, or
 * uninstalled"):
 *
 * - **onAppInstall** when an installation is first set up: the first start with a data directory
 *   that never installed the app on this Freshservice, and the first save of /custom_configs
 *   (the installation page's Install button). Editing settings later sends nothing: FDK
 *   documents no event for it.
 * - nothing on a later start: it stands for an update of the app, which the platform makes
 *   automatically for an app without an afterAppUpdate handler (Freshworks' app set-up events
 *   reference says an app with one is not moved to new versions automatically). The
 *   installation's data (db.json) and schedules (schedules.json) carry on, as on the platform.
 *
 * Installations are kept per Freshservice (the tag saved settings carry), like the settings.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues, readJsonFile } from './config';
import { writeJsonAtomic } from './json-file';
import { RuntimeStartupError } from './startup-error';

const InstallationsSchema = z.object({
  installations: z.record(
    z.string(),
    z.object({
      installedAt: z.iso.datetime(),
      /** When /custom_configs first saved settings for it (null: it runs on the runtime's defaults). */
      settingsSavedAt: z.iso.datetime().nullable(),
    }),
  ),
});

type Installations = z.infer<typeof InstallationsSchema>;

export class InstallationRecord {
  private readonly record: Installations;

  /** Reads the file (absent: nothing installed yet); a broken one stops the start with what to do. */
  constructor(private readonly file: string) {
    this.record = existsSync(file) ? InstallationRecord.read(file) : { installations: {} };
  }

  private static read(file: string): Installations {
    const json = readJsonFile(file, 'Delete it (the app is then installed afresh on the next start) and start again.');
    const parsed = InstallationsSchema.safeParse(json);
    if (!parsed.success) {
      throw new RuntimeStartupError(`Bad installation record in ${file}: ${describeIssues(parsed.error, '')}. Delete it and start again.`);
    }
    return parsed.data;
  }

  isInstalled(target: string): boolean {
    return Object.hasOwn(this.record.installations, target);
  }

  /** Whether /custom_configs has saved settings for this installation (a later save is an edit: no event). */
  hasSavedSettings(target: string): boolean {
    return (this.record.installations[target]?.settingsSavedAt ?? null) !== null;
  }

  recordInstall(target: string, settingsSaved: boolean): void {
    const at = new Date().toISOString();
    this.record.installations[target] = { installedAt: at, settingsSavedAt: settingsSaved ? at : null };
    writeJsonAtomic(this.file, this.record);
  }
}
