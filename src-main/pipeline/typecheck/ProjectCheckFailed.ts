import { AppError } from '../../../src-shared/AppError.ts';

/** Why a project-wide type check gave no verdict (the checker, not the project, is at fault). */
export type ProjectCheckFailure = 'timeout' | 'crashed' | 'output-too-large' | 'unreadable-output' | 'unavailable';

/**
 * The type checker could not check the project: it ran past its time, exited without a report,
 * wrote more than we read, or wrote something that is not its report. `reason` is for programs;
 * the message says what happened in words.
 */
export class ProjectCheckFailed extends AppError {
  readonly reason: ProjectCheckFailure;

  constructor(reason: ProjectCheckFailure, message: string, options: { cause?: unknown } = {}) {
    super('INTERNAL', message, options);
    this.name = 'ProjectCheckFailed';
    this.reason = reason;
  }
}
