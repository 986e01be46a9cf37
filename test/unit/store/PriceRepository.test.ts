// The user's prices as the database holds them, a row edited by hand included: a row past what a
// price can be is no price (the shipped one applies), never an infinite or negative cost.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceRepository } from '../../../src-main/store/PriceRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

describe('PriceRepository with a price edited by hand', () => {
  it('reads a price past $10,000 a million tokens (9e999 is Infinity) or below 0 as none; the others as set', () => {
    const db = openDatabase(join(tempDir('sc-prices-'), 'service-creator.db'));
    const prices = new PriceRepository(db);
    for (const model of ['huge', 'infinite', 'negative', 'fine']) prices.set(model, { inputPerMillion: 1, outputPerMillion: 2 });
    db.pragma('ignore_check_constraints = ON');
    db.exec("UPDATE model_prices SET output_per_million = 20000 WHERE model = 'huge'");
    db.exec("UPDATE model_prices SET input_per_million = 9e999 WHERE model = 'infinite'");
    db.exec("UPDATE model_prices SET input_per_million = -5 WHERE model = 'negative'");
    for (const model of ['huge', 'infinite', 'negative']) expect(prices.get(model)).toBeUndefined();
    expect(prices.get('fine')).toEqual({ inputPerMillion: 1, outputPerMillion: 2 });
    expect([...prices.all().keys()]).toEqual(['fine']);
  });
});
