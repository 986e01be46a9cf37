import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecentDigests } from '../../../src-main/gateway/RecentDigests.ts';

describe('RecentDigests', () => {
  it('gives the SHA-256 of every prefix and text joined, remembered or not: short, long, non-ASCII, asked again after being forgotten', () => {
    const digests = new RecentDigests(4, 64);
    const texts = ['', 'a', 'Say hello.', 'é€😀 and a lone surrogate \ud800', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(100_000)];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) for (const prefix of ['', '["p",null,"m"]']) expect(digests.sha256(prefix, text)).toBe(hash('sha256', prefix + text));
    }
    // Many more texts than it keeps: the oldest are forgotten and hashed again, never answered wrongly.
    for (let i = 0; i < 50; i++) expect(digests.sha256(`target ${i % 3}`, `prompt ${i % 7}`)).toBe(hash('sha256', `target ${i % 3}prompt ${i % 7}`));
  });

  it('hashes the joined text: a surrogate pair split between prefix and text is one character', () => {
    const digests = new RecentDigests();
    // A high surrogate ending the prefix and a low one starting the text make one character when joined.
    expect(digests.sha256('ab\ud83d', '\ude00c')).toBe(hash('sha256', 'ab😀c'));
    expect(digests.sha256('ab', '\ud83d\ude00c')).toBe(hash('sha256', 'ab😀c'));
  });

  it('keeps no more texts than it was given room for, across any number of prefixes', () => {
    const digests = new RecentDigests(8);
    for (let i = 0; i < 500; i++) digests.sha256(`prefix ${i % 37}`, `text ${i}`);
    expect(digests.size).toBe(8);
    for (let i = 0; i < 500; i++) digests.sha256('one prefix', `text ${i}`);
    expect(digests.size).toBe(8);
  });
});
