import { describe, expect, it } from 'vitest';
import { clipLongValues } from '../../../src-main/cli/clipLongValues.ts';

describe('clipLongValues', () => {
  it('leaves a long sentence between two quoted names whole: the words between them are no quoted value', () => {
    const message = `The spec of "Edge firewall" is not complete, so there is nothing to generate (13 problems): ${'vendors: not answered yet; '.repeat(12)}testing: not answered yet. Answer with "service-creator interview --project "Edge firewall"".`;
    expect(clipLongValues(message)).toBe(message);
  });

  it('cuts a long quoted value or unbroken stretch to 200 characters and keeps its closing quote and what follows', () => {
    const long = 'x'.repeat(5_000);
    expect(clipLongValues(`No provider "${long}".`)).toBe(`No provider "${'x'.repeat(200)}…".`);
    expect(clipLongValues(`argument '${long}' is invalid`)).toBe(`argument '${'x'.repeat(200)}…' is invalid`);
    expect(clipLongValues(`got ${long} here`)).toBe(`got ${'x'.repeat(200)}… here`);
    const spaced = `No provider "${'a b '.repeat(300)}".`;
    expect(clipLongValues(spaced)).toBe(`No provider "${'a b '.repeat(300).slice(0, 200)}…".`);
  });
});
