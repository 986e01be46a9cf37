import { memo, useLayoutEffect, useRef, type ReactNode } from 'react';
import type { LiveText } from './liveText.ts';

export interface FollowingTextProps {
  className: string;
  testId: string;
  /** Changes when the text grows or is replaced: the box then scrolls to the end if the reader was there. */
  followKey: string;
  children: ReactNode;
}

/**
 * A scrolling box of growing text that keeps to its end while the reader is there (scrolling up
 * stops that; scrolling back to the end resumes it). Focusable, so it scrolls from the keyboard.
 */
export function FollowingText({ className, testId, followKey, children }: FollowingTextProps) {
  const box = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && atEnd.current) element.scrollTop = element.scrollHeight;
  }, [followKey]);

  return (
    <div
      ref={box}
      className={className}
      data-testid={testId}
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        atEnd.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {children}
    </div>
  );
}

/** A closed block of the live text: it never changes, so React skips it and the browser keeps its layout. */
const LiveBlock = memo(function LiveBlock({ text }: { text: string }) {
  return <div className="live-pane-block">{text}</div>;
});

/** Live text as its closed blocks (each rendered once) and the open tail that grows. */
export function LiveTextBlocks({ live }: { live: LiveText }) {
  return (
    <>
      {live.blocks.map((block, index) => (
        <LiveBlock key={live.firstBlock + index} text={block} />
      ))}
      <div className="live-pane-block">{live.tail}</div>
    </>
  );
}
