import { z } from 'zod';
import { specDraftSchema } from '../domain/serviceSpec.ts';
import { questionTypes } from './Slot.ts';
import { slotIds } from './interviewSlots.ts';

/** The longest answer accepted, in characters; longer ones are refused with this number in the message. */
export const maxAnswerLength = 4000;

export const answerSchema = z
  .object({
    selected: z.array(z.string().max(200, 'An option is at most 200 characters')).max(30, 'At most 30 options can be picked').default([]),
    text: z
      .string()
      // Digits grouped by hand: toLocaleString at module load starts ICU (about 30 ms of every CLI and serve start).
      .max(maxAnswerLength, { message: `An answer is at most ${String(maxAnswerLength).replace(/\B(?=(\d{3})+$)/g, ',')} characters: shorten it or split it over several answers` })
      .default(''),
  })
  .strict();
export type AnswerInput = z.input<typeof answerSchema>;

export const turnStatuses = ['pending', 'answered', 'vague', 'superseded'] as const;
export type TurnStatus = (typeof turnStatuses)[number];

export const turnOptionSchema = z.object({ label: z.string(), hint: z.string().optional() });

/** A question as the UI and CLI see it (what the model wrote, checked and completed by the slot). */
export const turnViewSchema = z.object({
  id: z.number().int(),
  field: z.enum(slotIds),
  fieldLabel: z.string(),
  question: z.string(),
  explanation: z.string(),
  options: z.array(turnOptionSchema),
  questionType: z.enum(questionTypes),
  step: z.number().int(),
  totalSteps: z.number().int(),
  status: z.enum(turnStatuses),
  answer: z.object({ selected: z.array(z.string()), text: z.string() }).optional(),
  /** What the answer put into the spec, or why it was too vague to use. */
  outcome: z.string().optional(),
  promptVersion: z.string(),
  providerId: z.string(),
  model: z.string(),
  createdAt: z.string(),
  answeredAt: z.string().optional(),
});
export type TurnView = z.infer<typeof turnViewSchema>;

export const specCheckSchema = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});

export const interviewStateSchema = z.object({
  projectId: z.string(),
  /** Asked questions, oldest first (superseded ones left out). */
  turns: z.array(turnViewSchema),
  /** The question waiting for an answer, if any (also the last entry of `turns`). */
  pending: turnViewSchema.nullable(),
  /** Every needed field is known: nothing left to ask. */
  done: z.boolean(),
  progress: z.object({ step: z.number().int(), totalSteps: z.number().int() }),
  spec: specDraftSchema,
  check: specCheckSchema,
  /** The last failed attempt to get a question (kept until a question arrives). */
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
  /** A model call for this project is in flight. */
  busy: z.boolean(),
});
export type InterviewState = z.infer<typeof interviewStateSchema>;


export const interviewEventSchema = z.discriminatedUnion('kind', [
  /** The explanation of the question being written, so far (the whole text each time). */
  z.object({ projectId: z.string(), kind: z.literal('explanation'), text: z.string() }),
  /** A model attempt failed after streaming: what was shown is void. */
  z.object({ projectId: z.string(), kind: z.literal('restart'), reason: z.string() }),
  /** State changed (question arrived, answer stored, spec edited): fetch it again. */
  z.object({ projectId: z.string(), kind: z.literal('changed') }),
]);
export type InterviewEvent = z.infer<typeof interviewEventSchema>;
