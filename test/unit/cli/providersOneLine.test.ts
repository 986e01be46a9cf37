import { describe, expect, it } from 'vitest';
import { describeHealth } from '../../../src-main/cli/commands/providersHealthCommand.ts';
import { providersOneLine } from '../../../src-main/cli/commands/providersOneLine.ts';

describe('providersOneLine', () => {
  it('shows every kind of line break as its escape and leaves other text as it is', () => {
    expect(providersOneLine('a\nb\rc\u0085d\u2028e\u2029f\tg · ü')).toBe('a\\nb\\rc\\u0085d\\u2028e\\u2029f\tg · ü');
  });

  it('keeps a health block on its lines when a label or model holds a line break', () => {
    const window = { window: 'hour' as const, calls: 1, errors: 0, errorRate: 0, p50Ms: 100, p95Ms: 100, skippedWhilePaused: 0 };
    const text = describeHealth({
      generatedAt: '2026-01-01T00:00:00.000Z',
      targets: [{ providerId: 'a', model: 'm\n  last hour: 0 of 9 calls failed', label: 'Box\nOther · x: working', breaker: 'closed', windows: [window], lastCallAt: null }],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('Box\\nOther · x: working · m\\n  last hour: 0 of 9 calls failed: working');
    expect(lines[1]).toMatch(/^ {2}last hour: /);
    expect(lines.filter((line) => line.startsWith('  last hour'))).toHaveLength(1);
  });
});
