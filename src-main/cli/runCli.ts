import { Command, CommanderError } from 'commander';
import { join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import { appVersion } from '../core/appVersion.ts';
import type { CliContext } from './CliContext.ts';
import { CliExit, pausedExitCode } from './CliExit.ts';
import type { ProviderDescriptor } from '../providers/descriptors/ProviderDescriptor.ts';
import type { CliIo } from './CliIo.ts';
import { CliOutput } from './CliOutput.ts';
import { clipLongValues } from './clipLongValues.ts';
import { loadCoreModules } from './coreModules.ts';
import { refuseRepeatedOptions } from './refuseRepeatedOptions.ts';
import { terminalSafeIo } from './terminalSafeIo.ts';
import { databaseFileName } from '../paths/databaseFileName.ts';
import { resolveDataDir } from '../paths/resolveDataDir.ts';
import { databaseFailure } from '../store/databaseFailure.ts';
import { inputIssuesSentence } from '../../src-shared/inputIssuesSentence.ts';

type CommandFactory = (context: () => CliContext) => Command;

/**
 * Every command, by name, with the module that defines it. A module is imported only when its
 * command runs (or when help lists them all): `--version` and `projects list` must not pay for
 * the model SDKs, Docker client and validators other commands pull in. Keep the order: it is
 * the order `--help` lists them in.
 */
const commandModules: ReadonlyArray<readonly [name: string, load: () => Promise<CommandFactory>]> = [
  ['projects', async () => (await import('./commands/projectsCommand.ts')).projectsCommand],
  ['interview', async () => (await import('./commands/interviewCommand.ts')).interviewCommand],
  ['spec', async () => (await import('./commands/specCommand.ts')).specCommand],
  ['plan', async () => (await import('./commands/planCommand.ts')).planCommand],
  ['generate', async () => (await import('./commands/generateCommand.ts')).generateCommand],
  ['export', async () => (await import('./commands/exportCommand.ts')).exportCommand],
  ['test', async () => (await import('./commands/testCommand.ts')).testCommand],
  ['repair', async () => (await import('./commands/repairCommand.ts')).repairCommand],
  ['sandbox', async () => (await import('./commands/sandboxCommand.ts')).sandboxCommand],
  ['providers', async () => (await import('./commands/providersCommand.ts')).providersCommand],
  ['models', async () => (await import('./commands/modelsCommand.ts')).modelsCommand],
  ['ollama', async () => (await import('./commands/ollamaCommand.ts')).ollamaCommand],
  ['chat', async () => (await import('./commands/chatCommand.ts')).chatCommand],
  ['serve', async () => (await import('./commands/serveCommand.ts')).serveCommand],
  ['settings', async () => (await import('./commands/settingsCommand.ts')).settingsCommand],
  ['audit', async () => (await import('./commands/auditCommand.ts')).auditCommand],
  ['budget', async () => (await import('./commands/budgetCommand.ts')).budgetCommand],
  ['pricing', async () => (await import('./commands/pricingCommand.ts')).pricingCommand],
  ['cache', async () => (await import('./commands/cacheCommand.ts')).cacheCommand],
  ['usage', async () => (await import('./commands/usageCommand.ts')).usageCommand],
  ['info', async () => (await import('./commands/infoCommand.ts')).infoCommand],
  ['setup', async () => (await import('./commands/setupCommand.ts')).setupCommand],
];

/**
 * Commands that open the core themselves once they have done what comes first (CliContext.openCore):
 * `serve` listens and hands the browser the page before the core's modules have loaded. Every
 * other command runs with them loaded, so its `context().core()` is at hand.
 */
const opensCoreItself: ReadonlySet<string> = new Set(['serve']);

/**
 * The commands this invocation needs: the one named by the first word (the root's options take
 * no value, so that word is the command), none for a bare `--version`, and all of them
 * otherwise (help, a mistyped command, which commander answers with the list or a suggestion).
 */
export function commandsNeeded(argv: readonly string[]): string[] {
  const first = argv.find((arg) => !arg.startsWith('-'));
  const names = commandModules.map(([name]) => name);
  if (first !== undefined && names.includes(first)) return [first];
  if (first === undefined && argv.some((arg) => arg === '-v' || arg === '--version') && !argv.some((arg) => arg === '-h' || arg === '--help')) return [];
  return names;
}

/** `paused`: the user paused a long command (Ctrl+C, SIGTERM in `generate`); it can go on. */
export const exitCodes = { ok: 0, userError: 1, internalError: 2, paused: pausedExitCode } as const;

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 user error (one line saying what to
 * change), 2 internal error. Never calls process.exit, so tests run it in-process. Everything
 * it prints goes through terminal-safe streams (control characters shown escaped).
 */
export async function runCli(argv: string[], givenIo: CliIo, options: { providerDescriptors?: readonly ProviderDescriptor[] } = {}): Promise<number> {
  const io = terminalSafeIo(givenIo);
  const json = argv.includes('--json');
  let context: CliContext | undefined;
  const output = new CliOutput(io, json);
  const needed = commandsNeeded(argv);
  // The context and the core's modules come with the commands (all loading at once), never for a bare --version.
  const [contextModule, factories] = await Promise.all([
    needed.length > 0 ? import('./CliContext.ts') : undefined,
    Promise.all(commandModules.filter(([name]) => needed.includes(name)).map(([, load]) => load())),
    needed.some((name) => !opensCoreItself.has(name)) ? loadCoreModules() : undefined,
  ]);
  const getContext = (): CliContext => {
    if (!contextModule) throw new Error('no command was loaded, so none can ask for the context');
    return (context ??= new contextModule.CliContext(io, json, options));
  };

  const program = new Command('service-creator')
    .description('Turns a conversation into a complete, tested software service, privately.')
    .version(appVersion, '-v, --version')
    .option('--json', 'machine output: one JSON object per line on stdout')
    .showHelpAfterError(json ? false : '(add --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // With --json the error is the JSON line alone: commander's help for a missing command stays off stderr too.
      writeErr: (text) => (json ? undefined : io.stderr.write(text)),
      outputError: (text, write) => (json ? undefined : write(clipLongValues(text))),
    });
  for (const factory of factories) program.addCommand(factory(getContext));
  for (const command of program.commands) inheritOverrides(command, program, json);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof CliExit) return error.exitCode;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return exitCodes.ok; // --help, --version
      // A group named without one of its commands (`budget`): commander shows the help and says only "(outputHelp)".
      if (json) output.error('INVALID_INPUT', error.code === 'commander.help' ? missingCommand(program, argv) : error.message.replace(/^error: /, ''));
      return exitCodes.userError;
    }
    // A failure of the store outside the dispatcher (a model call's own writes, the core opening): in words too.
    const failure = error instanceof AppError ? error : (databaseFailure(error, join(resolveDataDir(io.env), databaseFileName)) ?? error);
    if (failure instanceof AppError && failure.code !== 'INTERNAL') {
      // Refused input in words, as the GUI says it: the field by its label, never the channel or zod's path.
      output.error(failure.code, failure.code === 'INVALID_INPUT' && failure.issues?.length ? inputIssuesSentence(failure.issues, { choices: true }) : failure.message);
      // The core's sentence names the app's pages; on a terminal the commands that do the same.
      if (failure.code === 'BUDGET_EXCEEDED') output.notice(budgetCommandsHint);
      return exitCodes.userError;
    }
    // An internal error from the core says so itself ("Internal error in <channel>: ..."); the details go to the log.
    const message = error instanceof Error ? error.message : String(error);
    output.error('INTERNAL', `${error instanceof AppError ? message : `Internal error: ${message}`}. The details are in the log: the logs folder in the data folder ("service-creator info" says where).`);
    if (!json && io.env.SERVICE_CREATOR_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return exitCodes.internalError;
  } finally {
    await context?.dispose();
  }
}

const budgetCommandsHint =
  'From the command line: `service-creator budget show` lists the budgets, `budget set USD` (or `budget clear`, with the same --provider, --project and --period) changes one, and `pricing set MODEL --input USD --output USD` gives a model its price.';

/** "budget needs one of its commands: show, set, zone, clear": the deepest command the words name, and what it offers. */
function missingCommand(program: Command, argv: readonly string[]): string {
  let command = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const next = command.commands.find((child) => child.name() === word || child.aliases().includes(word));
    if (!next) break;
    command = next;
  }
  const names = command.commands.map((child) => child.name());
  const path = command === program ? program.name() : [program.name(), ...commandPath(command, program)].join(' ');
  return names.length > 0 ? `${path} needs one of its commands: ${names.join(', ')} (add --help for what each does)` : `${path} needs more: add --help for its usage`;
}

function commandPath(command: Command, root: Command): string[] {
  const names: string[] = [];
  for (let at: Command | null = command; at && at !== root; at = at.parent) names.unshift(at.name());
  return names;
}

/** Subcommands need the same error handling and output routing as the root. */
function inheritOverrides(command: Command, root: Command, json: boolean): void {
  command
    .exitOverride()
    .configureOutput(root.configureOutput())
    .showHelpAfterError(json ? false : '(add --help for usage)');
  command.option('--json', 'machine output: one JSON object per line on stdout');
  refuseRepeatedOptions(command);
  for (const child of command.commands) inheritOverrides(child, root, json);
}
