import { describe, expect, it } from 'vitest';
import { TrailerSplitter } from '../../../src-main/sandbox/TrailerSplitter.ts';

function split(chunks: string[], maxTrailerBytes = 1000) {
  const output: string[] = [];
  const splitter = new TrailerSplitter('MARK', (chunk) => output.push(chunk.toString('utf8')), maxTrailerBytes);
  for (const chunk of chunks) splitter.write(Buffer.from(chunk, 'utf8'));
  splitter.end();
  return { output: output.join(''), chunks: output.length, trailer: splitter.trailer };
}

describe('TrailerSplitter', () => {
  it('passes output through and keeps what follows the marker line apart', () => {
    const { output, chunks, trailer } = split(['tests ran\n', 'ok\n\nMARK pids 0\nMARK junit\n<x/>']);
    expect(output).toBe('tests ran\nok\n');
    expect(trailer).toBe(' pids 0\nMARK junit\n<x/>');
    // Only the newline that could start a marker was held back from the first chunk.
    expect(chunks).toBe(2);
  });

  it('finds a marker split across chunks, one byte at a time', () => {
    const text = 'out\nMARK pids 3\n';
    const { output, trailer } = split([...text]);
    expect(output).toBe('out');
    expect(trailer).toBe(' pids 3\n');
  });

  it('releases held-back output that turned out not to be the marker', () => {
    expect(split(['a\nMA', 'Y\n']).output).toBe('a\nMAY\n');
    expect(split(['a\nMA']).output).toBe('a\nMA');
  });

  it('needs the marker at the start of a line', () => {
    expect(split(['xMARK pids 0\n'])).toMatchObject({ output: 'xMARK pids 0\n', trailer: undefined });
  });

  it('has no trailer when none came, and drops one over the limit', () => {
    expect(split(['just output\n']).trailer).toBeUndefined();
    expect(split(['\nMARK', 'x'.repeat(50)], 20).trailer).toBeUndefined();
  });

  it('keeps multi-byte text on both sides intact', () => {
    expect(split(['é€\nMARK junit\n<n a="é€"/>'])).toMatchObject({ output: 'é€', trailer: ' junit\n<n a="é€"/>' });
  });
});
