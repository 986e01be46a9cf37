import type { AttemptRecord } from '../modelCall/modelCallTypes.ts';
import { costOfAttempts } from './attemptCost.ts';
import { PassedOver } from './PassedOver.ts';
import type { BudgetAdmission } from './routerTypes.ts';

type Admitted = Exclude<BudgetAdmission, { refused: string }>;

/** The tries on one target under its budget admissions: `each` wraps a try, `release` settles every admission. */
export interface AdmittedTries {
  each<T>(attempt: () => Promise<T>): () => Promise<T>;
  release(): void;
}

/**
 * The tries on one target, each sent within what a budget reserved. The first goes on the
 * target's admission. A retry after a try that may have cost something (it answered, or it
 * streamed before it failed: the provider bills what it generated) is another request that can
 * cost as much: the call's projected cost is reserved again first (`again`), and when no budget
 * has that room the retry is not sent (PassedOver, naming the budget). A retry after tries
 * refused before their first token (a 5xx, a 429, a reset) goes on the reservation they left.
 * Each admission is released with the cost of its own tries.
 */
export function admittedTries(admission: Admitted | undefined, attempts: readonly AttemptRecord[]): AdmittedTries {
  const held: { admission: Admitted; from: number }[] = admission ? [{ admission, from: attempts.length }] : [];
  return {
    each: (attempt) => () => {
      const last = held.at(-1);
      if (last?.admission.again && costOfAttempts(attempts.slice(last.from)) !== 0) {
        const next = last.admission.again();
        if ('refused' in next) return Promise.reject(new PassedOver(`not tried again: ${next.refused}`));
        held.push({ admission: next, from: attempts.length });
      }
      return attempt();
    },
    release: () => held.forEach(({ admission: each, from }, index) => each.release(costOfAttempts(attempts.slice(from, held[index + 1]?.from)))),
  };
}
