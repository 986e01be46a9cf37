import type { SpecProblem } from '../../../../src-shared/domain/serviceSpec.ts';
import { pathLabel } from '../../../../src-shared/fieldLabels.ts';

export interface ProblemListProps {
  title: string;
  problems: readonly SpecProblem[];
  testId: string;
  /** An alert for problems the user just caused; a plain list for the spec's standing problems. */
  alert?: boolean;
}

/** Problems as "Field: message", one per line; the field by its label, never the JSON path. */
export function ProblemList({ title, problems, testId, alert = true }: ProblemListProps) {
  return (
    <div className={alert ? 'spec-problems spec-problems-alert' : 'spec-problems'} role={alert ? 'alert' : undefined} data-testid={testId}>
      <p className="spec-problems-title">{title}</p>
      <ul className="spec-problem-list">
        {problems.map((problem, index) => (
          <li key={`${problem.path}-${index}`} data-testid="spec-problem">
            {problem.path === '' ? null : (
              <span className="spec-problem-path" data-path={problem.path}>
                {pathLabel(problem.path)}
              </span>
            )}
            {problem.path === '' ? '' : ': '}
            {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
