import type { Database, Statement } from 'better-sqlite3';
import type { Pricing } from '../modelCall/modelCallTypes.ts';

/** The user's own prices per model (US dollars per million tokens), overriding the shipped table. */
export class PriceRepository {
  readonly #db: Database;

  #one: Statement | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * One model's price, on every priced model call: a primary-key lookup on a statement prepared
   * once, instead of preparing and reading the whole table on every call.
   */
  get(model: string): Pricing | undefined {
    this.#one ??= this.#db.prepare('SELECT input_per_million, output_per_million FROM model_prices WHERE model = ?');
    const row = this.#one.get(model) as { input_per_million: number; output_per_million: number } | undefined;
    return row ? { inputPerMillion: row.input_per_million, outputPerMillion: row.output_per_million } : undefined;
  }

  all(): Map<string, Pricing> {
    const rows = this.#db.prepare('SELECT model, input_per_million, output_per_million FROM model_prices').all() as {
      model: string;
      input_per_million: number;
      output_per_million: number;
    }[];
    return new Map(rows.map((row) => [row.model, { inputPerMillion: row.input_per_million, outputPerMillion: row.output_per_million }]));
  }

  set(model: string, pricing: Pricing): void {
    this.#db
      .prepare(
        `INSERT INTO model_prices (model, input_per_million, output_per_million) VALUES (?, ?, ?)
         ON CONFLICT(model) DO UPDATE SET input_per_million = excluded.input_per_million, output_per_million = excluded.output_per_million`,
      )
      .run(model, pricing.inputPerMillion, pricing.outputPerMillion);
  }

  remove(model: string): boolean {
    return this.#db.prepare('DELETE FROM model_prices WHERE model = ?').run(model).changes > 0;
  }
}
