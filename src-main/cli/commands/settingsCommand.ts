import { Command } from 'commander';
import type { CliContext } from '../CliContext.ts';

export function settingsCommand(context: () => CliContext): Command {
  const settings = new Command('settings').description('show and change settings');
  settings
    .command('get')
    .description('show all settings')
    .action(async () => {
      const ctx = context();
      const values = await ctx.call('settings.get');
      ctx.output.result('settings', { settings: values }, Object.entries(values).map(([key, value]) => `${key}: ${value}`).join('\n'));
    });
  settings
    .command('set')
    .description('change one setting (theme: system|light|dark; privacyMode: local-only|local-first|cloud-allowed)')
    .argument('<key>', 'setting name')
    .argument('<value>', 'new value')
    .action(async (key: string, value: string) => {
      const ctx = context();
      const values = await ctx.call('settings.set', { [key]: value });
      ctx.output.result('settings', { settings: values }, `${key} is now ${String((values as Record<string, unknown>)[key])}`);
    });
  return settings;
}
