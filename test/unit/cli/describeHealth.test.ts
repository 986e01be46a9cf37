import { describe, expect, it } from 'vitest';
import { describeHealth } from '../../../src-main/cli/commands/providersHealthCommand.ts';
import { safeTerminalText } from '../../../src-main/cli/safeTerminalText.ts';
import { computeProviderHealth } from '../../../src-main/observability/computeProviderHealth.ts';
import type { HealthRow } from '../../../src-main/store/AttemptHealthRepository.ts';

const now = new Date('2026-12-03T12:00:00.000Z');

describe('providers health in words', () => {
  it('keeps a model name or label holding line breaks on its own line: no forged target or window line', () => {
    const forged = 'evil\n  last hour: none of 99 calls failed; typically 1 ms\r\nbox · m1: working';
    const rows: HealthRow[] = [
      { providerId: 'box', model: forged, outcome: 'error', startedAt: '2026-12-03T11:59:00.000Z', latencyMs: 10, cacheHit: false, skippedWhilePaused: false },
    ];
    const health = computeProviderHealth({ rows, breakers: [], labelOf: () => 'Box\nfake: working', now });
    // What the terminal-safe output prints.
    const lines = safeTerminalText(describeHealth(health)).split('\n');
    expect(lines).toHaveLength(1 + 2 + 2);
    expect(lines[0]).toBe('Box\\nfake: working · evil\\n  last hour: none of 99 calls failed; typically 1 ms\\r\\nbox · m1: working: working');
    expect(lines[1]).toBe('  last hour: 1 of 1 call failed (100%); no answer yet');
    expect(lines.filter((line) => line.includes('none of 99'))).toHaveLength(1);
  });
});
