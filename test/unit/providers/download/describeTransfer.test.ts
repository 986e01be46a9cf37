import { describe, expect, it } from 'vitest';
import { describeSeconds, describeTransfer } from '../../../../src-shared/domain/describeTransfer.ts';

describe('describeTransfer', () => {
  it('says speed and time left in words, nothing before a speed is known', () => {
    expect(describeTransfer(undefined, null)).toBe('');
    expect(describeTransfer(0, 10)).toBe('');
    expect(describeTransfer(12.34 * 1024 ** 2, 80)).toBe('12.3 MiB/s · 1 min 20 s left');
    expect(describeTransfer(300 * 1024, null)).toBe('300 KiB/s');
    expect(describeTransfer(2 * 1024 ** 2, 2 * 3600 + 600)).toBe('2.0 MiB/s · 2 h 10 min left');
    expect(describeSeconds(45.4)).toBe('45 s');
    expect(describeSeconds(185)).toBe('3 min 05 s');
  });
});
