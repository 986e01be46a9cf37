import { useEffect } from 'react';
import { useConnectionStore } from './connectionStore.ts';

/** While the banner shows a problem that can pass (a dropped socket), it tries again this often. */
const retryEveryMs = 5000;

export interface ConnectionBannerProps {
  onRetry: () => void;
}

/** Full-width notice while the core cannot be reached, so a broken connection is never a blank page. */
export function ConnectionBanner({ onRetry }: ConnectionBannerProps) {
  const problem = useConnectionStore((state) => state.problem);
  const retryable = problem?.retryable ?? false;

  useEffect(() => {
    if (!retryable) return;
    const timer = setInterval(onRetry, retryEveryMs);
    return () => {
      clearInterval(timer);
    };
  }, [retryable, onRetry]);

  if (problem === null) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="error-banner">
      <div className="connection-banner-text">
        <strong>Cannot reach the Service Creator core.</strong> <span>{problem.message}</span>
        {retryable ? <span className="connection-banner-hint"> Trying again every few seconds.</span> : null}
      </div>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
