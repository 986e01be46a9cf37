import { EmptyState } from '../../ui/EmptyState.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';

/** Model calls made on the user's behalf. None are recorded yet, and the view says so. */
export function UsageView() {
  return (
    <div className="view">
      <ViewHeader title="Usage">Model calls made for your projects, and where each one ran.</ViewHeader>
      <EmptyState title="No model calls recorded yet" testId="usage-empty">
        <p>When a model is called for one of your projects, the call will be listed here.</p>
      </EmptyState>
    </div>
  );
}
