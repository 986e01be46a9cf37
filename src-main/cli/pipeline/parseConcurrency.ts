import { InvalidArgumentError } from 'commander';
import { maxConcurrency } from '../../pipeline/PipelineService.ts';

/** `--concurrency N`: how many files are written at once, a whole number from 1 to 16. */
export function parseConcurrency(value: string): number {
  const text = value.trim();
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > maxConcurrency) {
    throw new InvalidArgumentError(`expected a whole number from 1 to ${maxConcurrency}, got ${JSON.stringify(value)}`);
  }
  return number;
}
