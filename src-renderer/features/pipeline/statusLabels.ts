import type { FileStatus, RunPhase, RunStatus } from '../../../src-shared/pipeline/pipelineTypes.ts';

/** A run's status in words. */
export const runStatusLabels: Record<RunStatus, string> = {
  planning: 'Planning',
  planned: 'Planned: review the plan',
  generating: 'Generating',
  paused: 'Paused',
  cancelled: 'Cancelled',
  failed: 'Failed',
  done: 'Done',
};

/** Where a run is, in words. */
export const runPhaseLabels: Record<RunPhase, string> = {
  plan: 'plan',
  files: 'writing files',
  consistency: 'cross-file checks',
  docs: 'documentation',
  done: 'finished',
};

/** A file's status in words. */
export const fileStatusLabels: Record<FileStatus, string> = {
  pending: 'Pending',
  generating: 'Writing',
  done: 'Done',
  failed: 'Failed',
  blocked: 'Blocked',
};
