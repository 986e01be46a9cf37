import type { FileProblemView } from '../../../src-shared/pipeline/pipelineTypes.ts';

export interface ProblemLinesProps {
  problems: readonly FileProblemView[];
  title?: string;
}

/** A file version's validation problems, each with its line and column (unless its message names them) and the check that found it. */
export function ProblemLines({ problems, title = 'Problems' }: ProblemLinesProps) {
  return (
    <div className="file-problems" data-testid="file-problems">
      <p className="file-problems-title">{title}</p>
      <ul className="file-problem-list">
        {problems.map((problem, index) => (
          <li key={`${problem.rule}-${problem.line ?? 0}-${index}`} data-testid="file-problem">
            {problem.line === undefined || problem.message.includes(`line ${problem.line}`) ? null : (
              <code className="file-problem-where">
                line {problem.line}
                {problem.column === undefined ? '' : `:${problem.column}`}
              </code>
            )}{' '}
            {problem.message} <span className="muted">({problem.rule})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
