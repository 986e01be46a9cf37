import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { providerIdSchema } from '../../src-shared/domain/provider.ts';

/** What the first-run setup recorded: the model chosen in it, or that the user skipped it. */
export const setupRecordSchema = z
  .object({
    state: z.enum(['done', 'skipped']),
    providerId: providerIdSchema.optional(),
    model: z.string().min(1).max(200).optional(),
    at: z.iso.datetime(),
  })
  .strict();
export type SetupRecord = z.infer<typeof setupRecordSchema>;

/**
 * The setup record, kept as one row of the settings table under the key `setup` (the table is
 * one JSON value per key, and the settings reader ignores keys it does not know), so no
 * migration is needed. An unreadable row reads as no record: setup is simply offered again.
 */
export class SetupRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(): SetupRecord | null {
    const row = this.#db.prepare("SELECT value FROM settings WHERE key = 'setup'").get() as { value: string } | undefined;
    if (!row) return null;
    try {
      const parsed = setupRecordSchema.safeParse(JSON.parse(row.value));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  set(record: SetupRecord): void {
    const valid = setupRecordSchema.parse(record);
    this.#db.prepare("INSERT INTO settings (key, value) VALUES ('setup', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(valid));
  }
}
