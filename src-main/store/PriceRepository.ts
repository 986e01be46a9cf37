import type { Database, Statement } from 'better-sqlite3';
import type { Pricing } from '../modelCall/modelCallTypes.ts';
import { priceSchema } from '../../src-shared/domain/providerStatus.ts';

interface PriceRow {
  input_per_million: number;
  output_per_million: number;
}

/**
 * A row as a price can be set (priceSchema: $0 to $10,000 a million tokens), else undefined: one
 * edited by hand past that (9e999 reads as Infinity) is not a price, and the shipped one applies,
 * instead of making every list of prices an internal error and every cost infinite.
 */
function priceOf(model: string, row: PriceRow | undefined): Pricing | undefined {
  if (!row) return undefined;
  const pricing = { inputPerMillion: row.input_per_million, outputPerMillion: row.output_per_million };
  return priceSchema.safeParse({ model, ...pricing }).success ? pricing : undefined;
}

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
    return priceOf(model, this.#one.get(model) as PriceRow | undefined);
  }

  all(): Map<string, Pricing> {
    const rows = this.#db.prepare('SELECT model, input_per_million, output_per_million FROM model_prices').all() as (PriceRow & { model: string })[];
    const prices = new Map<string, Pricing>();
    for (const row of rows) {
      const pricing = priceOf(row.model, row);
      if (pricing) prices.set(row.model, pricing);
    }
    return prices;
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
