import type { ErrorPayload, InputIssue } from '../../src-shared/envelope.ts';
import { fieldLabel } from './fieldLabels.ts';

/** The message of anything thrown, for showing to the user. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

const count = (value: number) => value.toLocaleString('en-US');

/** One refused field in a sentence, by its label and the kind of problem (zod's issue code), never zod's own text. */
export function issueSentence(issue: InputIssue): string {
  const label = fieldLabel(issue.path);
  const subject = label ?? 'The input';
  const unit = issue.origin === 'array' || issue.origin === 'set' ? 'entries' : 'characters';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'bigint') return `${subject} must be at least ${count(issue.minimum ?? 0)}.`;
      if ((issue.minimum ?? 1) <= 1) return issue.origin === 'array' ? `${subject} needs at least one entry.` : `${subject} cannot be empty.`;
      return `${subject} needs at least ${count(issue.minimum ?? 1)} ${unit}.`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'bigint') return `${subject} can be at most ${count(issue.maximum ?? 0)}.`;
      return `${subject} can have at most ${count(issue.maximum ?? 0)} ${unit}.`;
    case 'invalid_format':
      if (issue.format === 'url') return `${subject} must be a web address, such as http://localhost:8080.`;
      return `${subject} is not in the expected form.`;
    case 'invalid_type':
      return label === null ? 'Something the app sent is missing or of the wrong kind.' : `${subject} is missing or not valid.`;
    case 'invalid_value':
      return `${subject} is not one of the choices.`;
    case 'unrecognized_keys':
      return `${subject} has settings this version does not know.`;
    case 'custom':
      // A refinement's message is written for people (see the schemas); it already says which field.
      return issue.message;
    default:
      return `${subject} is not valid.`;
  }
}

/**
 * What the GUI says for a failed call: the one place where codes and validation issues become
 * sentences. Refused input lists each field by its label; a bug says it is one; every other
 * code keeps the core's message, which is written for the user (the CLI prints the same
 * envelopes in its own words).
 */
export function errorSentence(error: ErrorPayload): string {
  if (error.code === 'INVALID_INPUT' && error.issues !== undefined && error.issues.length > 0) {
    const sentences = [...new Set(error.issues.map(issueSentence))];
    return sentences.length === 1 ? (sentences[0] ?? '') : `Please check: ${sentences.join(' ')}`;
  }
  if (error.code === 'BUDGET_EXCEEDED') return budgetSentence(error.message);
  if (error.code === 'INTERNAL') return 'Something went wrong inside Service Creator. That is a bug, not something you did; trying again may help.';
  return error.message;
}

/** Said when a budget refusal comes without the core's sentence (which names the budget and what is left). */
export const budgetFallback = 'A spending budget has no room for this call, so it was not sent. See the budgets under Usage: raise or remove the budget, or route the task to a local model.';

/** A budget refusal in words: the core's sentence naming the budget, never the bare code. */
export function budgetSentence(message: string): string {
  const text = message.trim();
  return text === '' || text.includes('BUDGET_EXCEEDED') ? budgetFallback : text;
}
