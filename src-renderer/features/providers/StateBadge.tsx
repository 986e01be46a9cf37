import type { ProviderState } from '../../../src-shared/domain/providerStatus.ts';
import { providerStateLabel } from './providerLabels.ts';

export interface StateBadgeProps {
  state: ProviderState;
  testId?: string;
}

/** The provider's health in one coloured word or two. */
export function StateBadge({ state, testId }: StateBadgeProps) {
  return (
    <span className={`state-badge state-badge-${state}`} data-testid={testId} data-state={state}>
      {providerStateLabel(state)}
    </span>
  );
}
