import { useConnectionStore } from './connectionStore.ts';

export interface ConnectionBannerProps {
  onRetry: () => void;
}

/** Full-width notice while the core cannot be reached, so a broken connection is never a blank page. */
export function ConnectionBanner({ onRetry }: ConnectionBannerProps) {
  const problem = useConnectionStore((state) => state.problem);
  if (problem === null) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="error-banner">
      <div className="connection-banner-text">
        <strong>Cannot reach the Service Creator core.</strong> <span>{problem}</span>
      </div>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
