import { FollowingText, LiveTextBlocks } from '../pipeline/FollowingText.tsx';
import { maxLiveChars, shownChars, type LiveText } from '../pipeline/liveText.ts';

/** The most characters of a stored log drawn at once (the stored log holds up to 1 MiB). */
export const maxShownLogChars = 50_000;

export interface TestLogProps {
  testRunId: string;
  /** The log as it streams, while the tests run. */
  live: LiveText | undefined;
  running: boolean;
  /** The stored log once the run ended; null while it loads. */
  log: string | null;
  /** The core cut the stored log at its size limit. */
  truncated: boolean;
}

/**
 * stdout and stderr of the tests, as text only: live while they run (batched per frame, only the
 * last characters kept), the stored log afterwards (its end, when long). It keeps to the end while
 * the reader is there.
 */
export function TestLog({ testRunId, live, running, log, truncated }: TestLogProps) {
  const length = running ? (live?.length ?? 0) : (log?.length ?? 0);

  const liveCapped = running && live !== undefined && live.length > shownChars(live);
  const storedCapped = !running && log !== null && log.length > maxShownLogChars;
  return (
    <section className="tests-log" data-testid="test-log" data-length={length} data-running={running} aria-label="Test output">
      <p className="tests-log-title">
        {running ? <span className="spinner" aria-hidden="true" /> : null}
        Output
        <span className="muted tests-log-count" data-testid="test-log-count">
          {length.toLocaleString('en-US')} characters
        </span>
      </p>
      {liveCapped ? (
        <p className="field-hint" data-testid="test-log-capped">
          Showing about the last {maxLiveChars.toLocaleString('en-US')} characters while the tests run.
        </p>
      ) : null}
      {storedCapped ? (
        <p className="field-hint" data-testid="test-log-capped">
          Showing the last {maxShownLogChars.toLocaleString('en-US')} of {length.toLocaleString('en-US')} characters.
        </p>
      ) : null}
      {truncated ? (
        <p className="tests-log-cut" role="note" data-testid="test-log-cut">
          The stored log was cut at the size limit: later output was dropped (the marker line shows where).
        </p>
      ) : null}
      <FollowingText className="live-pane-text tests-log-text" testId="test-log-text" followKey={`${testRunId}:${running}:${length}`}>
        {running ? (
          live === undefined || live.length === 0 ? (
            <span className="muted">Waiting for output…</span>
          ) : (
            <LiveTextBlocks live={live} />
          )
        ) : log === null ? (
          <span className="muted">Loading the log…</span>
        ) : log === '' ? (
          <span className="muted">No output.</span>
        ) : (
          <div className="live-pane-block">{log.length > maxShownLogChars ? log.slice(-maxShownLogChars) : log}</div>
        )}
      </FollowingText>
    </section>
  );
}
