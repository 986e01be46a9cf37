import type { ErrorPayload } from '../../src-shared/envelope.ts';
import { inputIssuesSentence } from '../../src-shared/inputIssuesSentence.ts';

/** The message of anything thrown, for showing to the user. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * What the GUI says for a failed call: the one place where codes and validation issues become
 * sentences. Refused input lists each field by its label; a bug says it is one; every other
 * code keeps the core's message, which is written for the user (the CLI prints the same
 * envelopes in its own words).
 */
export function errorSentence(error: ErrorPayload): string {
  if (error.code === 'INVALID_INPUT' && error.issues !== undefined && error.issues.length > 0) return inputIssuesSentence(error.issues);
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
