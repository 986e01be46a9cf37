import type { Database, Statement } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import { providerConfigSchema, type ProviderConfig } from '../../src-shared/domain/provider.ts';
import { cacheRowsUntilChange, deepFreeze } from './cacheUntilChange.ts';

export interface StoredProviders {
  providers: ProviderConfig[];
  /** Rows this version cannot read (edited by hand, written by a newer version): kept, reported. */
  invalid: { id: string; problem: string }[];
}

/**
 * Provider configurations, in the user's order. Never holds keys (see SecretStore). Every model
 * call reads them, so the parsed list is kept until the database changes (cacheUntilChange: a
 * write on this connection or a commit by another process, e.g. the CLI); the configurations it
 * hands out are frozen, the arrays are the caller's.
 */
export class ProviderRepository {
  readonly #db: Database;
  readonly #stored: () => StoredProviders;

  constructor(db: Database) {
    this.#db = db;
    let rows: Statement | undefined;
    this.#stored = cacheRowsUntilChange(
      db,
      () => (rows ??= db.prepare('SELECT id, config FROM providers ORDER BY position, id').raw()).all() as unknown[][],
      (found) => parseProviders(found as [string, string][]),
    );
  }

  list(): StoredProviders {
    const stored = this.#stored();
    return { providers: [...stored.providers], invalid: [...stored.invalid] };
  }

  get(id: string): ProviderConfig {
    const found = this.list().providers.find((provider) => provider.id === id);
    if (!found) throw new AppError('NOT_FOUND', `No provider with id "${id}"`);
    return found;
  }

  add(config: ProviderConfig): ProviderConfig {
    const exists = this.#db.prepare('SELECT 1 FROM providers WHERE id = ?').get(config.id);
    if (exists) throw new AppError('CONFLICT', `A provider with id "${config.id}" already exists`);
    const position = Number(this.#db.prepare('SELECT coalesce(max(position), -1) + 1 FROM providers').pluck().get());
    this.#db.prepare('INSERT INTO providers (id, position, config) VALUES (?, ?, ?)').run(config.id, position, JSON.stringify(config));
    return config;
  }

  update(config: ProviderConfig): ProviderConfig {
    const result = this.#db.prepare('UPDATE providers SET config = ? WHERE id = ?').run(JSON.stringify(config), config.id);
    if (result.changes === 0) throw new AppError('NOT_FOUND', `No provider with id "${config.id}"`);
    return config;
  }

  remove(id: string): void {
    const result = this.#db.prepare('DELETE FROM providers WHERE id = ?').run(id);
    if (result.changes === 0) throw new AppError('NOT_FOUND', `No provider with id "${id}"`);
  }
}

function parseProviders(rows: [id: string, config: string][]): StoredProviders {
  const result: StoredProviders = { providers: [], invalid: [] };
  for (const [id, config] of rows) {
    const parsed = providerConfigSchema.safeParse(JSON.parse(config));
    if (parsed.success) result.providers.push(parsed.data);
    else result.invalid.push({ id, problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
  }
  return deepFreeze(result);
}
