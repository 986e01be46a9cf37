import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { AppError } from '../../../src-shared/AppError.ts';
import { taskKinds, type TaskKind } from '../../../src-shared/domain/provider.ts';
import { chatStructured } from '../../gateway/chatStructured.ts';
import type { CliContext } from '../CliContext.ts';
import { CliExit, stopSignals, stoppedExitCode } from '../CliExit.ts';
import { TerminalAnswer } from '../TerminalAnswer.ts';
import { cursorMoves } from '../cursorMoves.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';
import { rawStreams } from '../terminalSafeIo.ts';
import type { RouteResult, RouterEvent } from '../../modelCall/modelCallTypes.ts';

interface ChatOptions {
  task: TaskKind;
  prompt: string;
  system?: string;
  schema?: string;
  maxTokens: number;
  fresh?: boolean;
}

/**
 * `service-creator chat`: one routed call, printing the answer and every attempt with its reason.
 * When an attempt that streamed text fails and the answer starts over, every output says so, so
 * nobody sees or joins the text twice: `--json` prints a `restart` line (drop the `text` before
 * it), a terminal erases the streamed text, and a pipe or file gets only the final answer (text
 * is streamed to terminals only).
 */
export function chatCommand(context: () => CliContext): Command {
  return new Command('chat')
    .description('send one prompt through the router and show the answer and the attempts')
    .addOption(new Option('--task <task>', 'task kind (decides the routing)').choices(taskKinds).default('interview'))
    .requiredOption('--prompt <text>', 'the user message')
    .option('--system <text>', 'a system message')
    .option('--schema <file>', 'a JSON Schema file: the answer must be JSON matching it')
    .option('--max-tokens <n>', 'most tokens to generate (1 to 100000)', wholeNumberOption(1, 100_000), 512)
    .option('--fresh', 'ask the model again, not the response cache (the new answer is kept)')
    .action(async (options: ChatOptions) => {
      const ctx = context();
      const core = ctx.core();
      const { maxTokens } = options;
      const messages = [
        ...(options.system ? [{ role: 'system' as const, content: options.system }] : []),
        { role: 'user' as const, content: options.prompt },
      ];
      const controller = new AbortController();
      // Ctrl+C, a kill and a closed terminal all stop the call the same way: it ends as cancelled
      // and gives back what it reserved (a budget's share, a rate slot) instead of holding it
      // until the reservation lapses.
      let stoppedBy: NodeJS.Signals | undefined;
      const onSignal = (signal: NodeJS.Signals) => {
        stoppedBy ??= signal;
        controller.abort(new Error('interrupted'));
      };
      for (const signal of stopSignals) process.on(signal, onSignal);
      const streaming = !ctx.output.json && !options.schema && ctx.io.stdout.isTTY === true;
      const terminal = streaming ? new TerminalAnswer(ctx.io.stdout, rawStreams(ctx.io).stdout, { cursorMoves: cursorMoves(ctx.io.env) }) : undefined;
      let result: RouteResult;
      let value: unknown;
      try {
        const base = {
          task: options.task,
          messages,
          maxTokens,
          ...(options.fresh === true ? { cache: 'bypass' as const } : {}),
          signal: controller.signal,
          onEvent: (event: RouterEvent) => {
            switch (event.type) {
              case 'text':
                terminal?.write(event.text);
                ctx.output.event('text', { text: event.text });
                return;
              case 'restart':
                // What was streamed is void: erase it on a terminal, tell a JSON reader to drop it.
                terminal?.erase();
                ctx.output.event('restart', { reason: event.reason });
                ctx.output.notice(`[the answer starts over: ${event.reason}]`);
                return;
              case 'attempt':
                return;
              default:
                event satisfies never;
            }
          },
        };
        if (options.schema) {
          const schema = z.fromJSONSchema(readSchema(options.schema));
          const structured = await chatStructured((request) => core.gateway.chat(request), { ...base, schema, schemaName: 'answer' });
          result = structured.result;
          value = structured.value;
        } else {
          result = await core.gateway.chat(base);
        }
      } catch (error) {
        // Stopped by the user: said in words and ended as a stopped command ends (130, as any other command Ctrl+C ends), not as a user error.
        if (stoppedBy === undefined) throw error;
        terminal?.endLine();
        ctx.output.error('CANCELLED', `Stopped${stoppedBy === 'SIGINT' ? ' (Ctrl+C)' : ''}: the call was cancelled and what it held of budgets and rate limits given back.`);
        throw new CliExit(stoppedExitCode, 'chat stopped');
      } finally {
        for (const signal of stopSignals) process.off(signal, onSignal);
      }
      const attempts = core.gateway.attempts.forRequest(result.requestId);
      if (ctx.output.json) {
        ctx.output.result('answer', { text: result.text, ...(value !== undefined ? { value } : {}), target: result.target, attempts }, '');
        return;
      }
      // Not streamed (a pipe, a file, --schema): the final answer, once.
      if (!streaming) ctx.io.stdout.write(value !== undefined ? JSON.stringify(value, null, 2) : result.text);
      ctx.io.stdout.write('\n');
      ctx.output.notice(
        attempts
          .map((a) => `  ${a.attemptNo}. ${a.providerId}/${a.model}: ${a.outcome}${a.errorKind ? ` (${a.errorKind})` : ''} - ${a.reason}${a.message ? `\n     ${a.message}` : ''}`)
          .join('\n'),
      );
    });
}

function readSchema(file: string): Parameters<typeof z.fromJSONSchema>[0] {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof z.fromJSONSchema>[0];
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot read the schema file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

