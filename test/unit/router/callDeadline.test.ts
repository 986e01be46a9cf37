import { describe, expect, it } from 'vitest';
import { CallDeadline } from '../../../src-main/router/callDeadline.ts';

describe('CallDeadline', () => {
  it('says what is left in whole milliseconds on a clock with fractions (performance.now), and passes at its end', () => {
    let now = 1_000.25;
    const deadline = new CallDeadline(500, () => now);
    now += 0.5;
    // What is left is held in SQLite's INTEGER columns (a budget reservation's hold): never a fraction.
    expect(deadline.remainingMs()).toBe(500);
    now += 250.1;
    expect(deadline.remainingMs()).toBe(250);
    expect(deadline.passed()).toBe(false);
    now += 249.5;
    expect(deadline.remainingMs()).toBe(0);
    expect(deadline.passed()).toBe(true);
    deadline.dispose();
  });
});
