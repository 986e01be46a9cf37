import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecentDigests } from '../../../src-main/gateway/RecentDigests.ts';

describe('RecentDigests', () => {
  it('gives the SHA-256 of every text, remembered or not: short, long, non-ASCII, asked again after being forgotten', () => {
    const digests = new RecentDigests(4, 64);
    const texts = ['', 'a', 'Say hello.', 'é€😀 and a lone surrogate \ud800', 'x'.repeat(64), 'x'.repeat(65), 'y'.repeat(100_000)];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) expect(digests.sha256(text)).toBe(hash('sha256', text));
    }
    // Many more texts than it keeps: the oldest are forgotten and hashed again, never answered wrongly.
    for (let i = 0; i < 50; i++) expect(digests.sha256(`prompt ${i % 7}`)).toBe(hash('sha256', `prompt ${i % 7}`));
  });
});
