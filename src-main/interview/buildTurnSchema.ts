import { z } from 'zod';
import { questionTypes } from '../../src-shared/interview/Slot.ts';
import type { SlotId } from '../../src-shared/interview/interviewSlots.ts';
import { findUnsafeText } from './findUnsafeText.ts';

const stepValues = Array.from({ length: 20 }, (_, index) => index + 1) as [number, ...number[]];

const safeText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const problem = findUnsafeText(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      if (min > 0 && value.trim() === '') ctx.addIssue({ code: 'custom', message: 'is blank' });
    });

/**
 * The JSON a model must answer with for one interview turn. `field` is limited to the fields
 * still open, so a grammar-constrained local model cannot even name another one. Strings and the
 * option list are bounded (random-weight models finish; cloud models stay short). The refinements
 * (unsafe text, empty options, duplicates) are checked by zod after parsing and trigger the one
 * repair attempt.
 */
export function buildTurnSchema(openFields: readonly [SlotId, ...SlotId[]]) {
  return z
    .object({
      field: z.enum(openFields),
      questionType: z.enum(questionTypes),
      question: safeText(1, 240),
      explanation: safeText(0, 480),
      // At least one option even for free text: a grammar cannot tie the count to questionType.
      options: z.array(safeText(1, 60)).min(1, 'a question needs at least one option').max(8),
      // Enumerated, not bounded: grammars (node-llama-cpp) cannot bound an integer's size.
      step: z.literal(stepValues),
      totalSteps: z.literal(stepValues),
      done: z.boolean(),
    })
    .superRefine((turn, ctx) => {
      const seen = new Set<string>();
      turn.options.forEach((option, index) => {
        const key = option.trim().toLowerCase();
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['options', index], message: `"${option}" is listed twice` });
        seen.add(key);
      });
    });
}

export type ModelTurn = z.output<ReturnType<typeof buildTurnSchema>>;
