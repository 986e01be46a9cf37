import { Command, InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import type { priceListSchema } from '../../../src-shared/domain/providerStatus.ts';
import { parseUsd } from '../../../src-shared/parseUsd.ts';
import type { CliContext } from '../CliContext.ts';
import { providersOneLine } from './providersOneLine.ts';

type PriceList = z.infer<typeof priceListSchema>;

/** Dollars per million tokens as typed ("2.50", "$15"): 0 to 10000, the most a price can be (priceSchema). */
function perMillion(value: string): number {
  const usd = parseUsd(value);
  if (usd === null || usd > 10_000) throw new InvalidArgumentError(`expected US dollars per million tokens from 0 to 10000 (at most 4 decimal places), got ${JSON.stringify(value.slice(0, 100))}`);
  return usd;
}

/** "$2.50" in cents, "$0.075" with the places a price finer than a cent needs. */
function dollars(usd: number): string {
  return `$${Number(usd.toFixed(2)) === usd ? usd.toFixed(2) : String(usd)}`;
}

function describePrice(price: PriceList['prices'][number]): string {
  return `${providersOneLine(price.model)}: ${dollars(price.inputPerMillion)} in, ${dollars(price.outputPerMillion)} out per million tokens${price.source === 'custom' ? ' (yours)' : ''}`;
}

/**
 * `service-creator pricing`: the price per million tokens of each model, shipped or set here, as
 * the Pricing section has them. A budget counts a cloud call at its model's price and refuses
 * one whose model has none; this is where a CLI user gives it one.
 */
export function pricingCommand(context: () => CliContext): Command {
  const pricing = new Command('pricing').description("models' prices per million tokens: what budgets and usage count a cloud call at");
  const list = async () => {
    const ctx = context();
    const prices = (await ctx.call('pricing.list'));
    ctx.output.result('pricing', prices, [...prices.prices.map(describePrice), `Shipped prices as of ${prices.asOf}; \`pricing set MODEL --input USD --output USD\` sets your own.`].join('\n'));
  };
  pricing.action(list);
  pricing.command('list').description('every model with a price, shipped or your own').action(list);
  pricing
    .command('set')
    .description("set a model's price (replaces the shipped one for that model)")
    .argument('<model>', 'the model name as the provider calls it')
    .requiredOption('--input <usd>', 'US dollars per million prompt tokens', perMillion)
    .requiredOption('--output <usd>', 'US dollars per million answer tokens', perMillion)
    .action(async (model: string, options: { input: number; output: number }) => {
      const ctx = context();
      const prices = (await ctx.call('pricing.set', { model, inputPerMillion: options.input, outputPerMillion: options.output }));
      const set = prices.prices.find((price) => price.model === model);
      ctx.output.result('pricing', prices, set ? `Set ${describePrice(set)}` : 'Set.');
    });
  pricing
    .command('reset')
    .description('remove your own price of a model (the shipped one applies again, if any)')
    .argument('<model>', 'the model name')
    .action(async (model: string) => {
      const ctx = context();
      const prices = (await ctx.call('pricing.reset', { model }));
      const shipped = prices.prices.find((price) => price.model === model);
      ctx.output.result('pricing', prices, shipped ? `Removed your price; the shipped one applies: ${describePrice(shipped)}` : `Removed your price of ${providersOneLine(model)}; it has none now.`);
    });
  return pricing;
}
