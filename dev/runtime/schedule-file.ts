/**
 * The installation's `$schedule` schedules, kept in `schedules.json` beside db.json: the
 * platform keeps an installation's schedules while the app is updated, and each start of the
 * runtime stands for such an update (docs/runtime.md), so a restart finds them again.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues, readJsonFile } from './config';
import { bookEntrySchema } from './schedule-book';
import type { SchedulePersistence } from './scheduler';
import { writeJsonAtomic } from './json-file';
import { RuntimeStartupError } from './startup-error';

const scheduleFileSchema = z.object({ schedules: z.array(bookEntrySchema) });

export function scheduleFile(file: string): SchedulePersistence {
  return {
    load: () => {
      if (!existsSync(file)) {
        return [];
      }
      const parsed = scheduleFileSchema.safeParse(readJsonFile(file, 'Delete it (the app then re-creates its schedules) and start again.'));
      if (!parsed.success) {
        throw new RuntimeStartupError(`Bad schedules file ${file}: ${describeIssues(parsed.error, '')}. Delete it and start again.`);
      }
      return parsed.data.schedules;
    },
    save: (schedules) => writeJsonAtomic(file, { schedules }),
  };
}
