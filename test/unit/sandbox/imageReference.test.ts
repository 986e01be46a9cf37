import { describe, expect, it } from 'vitest';
import { imageReferenceSchema } from '../../../src-shared/sandbox/sandboxTypes.ts';

describe('imageReferenceSchema', () => {
  it('takes the image names Docker takes', () => {
    for (const name of ['service-creator/sandbox-python:dev', 'node:24-bookworm-slim', 'registry.local:5000/team/node:24', 'localhost/x', 'a', 'x__y.z-w:1.0_rc', `ghcr.io/owner/img@sha256:${'a'.repeat(64)}`, ' padded:tag ']) {
      expect(imageReferenceSchema.safeParse(name).success, name).toBe(true);
    }
  });

  it('refuses what would be read as an option, has spaces or shell text, or breaks the grammar', () => {
    for (const name of ['', '--help', '-x', 'Upper/Case', 'a b', 'a;b', '$(id)', 'x:', 'x::y', 'x/', '/x', 'x@sha256:12', 'a'.repeat(301)]) {
      expect(imageReferenceSchema.safeParse(name).success, name).toBe(false);
    }
  });

  // A pattern that backtracked without bound would hang here (the test's timeout stops it).
  it('refuses long hostile values', () => {
    for (const text of ['a'.repeat(200_000) + '!', 'a-'.repeat(100_000) + '!', 'a.'.repeat(100_000) + '/']) expect(imageReferenceSchema.safeParse(text).success).toBe(false);
  });
});
