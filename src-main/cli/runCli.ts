import { Command, CommanderError } from 'commander';
import { AppError } from '../../src-shared/AppError.ts';
import { appVersion } from '../core/appVersion.ts';
import { CliContext } from './CliContext.ts';
import type { CliIo } from './CliIo.ts';
import { CliOutput } from './CliOutput.ts';
import { terminalSafeIo } from './terminalSafeIo.ts';
import { chatCommand } from './commands/chatCommand.ts';
import { exportCommand } from './commands/exportCommand.ts';
import { generateCommand } from './commands/generateCommand.ts';
import { infoCommand } from './commands/infoCommand.ts';
import { interviewCommand } from './commands/interviewCommand.ts';
import { modelsCommand } from './commands/modelsCommand.ts';
import { planCommand } from './commands/planCommand.ts';
import { providersCommand } from './commands/providersCommand.ts';
import { projectsCommand } from './commands/projectsCommand.ts';
import { repairCommand } from './commands/repairCommand.ts';
import { sandboxCommand } from './commands/sandboxCommand.ts';
import { serveCommand } from './commands/serveCommand.ts';
import { settingsCommand } from './commands/settingsCommand.ts';
import { specCommand } from './commands/specCommand.ts';
import { testCommand } from './commands/testCommand.ts';

export const exitCodes = { ok: 0, userError: 1, internalError: 2 } as const;

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 user error (one line saying what to
 * change), 2 internal error. Never calls process.exit, so tests run it in-process. Everything
 * it prints goes through terminal-safe streams (control characters shown escaped).
 */
export async function runCli(argv: string[], givenIo: CliIo): Promise<number> {
  const io = terminalSafeIo(givenIo);
  const json = argv.includes('--json');
  let context: CliContext | undefined;
  const getContext = () => (context ??= new CliContext(io, json));
  const output = new CliOutput(io, json);

  const program = new Command('service-creator')
    .description('Turns a conversation into a complete, tested software service, privately.')
    .version(appVersion, '-v, --version')
    .option('--json', 'machine output: one JSON object per line on stdout')
    .showHelpAfterError(json ? false : '(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => (json ? undefined : write(text)),
    })
    .addCommand(projectsCommand(getContext))
    .addCommand(interviewCommand(getContext))
    .addCommand(specCommand(getContext))
    .addCommand(planCommand(getContext))
    .addCommand(generateCommand(getContext))
    .addCommand(exportCommand(getContext))
    .addCommand(testCommand(getContext))
    .addCommand(repairCommand(getContext))
    .addCommand(sandboxCommand(getContext))
    .addCommand(providersCommand(getContext))
    .addCommand(modelsCommand(getContext))
    .addCommand(chatCommand(getContext))
    .addCommand(serveCommand(getContext))
    .addCommand(settingsCommand(getContext))
    .addCommand(infoCommand(getContext));
  for (const command of program.commands) inheritOverrides(command, program, json);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return exitCodes.ok; // --help, --version
      if (json) output.error('INVALID_INPUT', error.message.replace(/^error: /, ''));
      return exitCodes.userError;
    }
    if (error instanceof AppError && error.code !== 'INTERNAL') {
      output.error(error.code, error.message);
      return exitCodes.userError;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.error('INTERNAL', `Internal error: ${message}`);
    if (!json && io.env.SERVICE_CREATOR_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return exitCodes.internalError;
  } finally {
    await context?.dispose();
  }
}

/** Subcommands need the same error handling and output routing as the root. */
function inheritOverrides(command: Command, root: Command, json: boolean): void {
  command
    .exitOverride()
    .configureOutput(root.configureOutput())
    .showHelpAfterError(json ? false : '(add --help for usage)');
  command.option('--json', 'machine output: one JSON object per line on stdout');
  for (const child of command.commands) inheritOverrides(child, root, json);
}
