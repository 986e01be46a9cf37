import type { Target } from '../../src-shared/domain/provider.ts';
import type { SetupApplyResult } from '../../src-shared/domain/setup.ts';
import type { ModelChat } from '../modelCall/modelCallTypes.ts';

/** A first load of a large local model can take a while; past this the test says it did not answer. */
const testDeadlineMs = 180_000;
const maxShown = 200;

/**
 * One short answer from the chosen model, through the gateway like every model call (recorded as
 * an attempt of the interview task, which setup makes it answer). The text is the model's, so it
 * is cut to its first line, stripped of a reasoning block and control characters, and bounded.
 */
export async function testAnswer(chat: ModelChat, target: Target, signal?: AbortSignal): Promise<SetupApplyResult['test']> {
  const started = performance.now();
  try {
    const result = await chat({
      task: 'interview',
      only: target,
      messages: [
        { role: 'system', content: 'You are being checked after setup. Reply with one short line of plain text.' },
        { role: 'user', content: 'Say hello and say which model you are, in one short line.' },
      ],
      maxTokens: 64,
      maxChars: 2_000,
      temperature: 0,
      deadlineMs: testDeadlineMs,
      ...(signal ? { signal } : {}),
    });
    const line = firstLine(result.text);
    const ms = Math.round(performance.now() - started);
    if (line === '') return { ok: false, message: `${target.model} answered with no text` };
    return { ok: true, text: line, ms };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${target.model} did not answer: ${message}`.slice(0, 600) };
  }
}

export function firstLine(text: string): string {
  const withoutThinking = text.replace(/<think>[\s\S]*?(<\/think>|$)/g, '');
  const line = withoutThinking.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').split('\n').map((part) => part.trim()).find((part) => part !== '') ?? '';
  return line.length > maxShown ? `${line.slice(0, maxShown - 1)}…` : line;
}
