import type { Command } from 'commander';
import { AppError } from '../../src-shared/AppError.ts';

/**
 * Makes an option that takes one value a user error when it is given twice
 * (`budget set 5 --period day --period month`, `usage --since=2026-01-01 --since 2026-02-01`):
 * commander keeps the last one silently, so a budget, a range or a prompt could be other than the
 * one the user read in their command line. Options that gather a list (`--target a --target b`)
 * and flags without a value are left alone. Raised while commander parses, before any action.
 */
export function refuseRepeatedOptions(command: Command): void {
  for (const option of command.options) {
    if (option.variadic || !(option.required || option.optional)) continue;
    const seen: string[] = [];
    command.on(`option:${option.name()}`, (value: unknown) => {
      seen.push(String(value ?? ''));
      if (seen.length < 2) return;
      const shown = seen.map((given) => JSON.stringify(given.length > 100 ? `${given.slice(0, 100)}…` : given)).join(', then ');
      throw new AppError('INVALID_INPUT', `${option.long ?? option.short ?? option.name()} is given more than once (${shown}): give it once`);
    });
  }
}
