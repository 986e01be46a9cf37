import type { Database, Statement } from 'better-sqlite3';
import { settingsSchema, type Settings, type SettingsPatch } from '../../src-shared/domain/settings.ts';
import { cacheRowsUntilChange, deepFreeze } from './cacheUntilChange.ts';

/**
 * Settings as one row per key (JSON values). A row holding a value this version does not accept
 * (written by hand, or by a newer version) falls back to the default for that key and is kept.
 * Every model call reads the privacy mode, so the parsed settings are kept until the database
 * changes (cacheUntilChange); each call gets its own copy.
 */
export class SettingsRepository {
  readonly #db: Database;
  readonly #stored: () => Settings;

  constructor(db: Database) {
    this.#db = db;
    let rows: Statement | undefined;
    this.#stored = cacheRowsUntilChange(
      db,
      () => (rows ??= db.prepare('SELECT key, value FROM settings').raw()).all() as unknown[][],
      (found) => deepFreeze(parseSettings(found as [string, string][])),
    );
  }

  get(): Settings {
    return { ...this.#stored() };
  }

  set(patch: SettingsPatch): Settings {
    const upsert = this.#db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.#db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value));
      }
    })();
    return this.get();
  }
}

function parseSettings(rows: [key: string, value: string][]): Settings {
  const shape = settingsSchema.shape;
  const raw: Record<string, unknown> = {};
  for (const [key, value] of rows) {
    if (!Object.hasOwn(shape, key)) continue;
    const parsed = shape[key as keyof typeof shape].safeParse(JSON.parse(value));
    if (parsed.success) raw[key] = parsed.data;
  }
  return settingsSchema.parse(raw);
}
