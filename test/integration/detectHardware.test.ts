import { availableParallelism, totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { detectHardware } from '../../src-main/providers/hardware/detectHardware.ts';

describe('detectHardware with the real node-llama-cpp binding', () => {
  it('measures this machine once per process', async () => {
    const first = await detectHardware({ env: {} });
    // The binding loads on this machine (the llama.cpp tests need it), so the answer is its own.
    expect(first.source).toBe('node-llama-cpp');
    expect(first.ramBytes).toBe(totalmem());
    expect(first.cores).toBe(availableParallelism());
    if (first.gpu === false) expect(first.vramBytes).toBe(0);
    else expect(first.vramBytes).toBeGreaterThan(0);
    const started = performance.now();
    const second = await detectHardware({ env: {} });
    expect(second).toBe(first);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
