import { memo, useLayoutEffect, useRef } from 'react';
import { maxLiveChars, shownChars, type LiveText } from './liveText.ts';

export interface LivePaneProps {
  path: string;
  live: LiveText | undefined;
}

/** A closed block of the live text: it never changes, so React skips it and the browser keeps its layout. */
const LiveBlock = memo(function LiveBlock({ text }: { text: string }) {
  return <div className="live-pane-block">{text}</div>;
});

/**
 * A file as the model writes it, in plain elements (an editor per frame would cost far more than
 * text). It keeps to the end while the reader is there, and holds only the last characters of a
 * huge answer.
 */
export function LivePane({ path, live }: LivePaneProps) {
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const length = live?.length ?? 0;

  useLayoutEffect(() => {
    const element = box.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [length]);

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
      <div
        ref={box}
        className="live-pane-text"
        data-testid="run-live-text"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget;
          atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
        }}
      >
        {live === undefined || length === 0 ? (
          <span className="muted">Waiting for the first words…</span>
        ) : (
          <>
            {live.blocks.map((block, index) => (
              <LiveBlock key={live.firstBlock + index} text={block} />
            ))}
            <div className="live-pane-block">{live.tail}</div>
          </>
        )}
      </div>
    </section>
  );
}
