/** Which end of a text survives a cut: the start (code, a file's header) or the end (logs, where the failure is). */
export type KeepEnd = 'start' | 'end';

export interface CutText {
  text: string;
  tokens: number;
  /** False when the text fit whole. */
  cut: boolean;
}

/** Counting is expensive on big texts: a cut converges in a few proportional steps, never more than this. */
const maxSteps = 8;

/**
 * `text` cut down to at most `budget` tokens by `count`, keeping its start or its end, on a line
 * boundary where one is near, with a line saying in words how much was cut (the note is inside the
 * budget). Few counts: each step shrinks in proportion to how far over the last count was, 10%
 * further, so most texts fit on the second count. `undefined` when not even `minTokens` of it fits.
 */
export function cutToTokens(text: string, budget: number, count: (text: string) => number, keep: KeepEnd, minTokens = 0, knownTokens?: number): CutText | undefined {
  const whole = knownTokens ?? count(text);
  if (whole <= budget) return { text, tokens: whole, cut: false };
  if (budget <= 0 || budget < minTokens) return undefined;
  let tokens = whole;
  let kept = text.length;
  for (let step = 0; step < maxSteps; step += 1) {
    kept = Math.floor((kept * budget * 0.9) / tokens);
    if (kept <= 0) return undefined;
    const candidate = withNote(text, kept, keep);
    tokens = count(candidate);
    if (tokens <= budget) return tokens < minTokens ? undefined : { text: candidate, tokens, cut: true };
  }
  return undefined;
}

/** The kept part (snapped to a line boundary when that loses under a fifth of it) and the note. */
function withNote(text: string, keptChars: number, keep: KeepEnd): string {
  let kept = keep === 'start' ? text.slice(0, keptChars) : text.slice(text.length - keptChars);
  if (keep === 'start') {
    const lastBreak = kept.lastIndexOf('\n');
    if (lastBreak >= kept.length * 0.8) kept = kept.slice(0, lastBreak + 1);
    else kept = dropBrokenSurrogate(kept, 'start');
  } else {
    const firstBreak = kept.indexOf('\n');
    if (firstBreak >= 0 && firstBreak <= kept.length * 0.2) kept = kept.slice(firstBreak + 1);
    else kept = dropBrokenSurrogate(kept, 'end');
  }
  const removed = keep === 'start' ? text.slice(kept.length) : text.slice(0, text.length - kept.length);
  const note = cutNote(removed);
  if (keep === 'start') return `${kept}${kept.endsWith('\n') || kept === '' ? '' : '\n'}${note}`;
  return `${note}\n${kept}`;
}

/** "… (1,234 lines cut to fit the model's window)", or characters when the cut is inside one line. */
export function cutNote(removed: string): string {
  const lines = removed.split('\n').filter((line, index, all) => line !== '' || (index !== 0 && index !== all.length - 1)).length;
  if (lines > 1) return `… (${lines.toLocaleString('en-US')} lines cut to fit the model's window)`;
  return `… (${removed.length.toLocaleString('en-US')} characters cut to fit the model's window)`;
}

/** A cut inside a surrogate pair would leave half a character: drop it. */
function dropBrokenSurrogate(kept: string, keep: KeepEnd): string {
  if (kept === '') return kept;
  if (keep === 'start') {
    const last = kept.charCodeAt(kept.length - 1);
    return last >= 0xd800 && last <= 0xdbff ? kept.slice(0, -1) : kept;
  }
  const first = kept.charCodeAt(0);
  return first >= 0xdc00 && first <= 0xdfff ? kept.slice(1) : kept;
}
