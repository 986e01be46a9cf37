import type { SpecCheck } from '../../../../src-shared/domain/serviceSpec.ts';
import { ProblemList } from './ProblemList.tsx';

/** What the spec still lacks, or that it is complete. */
export function SpecCheckSummary({ check }: { check: SpecCheck }) {
  if (check.valid) {
    return (
      <p className="spec-complete" role="status" data-testid="spec-complete">
        The spec is complete.
      </p>
    );
  }
  return <ProblemList title="Still missing or inconsistent" problems={check.problems} testId="spec-check-problems" alert={false} />;
}
