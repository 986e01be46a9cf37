import { describe, expect, it } from 'vitest';
import { durationWords, failureWords, type WindowHealth } from '../../../src-shared/domain/providerHealth.ts';

const window = (calls: number, errors: number): WindowHealth => ({ window: 'day', calls, errors, errorRate: calls === 0 ? null : errors / calls, p50Ms: null, p95Ms: null, skippedWhilePaused: 0 });

/** Health in words (the CLI's lines, the panel's cells): a share never contradicts its counts. */
describe('provider health words', () => {
  it('says a share of failures that is neither 0% while some failed nor 100% while some answered', () => {
    expect(failureWords(window(4, 1))).toBe('1 of 4 calls failed (25%)');
    expect(failureWords(window(1_000, 1))).toBe('1 of 1000 calls failed (under 1%)');
    expect(failureWords(window(250_000, 1_000))).toBe('1000 of 250000 calls failed (under 1%)');
    expect(failureWords(window(1_000, 999))).toBe('999 of 1000 calls failed (over 99%)');
    expect(failureWords(window(3, 3))).toBe('3 of 3 calls failed (100%)');
    expect(failureWords(window(200, 1))).toBe('1 of 200 calls failed (1%)');
    expect(failureWords(window(7, 0))).toBe('none of 7 calls failed');
    expect(failureWords(window(0, 0))).toBe('no calls');
  });

  it('says a duration just under a second in seconds, not as "1000 ms"', () => {
    expect(durationWords(999.4)).toBe('999 ms');
    expect(durationWords(999.6)).toBe('1.0 s');
    expect(durationWords(2_140)).toBe('2.1 s');
    expect(durationWords(9_960)).toBe('10 s');
    expect(durationWords(0)).toBe('0 ms');
    expect(durationWords(null)).toBe('no answer yet');
  });
});
