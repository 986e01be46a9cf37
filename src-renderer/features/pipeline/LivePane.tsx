import { FollowingText, LiveTextBlocks } from './FollowingText.tsx';
import { maxLiveChars, shownChars, type LiveText } from './liveText.ts';

export interface LivePaneProps {
  path: string;
  live: LiveText | undefined;
}

/**
 * A file as the model writes it, in plain elements (an editor per frame would cost far more than
 * text). It keeps to the end while the reader is there, and holds only the last characters of a
 * huge answer.
 */
export function LivePane({ path, live }: LivePaneProps) {
  const length = live?.length ?? 0;
  const capped = live !== undefined && live.length > shownChars(live);
  return (
    <section className="live-pane" data-testid="run-live" data-path={path} data-length={length} aria-label={`${path} as it is written`}>
      <p className="live-pane-title">
        <span className="spinner" aria-hidden="true" /> Writing <code>{path}</code>
        {live !== undefined && live.attempt > 1 ? <span className="muted"> (model call {live.attempt}: fixing it)</span> : null}
        <span className="muted live-pane-count" data-testid="run-live-count">
          {length.toLocaleString('en-US')} characters
        </span>
      </p>
      {capped ? (
        <p className="field-hint" data-testid="run-live-capped">
          Showing about the last {maxLiveChars.toLocaleString('en-US')} characters.
        </p>
      ) : null}
      <FollowingText className="live-pane-text" testId="run-live-text" followKey={String(length)}>
        {live === undefined || length === 0 ? <span className="muted">Waiting for the first words…</span> : <LiveTextBlocks live={live} />}
      </FollowingText>
    </section>
  );
}
