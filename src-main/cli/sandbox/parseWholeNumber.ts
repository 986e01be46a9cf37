import { InvalidArgumentError } from 'commander';

/**
 * A commander argument parser for a whole number from `min` to `max` (`--timeout S`,
 * `--rounds N`): "expected a whole number from 1 to 3600, got "5m"".
 */
export function parseWholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const text = value.trim();
    const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return number;
  };
}
