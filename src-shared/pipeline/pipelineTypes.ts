import { z } from 'zod';
import { fileKinds, fileLanguages, planSchema } from './plan.ts';

/** Files written at once: 1 to this (the CLI, the contract and the plan editor all check it). */
export const maxConcurrency = 16;

export const runStatuses = ['planning', 'planned', 'generating', 'paused', 'cancelled', 'failed', 'done'] as const;
export type RunStatus = (typeof runStatuses)[number];
/** Where a run is: its plan, its files (in dependency order), the cross-file checks, the docs. */
export const runPhases = ['plan', 'files', 'consistency', 'docs', 'done'] as const;
export type RunPhase = (typeof runPhases)[number];
export const fileStatuses = ['pending', 'generating', 'done', 'failed', 'blocked'] as const;
export type FileStatus = (typeof fileStatuses)[number];

export const fileProblemSchema = z.object({
  path: z.string(),
  rule: z.enum(['syntax', 'format', 'import', 'interface', 'empty', 'output']),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
});
export type FileProblemView = z.infer<typeof fileProblemSchema>;

export const runFileSchema = z.object({
  path: z.string(),
  purpose: z.string(),
  language: z.enum(fileLanguages),
  kind: z.enum(fileKinds),
  dependsOn: z.array(z.string()),
  status: z.enum(fileStatuses),
  /** Model calls made for this file (first draft and fixes). */
  attempts: z.number().int(),
  providerId: z.string().optional(),
  model: z.string().optional(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** Problems of the latest version (empty when it validated). */
  problems: z.array(fileProblemSchema),
  error: z.string().optional(),
});
export type RunFileView = z.infer<typeof runFileSchema>;

export const findingSchema = z.object({
  id: z.number().int(),
  round: z.number().int(),
  source: z.enum(['static', 'review']),
  path: z.string(),
  line: z.number().int().optional(),
  message: z.string(),
  status: z.enum(['open', 'fixed', 'unfixed']),
});
export type FindingView = z.infer<typeof findingSchema>;

export const runViewSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  status: z.enum(runStatuses),
  phase: z.enum(runPhases),
  plan: planSchema.nullable(),
  concurrency: z.number().int(),
  error: z.string().optional(),
  /** The project-wide type check could not run (its findings are missing): why, in words. */
  checkNote: z.string().optional(),
  files: z.array(runFileSchema),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  findings: z.array(findingSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RunView = z.infer<typeof runViewSchema>;

export const fileVersionSchema = z.object({
  id: z.number().int(),
  reason: z.enum(['generate', 'format', 'fix', 'consistency', 'review', 'docs', 'repair']),
  content: z.string(),
  problems: z.array(fileProblemSchema),
  providerId: z.string().optional(),
  model: z.string().optional(),
  createdAt: z.string(),
});
export type FileVersionView = z.infer<typeof fileVersionSchema>;

export const pipelineEventSchema = z.discriminatedUnion('kind', [
  z.object({ runId: z.string(), kind: z.literal('changed') }),
  z.object({ runId: z.string(), kind: z.literal('file-started'), path: z.string() }),
  /** Text of the file being written, as it arrives (a piece, to append). */
  z.object({ runId: z.string(), kind: z.literal('file-text'), path: z.string(), text: z.string() }),
  /** The attempt streaming this file failed; what arrived so far is void. */
  z.object({ runId: z.string(), kind: z.literal('file-restart'), path: z.string() }),
  z.object({ runId: z.string(), kind: z.literal('file-done'), path: z.string(), status: z.enum(fileStatuses) }),
  z.object({ runId: z.string(), kind: z.literal('validation'), path: z.string(), problems: z.array(fileProblemSchema) }),
  z.object({ runId: z.string(), kind: z.literal('consistency'), round: z.number().int(), findings: z.number().int() }),
]);
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;
