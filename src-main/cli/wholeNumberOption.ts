import { InvalidArgumentError } from 'commander';
import { parseWholeNumber } from '../../src-shared/parseWholeNumber.ts';

/**
 * A commander argument parser for a whole number from `min` to `max` (`--timeout S`,
 * `--rounds N`, `--concurrency N`): "expected a whole number from 1 to 3600, got "5m"".
 */
export function wholeNumberOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = parseWholeNumber(value, min, max);
    if (number === undefined) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return number;
  };
}
