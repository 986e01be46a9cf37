import type { TextBatch } from './createTextBatcher.ts';

/**
 * The text of a file as the model writes it (this attempt), for the live pane. It is held as
 * blocks of whole lines that never change once closed, and an open tail that grows: the pane
 * draws each block as its own element, so a new piece re-lays out only the tail, not the whole
 * text (40,000 characters re-laid out every frame cost 50-100 ms frames on a 2-core machine).
 */
export interface LiveText {
  /** Closed blocks, each ending with a line break. */
  blocks: readonly string[];
  /** The index of `blocks[0]` since the attempt began (older blocks were dropped): a stable key. */
  firstBlock: number;
  /** Text after the last closed block. */
  tail: string;
  /** Characters received in this attempt (more than the blocks and tail hold once capped). */
  length: number;
  /** Model calls for this file seen live (1 for the first draft, 2 for the first fix, ...). */
  attempt: number;
}

/** About the most characters the live pane holds: a runaway answer cannot grow the page without bound. */
export const maxLiveChars = 20_000;
/** A block closes at the first line break after this many characters. */
const blockChars = 1_000;

export const emptyLive = (attempt: number): LiveText => ({ blocks: [], firstBlock: 0, tail: '', length: 0, attempt });

/** The characters the live text holds now. */
export function shownChars(live: LiveText): number {
  return live.blocks.reduce((sum, block) => sum + block.length, live.tail.length);
}

/** The live text after a batch of streamed pieces (a reset first empties it). */
export function applyBatch(current: LiveText | undefined, batch: TextBatch): LiveText {
  const base = batch.reset || current === undefined ? emptyLive(current?.attempt ?? 1) : current;
  const blocks = [...base.blocks];
  let firstBlock = base.firstBlock;
  let tail = base.tail + batch.text;
  for (;;) {
    const breakAt = tail.indexOf('\n', blockChars - 1);
    // A line that never ends is cut anyway, so one huge line cannot stay an ever-growing tail.
    const cut = breakAt >= 0 ? breakAt + 1 : tail.length >= 4 * blockChars ? 4 * blockChars : -1;
    if (cut < 0) break;
    blocks.push(tail.slice(0, cut));
    tail = tail.slice(cut);
  }
  let shown = blocks.reduce((sum, block) => sum + block.length, tail.length);
  while (shown > maxLiveChars && blocks.length > 0) {
    shown -= blocks.shift()?.length ?? 0;
    firstBlock += 1;
  }
  return { blocks, firstBlock, tail, length: base.length + batch.text.length, attempt: base.attempt };
}
