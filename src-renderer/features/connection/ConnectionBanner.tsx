import { useEffect } from 'react';
import { useConnectionStore } from './connectionStore.ts';

/** While the banner shows a problem that can pass (a dropped socket), it tries again this often. */
const retryEveryMs = 5000;

export interface ConnectionBannerProps {
  onRetry: () => void;
}

/**
 * Full-width notice while the core cannot be reached, so a broken connection is never a blank
 * page: reconnecting (with the tries so far), ended (the server no longer takes this page's
 * token: only the address it printed helps), or why a call could not get through.
 */
export function ConnectionBanner({ onRetry }: ConnectionBannerProps) {
  const problem = useConnectionStore((state) => state.problem);
  const link = useConnectionStore((state) => state.link);
  const retryable = link.state !== 'ended' && link.state !== 'reconnecting' && (problem?.retryable ?? false);

  useEffect(() => {
    if (!retryable) return;
    const timer = setInterval(onRetry, retryEveryMs);
    return () => {
      clearInterval(timer);
    };
  }, [retryable, onRetry]);

  if (link.state === 'ended') {
    return (
      <div className="connection-banner" role="alert" data-testid="error-banner" data-link="ended">
        <div className="connection-banner-text">
          <strong>This page&apos;s connection has ended:</strong> <span>open the address the app printed when it started (or paste it here).</span>
        </div>
      </div>
    );
  }
  if (link.state === 'reconnecting') {
    return (
      <div className="connection-banner connection-banner-quiet" role="status" data-testid="error-banner" data-link="reconnecting">
        <div className="connection-banner-text">
          <strong>Reconnecting to the Service Creator core…</strong>{' '}
          <span data-testid="reconnect-attempt">
            {link.attempt === 1 ? 'The connection dropped; trying again.' : `Try ${link.attempt.toLocaleString('en-US')}.`}
          </span>{' '}
          <span className="connection-banner-hint">Actions are paused until it is back.</span>
        </div>
      </div>
    );
  }
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
