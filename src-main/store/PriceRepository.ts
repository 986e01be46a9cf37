import type { Database } from 'better-sqlite3';
import type { Pricing } from '../modelCall/modelCallTypes.ts';

/** The user's own prices per model (US dollars per million tokens), overriding the shipped table. */
export class PriceRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
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
