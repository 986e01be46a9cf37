import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import { slotIds, type SlotId } from '../../../src-shared/interview/interviewSlots.ts';
import type { InterviewState } from '../../../src-shared/interview/interviewTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { rawStreams } from '../terminalSafeIo.ts';
import { findProject } from '../findProject.ts';
import { InterviewSession } from '../interview/InterviewSession.ts';
import { parseAnswerLine } from '../interview/parseAnswerLine.ts';
import { readAnswersFile, type AnswersByField } from '../interview/readAnswersFile.ts';

interface InterviewOptions {
  project: string;
  answers?: string;
}

const answersHelp = `
Answers file (--answers): JSON of the form
  {"answers": {"<field>": ANSWER, ...}}
where ANSWER is free text ("NAT, audit log"), a list of option labels (["Cisco ASA"]),
or {"selected": ["..."], "text": "..."}. The fields:
  ${slotIds.join(', ')}
A question whose field is missing stops the run (exit 1) with the interview saved at it;
an answer still too vague after the follow-up question stops it too.

Interactively, answer with option numbers (1,3), your own words, or both (1,3 also backups).

Everything is stored as it happens: stop at any time (:q, end of input, Ctrl+C) and run the
same command again to go on where you left off.`;

/** `service-creator interview`: the requirements interview of a project, in a terminal or from a file. */
export function interviewCommand(context: () => CliContext): Command {
  return new Command('interview')
    .description('answer the requirements interview of a project (interactively, or from an answers file)')
    .requiredOption('--project <project>', 'project id or name')
    .option('--answers <file>', 'answer from this JSON file instead of asking (see below)')
    .addHelpText('after', answersHelp)
    .action(async (options: InterviewOptions) => {
      // A bad answers file is reported before anything is opened or asked.
      const fromFile = options.answers !== undefined ? { file: options.answers, answers: readAnswersFile(options.answers) } : undefined;
      const ctx = context();
      const project = findProject(ctx, options.project);
      const session = new InterviewSession(ctx, project.id);
      try {
        if (fromFile) await answerFromFile(session, fromFile.answers, fromFile.file);
        else await answerInteractively(ctx, session);
      } finally {
        session.dispose();
      }
    });
}

/** Asks each question in turn and reads one line per answer from stdin (a terminal or a pipe). */
async function answerInteractively(ctx: CliContext, session: InterviewSession): Promise<void> {
  const terminal = ctx.io.stdin.isTTY === true && !ctx.output.json;
  // The line editor draws with its own escapes (raw); it echoes only what the user types.
  const prompt = createInterface({ input: ctx.io.stdin, ...(terminal ? { output: rawStreams(ctx.io).stdout, terminal: true } : { terminal: false }) });
  // Ctrl+C on a terminal in raw mode reaches readline, not the process.
  prompt.on('SIGINT', () => session.stop());
  // One iterator for the whole run: it buffers piped lines that arrive while the model writes.
  const lines = prompt[Symbol.asyncIterator]();
  const stopped = session.stopRequested.then(() => ({ done: true as const, value: undefined }));
  const readLine = async (): Promise<string | undefined> => {
    if (terminal) {
      prompt.setPrompt('> ');
      prompt.prompt();
    }
    const next = await Promise.race([lines.next(), stopped]);
    if (!next.done && !session.stopped) return next.value as string;
    if (terminal) ctx.io.stdout.write('\n'); // Ctrl+C or Ctrl+D leave the cursor after the prompt
    return undefined;
  };
  try {
    session.noticeLastError(await session.state());
    for (;;) {
      const state = await session.next();
      if (!state) return session.saved(await session.state());
      if (state.done) return session.finished(state);
      const turn = pendingOf(state);
      session.showQuestion(turn, true);
      const labels = turn.options.map((option) => option.label);
      let answered = false;
      while (!answered) {
        const line = await readLine();
        const parsed = line === undefined ? ({ kind: 'quit' } as const) : parseAnswerLine(line, labels, turn.questionType);
        if (parsed.kind === 'quit') return session.saved(await session.state());
        if (parsed.kind === 'empty') continue;
        if (parsed.kind === 'invalid') {
          refused(ctx, parsed.message);
          continue;
        }
        try {
          await session.answer(turn, parsed.answer);
          answered = true;
        } catch (error) {
          // Too long, too many picks: say so and let the user type it again.
          if (!(error instanceof AppError && error.code === 'INVALID_INPUT')) throw error;
          refused(ctx, error.message);
        }
      }
    }
  } finally {
    prompt.close();
  }
}

/**
 * Answers each question from the file by its field. Stops with a user error at a question the
 * file has no answer for (saved there), or one whose answer stays too vague after the follow-up.
 */
async function answerFromFile(session: InterviewSession, answers: AnswersByField, file: string): Promise<void> {
  const vague = new Set<SlotId>();
  session.noticeLastError(await session.state());
  for (;;) {
    const state = await session.next();
    if (!state) return session.saved(await session.state());
    if (state.done) return session.finished(state);
    const turn = pendingOf(state);
    session.showQuestion(turn, false);
    const answer = answers[turn.field];
    if (!answer) {
      throw new AppError(
        'INVALID_INPUT',
        `${file} has no answer for "${turn.field}" (${turn.fieldLabel}); the interview is saved at step ${turn.step} of ${turn.totalSteps}: add it and run again`,
      );
    }
    const { status, outcome } = await session.answer(turn, answer);
    if (status !== 'vague') continue;
    if (vague.has(turn.field)) {
      throw new AppError('INVALID_INPUT', `The answer for "${turn.field}" (${turn.fieldLabel}) in ${file} is still too vague after a follow-up question: ${outcome}`);
    }
    vague.add(turn.field);
  }
}

/** A line that is no answer: the question stays, and the next line is read. */
function refused(ctx: CliContext, message: string): void {
  ctx.output.event('refused', { message });
  ctx.output.notice(message);
}

function pendingOf(state: InterviewState): NonNullable<InterviewState['pending']> {
  if (!state.pending) throw new AppError('INTERNAL', 'The interview is not done but has no question waiting');
  return state.pending;
}
