import { Command } from 'commander';
import type { CliContext } from '../CliContext.ts';

export function infoCommand(context: () => CliContext): Command {
  return new Command('info').description('show version, data folder and database').action(async () => {
    const ctx = context();
    const info = await ctx.call('app.info');
    ctx.output.result(
      'info',
      { info },
      [
        `${info.name} ${info.version}`,
        `data folder: ${info.dataDir}`,
        `database:    ${info.databasePath} (schema ${info.schemaVersion})`,
        `network use: ${info.networkUse.length === 0 ? 'none (nothing leaves this machine)' : info.networkUse.join(', ')}`,
      ].join('\n'),
    );
  });
}
