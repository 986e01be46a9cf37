import { AppError } from '../../src-shared/AppError.ts';
import type { AttemptRecord, RouteRequest } from '../modelCall/modelCallTypes.ts';
import { describeMs, type CallDeadline } from './callDeadline.ts';
import { describeAttempts } from './describeAttempts.ts';

/**
 * Why a call got no answer, once every target was tried or passed over: the deadline ran out, a
 * budget stopped it (naming the budget and what is left), nothing is configured, or each target
 * failed ("Tried: …" lists them).
 */
export function noAnswerError(input: { request: RouteRequest; attempts: readonly AttemptRecord[]; deadline: CallDeadline; retryPastDeadline: boolean; budgetRefusal: string | undefined }): AppError {
  const { request, attempts, deadline } = input;
  const tried = describeAttempts(attempts);
  if (deadline.passed() || input.retryPastDeadline) {
    return new AppError(
      'PROVIDER_FAILED',
      `No answer for the ${request.task} task within its overall deadline of ${describeMs(deadline.ms)}${deadline.passed() ? '' : ' (the next retry would have passed it)'}. Tried: ${tried.join('; ') || 'nothing yet'}`,
      { retryable: true },
    );
  }
  if (input.budgetRefusal !== undefined && !attempts.some((attempt) => attempt.outcome === 'error')) {
    return new AppError('BUDGET_EXCEEDED', `The ${request.task} task was not sent: ${input.budgetRefusal}. Raise or clear the budget in Usage, or route the task to a local model. Tried: ${tried.join('; ')}`);
  }
  return new AppError(
    'NO_ROUTE',
    tried.length === 0 ? `No provider is configured for the ${request.task} task. Add one in Providers.` : `No target could answer the ${request.task} task. Tried: ${tried.join('; ')}`,
    { retryable: attempts.some((attempt) => attempt.outcome === 'error') },
  );
}
