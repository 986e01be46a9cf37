import type { Answer, QuestionType } from '../../../src-shared/interview/Slot.ts';

/** What one typed line means for the question on screen. */
export type ParsedLine =
  | { kind: 'answer'; answer: Answer }
  | { kind: 'quit' }
  | { kind: 'empty' }
  /** Not an answer (an option number that does not exist): say why and read another line. */
  | { kind: 'invalid'; message: string };

const quitWords = new Set([':q', ':quit', ':wq', ':exit']);
/** Option numbers separated by commas or spaces, then optionally free text. */
const picksThenText = /^(\d+(?:\s*,\s*\d+|\s+\d+)*)(?:(?:\s*,\s*|\s+)(.*))?$/s;
/** "1,3 also backups": the joining word is not part of the answer. */
const joiningWord = /^(?:also|and|plus|\+)\s+/i;

/**
 * Reads one answer line: `1,3` picks options 1 and 3, anything else is free text, and both
 * mix (`1,3 also backups`). A leading number outside the option list makes a line free text
 * when words follow ("100 rules per tenant"), and is refused when it stands alone. `:q` quits.
 */
export function parseAnswerLine(line: string, options: readonly string[], questionType: QuestionType): ParsedLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (quitWords.has(trimmed.toLowerCase())) return { kind: 'quit' };
  const match = options.length > 0 ? picksThenText.exec(trimmed) : null;
  if (!match) return { kind: 'answer', answer: { selected: [], text: trimmed } };
  const numbers = [...new Set((match[1] ?? '').split(/[\s,]+/).map(Number))];
  const rest = (match[2] ?? '').trim();
  const outside = numbers.find((number) => number < 1 || number > options.length);
  if (outside !== undefined) {
    if (rest !== '') return { kind: 'answer', answer: { selected: [], text: trimmed } };
    return { kind: 'invalid', message: `There is no option ${outside}: pick from 1 to ${options.length}, or type your answer in words.` };
  }
  if (questionType === 'single' && numbers.length > 1) {
    return { kind: 'invalid', message: `This question takes one option: pick one number from 1 to ${options.length}.` };
  }
  const selected = numbers.map((number) => options[number - 1] as string);
  return { kind: 'answer', answer: { selected, text: rest.replace(joiningWord, '').trim() } };
}
