import type { TaskKind } from '../../src-shared/domain/provider.ts';
import type { FileLanguage, PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView, PipelineEvent } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { PipelineRepository } from '../store/PipelineRepository.ts';
import type { RouteRequest, RouteResult, TargetTokens } from '../modelCall/modelCallTypes.ts';

export interface SourceFile {
  path: string;
  language: FileLanguage;
  content: string;
}

export interface ConsistencyProblem {
  path: string;
  line: number;
  message: string;
}

/**
 * The checks the pipeline runs on generated files (src-main/pipeline/validate/), passed in so the
 * orchestration is tested on its own and the parsers load once per process.
 */
export interface Validators {
  validateFile(
    file: SourceFile & { exports?: string[] },
    project: { paths: readonly string[]; read(path: string): string | undefined },
  ): Promise<{ problems: FileProblemView[]; formatted?: string }>;
  /** With the plan, also the promised endpoints, statuses and the tests' requests against them. */
  checkConsistency(files: SourceFile[], plan?: readonly PlanFile[]): ConsistencyProblem[] | Promise<ConsistencyProblem[]>;
  exportedSignatures(file: SourceFile): string | Promise<string>;
  /** The project-wide type check (pyright, TypeScript; pipeline/typecheck/); `pending`: planned files not written yet; `runId`: the run's own checker workspace. */
  checkProject?(files: SourceFile[], options: { pending: readonly string[]; signal: AbortSignal; runId?: string }): Promise<ConsistencyProblem[]>;
  /** A run will need the project check soon (planning; generation starting, with the plan's paths): its checkers start now. */
  prepareProjectCheck?(runId: string, languages: readonly ('python' | 'typescript')[], planned?: readonly string[]): void;
  /** Whether the run's project check would find its checkers warm (a layer check does not wait for a cold start). */
  projectCheckWarm?(runId: string, languages: readonly ('python' | 'typescript')[]): boolean;
  /** The run is over: what the checkers keep for it is let go. */
  releaseProjectCheck?(runId: string): void;
}

/** What every step of a run needs. */
export interface PipelineContext {
  runs: PipelineRepository;
  chat: (request: RouteRequest) => Promise<RouteResult>;
  /** Context window of the model a task would go to now, for sizing prompts. */
  contextWindow: (task: TaskKind) => Promise<number | undefined> | number | undefined;
  /** The same window learned from the server, with the target's token count (the gateway's promptBudget); prompts are fitted with it. */
  promptBudget?: (task: TaskKind) => Promise<TargetTokens | undefined>;
  promptsDir: string;
  validators: Validators;
  emit: (event: PipelineEvent) => void;
  limits: PipelineLimits;
}

export interface PipelineLimits {
  /** Fix prompts per file after its first draft fails validation. */
  maxFixAttempts: number;
  /** Rounds of cross-file checks and fixes. */
  maxConsistencyRounds: number;
  /** Most tokens one file's answer may have. */
  maxFileTokens: number;
}

export const defaultPipelineLimits: PipelineLimits = { maxFixAttempts: 2, maxConsistencyRounds: 2, maxFileTokens: 8192 };
