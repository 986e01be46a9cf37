import { describe, expect, it } from 'vitest';
import { TransferRate } from '../../../../src-main/providers/download/TransferRate.ts';

describe('TransferRate', () => {
  it('measures the speed over the last seconds, not since the start, and the time left at it', () => {
    let now = 0;
    const rate = new TransferRate(5_000, () => now);
    rate.add(0);
    expect(rate.bytesPerSecond()).toBe(0);
    expect(rate.secondsLeft(0, 1_000)).toBeNull(); // no speed yet
    for (let second = 1; second <= 10; second += 1) {
      now = second * 1000;
      rate.add(second * 1_000_000); // 1 MB/s for 10 s
    }
    expect(rate.bytesPerSecond()).toBeCloseTo(1_000_000, -3);
    expect(rate.secondsLeft(10_000_000, 30_000_000)).toBe(20);
    for (let second = 11; second <= 20; second += 1) {
      now = second * 1000;
      rate.add(10_000_000 + (second - 10) * 4_000_000); // then 4 MB/s
    }
    expect(rate.bytesPerSecond()).toBeCloseTo(4_000_000, -3); // the slow start no longer counts
    expect(rate.secondsLeft(50_000_000, null)).toBeNull(); // unknown total
  });
});
