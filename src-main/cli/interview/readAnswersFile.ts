import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../src-shared/AppError.ts';
import type { Answer } from '../../../src-shared/interview/Slot.ts';
import { slotIds, type SlotId } from '../../../src-shared/interview/interviewSlots.ts';
import { answerSchema } from '../../../src-shared/interview/interviewTypes.ts';

export type AnswersByField = Partial<Record<SlotId, Answer>>;

const fileSchema = z.object({ answers: z.record(z.string(), z.unknown()) }).strict();
const textSchema = answerSchema.shape.text;
const selectedSchema = answerSchema.shape.selected;

const shapeHelp = 'an answer is free text ("..."), a list of option labels (["...", "..."]) or {"selected": [...], "text": "..."}';

/** The largest answers file read; far more than nine answers of the longest allowed length. */
const maxFileBytes = 1_000_000;

/**
 * Reads `--answers FILE`: `{"answers": {"<field id>": ANSWER}}`, where ANSWER is free text, a
 * list of picked option labels, or `{selected, text}` as the UI sends it. Every problem is a
 * user error naming the file and what to change, found before any model call.
 */
export function readAnswersFile(file: string): AnswersByField {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('INVALID_INPUT', `Cannot read the answers file ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (Buffer.byteLength(text) > maxFileBytes) throw new AppError('INVALID_INPUT', `The answers file ${file} is larger than 1 MB`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `The answers file ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('INVALID_INPUT', `The answers file ${file} must be {"answers": {"<field id>": ANSWER}}: ${issues(parsed.error)}`);
  }
  const entries = Object.entries(parsed.data.answers);
  const unknown = entries.map(([field]) => field).filter((field) => !(slotIds as readonly string[]).includes(field));
  if (unknown.length > 0) {
    throw new AppError('INVALID_INPUT', `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((field) => `"${field}"`).join(', ')} in ${file}; the fields are: ${slotIds.join(', ')}`);
  }
  const answers: AnswersByField = {};
  for (const [field, value] of entries) answers[field as SlotId] = toAnswer(file, field, value);
  return answers;
}

function toAnswer(file: string, field: string, value: unknown): Answer {
  const where = `answers.${field}`;
  const checked = (result: z.ZodSafeParseResult<unknown>): void => {
    if (!result.success) throw new AppError('INVALID_INPUT', `${file}: ${where}: ${issues(result.error)}`);
  };
  if (typeof value === 'string') {
    checked(textSchema.safeParse(value));
    return { selected: [], text: value };
  }
  if (Array.isArray(value)) {
    const result = selectedSchema.safeParse(value);
    checked(result);
    return { selected: result.data as string[], text: '' };
  }
  if (typeof value === 'object' && value !== null) {
    const result = answerSchema.safeParse(value);
    checked(result);
    return result.data as Answer;
  }
  throw new AppError('INVALID_INPUT', `${file}: ${where}: ${shapeHelp}; got ${JSON.stringify(value)}`);
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 4)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
