import { describe, expect, it } from 'vitest';
import { keysOutOfAnswer } from '../../../src-main/secrets/keysOutOfAnswer.ts';
import { PromptRedaction } from '../../../src-main/secrets/PromptRedaction.ts';

const key = 'Zq7RkP2mWx9TfL4nVb8HcJ3dQ0';

function streamed(chunks: string[], stream = keysOutOfAnswer([key])): string {
  return chunks.map((chunk) => stream.push(chunk)).join('') + stream.end();
}

describe('the keys in use taken out of a streamed answer', () => {
  it('finds a key cut anywhere between two or three chunks, and leaves the rest as it is', () => {
    const answer = `token=${key}; again "${key.slice(0, 20)}" end`;
    const expected = 'token=[redacted]; again "[redacted]" end';
    for (let cut = 0; cut <= answer.length; cut += 1) {
      expect(streamed([answer.slice(0, cut), answer.slice(cut)])).toBe(expected);
      const second = Math.min(answer.length, cut + 7);
      expect(streamed([answer.slice(0, cut), answer.slice(cut, second), answer.slice(second)])).toBe(expected);
    }
  });

  it('holds only the word a chunk ends in; a text without a key passes unchanged', () => {
    const stream = keysOutOfAnswer([key]);
    expect(stream.push('def add(a, b):\n    return a + b  # sum')).toBe('def add(a, b):\n    return a + b  # ');
    expect(stream.push('med\n')).toBe('summed\n');
    expect(stream.end()).toBe('');
  });

  it('runs after the privacy guard\'s restorer: a value put back is scrubbed if it is a key in use', () => {
    const guard = new PromptRedaction({ kinds: ['email'] });
    guard.redact('mail ana@corp.example');
    expect(streamed(['send to [EMA', 'IL_1] with ', key.slice(0, 10), key.slice(10)], keysOutOfAnswer([key], guard.restorer()))).toBe('send to ana@corp.example with [redacted]');
  });
});
