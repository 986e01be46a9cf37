import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/AppError.ts';
import { hardwareInfoSchema } from '../../../../src-shared/domain/hardware.ts';
import { detectHardware, type HardwareProbe } from '../../../../src-main/providers/hardware/detectHardware.ts';

const gib = 1024 ** 3;
const laptop = JSON.stringify({ gpu: false, vramBytes: 0, ramBytes: 16 * gib });

function probe(gpu: HardwareProbe['gpu'], vram: number, disposed: string[]): () => Promise<HardwareProbe> {
  return () =>
    Promise.resolve({
      gpu,
      getVramState: () => Promise.resolve({ total: vram }),
      dispose: () => {
        disposed.push('disposed');
        return Promise.resolve();
      },
    });
}

describe('detectHardware', () => {
  it('is the machine the environment override describes, without loading the binding', async () => {
    const info = await detectHardware({
      env: { SC_HARDWARE_OVERRIDE: laptop },
      loadProbe: () => Promise.reject(new Error('must not load')),
    });
    expect(info).toMatchObject({ gpu: false, vramBytes: 0, ramBytes: 16 * gib, freeRamBytes: 16 * gib, source: 'override' });
    expect(hardwareInfoSchema.parse(info)).toEqual(info);
  });

  it('lets an explicit override win over the environment and drops VRAM when there is no GPU', async () => {
    const info = await detectHardware({
      override: { gpu: false, vramBytes: 4 * gib, ramBytes: 8 * gib, freeRamBytes: 32 * gib, cores: 4 },
      env: { SC_HARDWARE_OVERRIDE: laptop },
    });
    expect(info).toEqual({ gpu: false, vramBytes: 0, ramBytes: 8 * gib, freeRamBytes: 8 * gib, cores: 4, source: 'override' });
  });

  it('reports the GPU and VRAM the binding found and RAM from the OS, then lets the binding go', async () => {
    const disposed: string[] = [];
    const info = await detectHardware({ env: {}, loadProbe: probe('cuda', 8 * gib, disposed) });
    expect(info).toMatchObject({ gpu: 'cuda', vramBytes: 8 * gib, ramBytes: totalmem(), source: 'node-llama-cpp' });
    expect(disposed).toEqual(['disposed']);
  });

  it('merges a partial override over what was measured', async () => {
    const info = await detectHardware({ env: { SC_HARDWARE_OVERRIDE: JSON.stringify({ vramBytes: 4 * gib }) }, loadProbe: probe('vulkan', 8 * gib, []) });
    expect(info).toMatchObject({ gpu: 'vulkan', vramBytes: 4 * gib, ramBytes: totalmem(), source: 'override' });
  });

  it('falls back to CPU only from the OS, saying why, when the binding cannot be loaded', async () => {
    const info = await detectHardware({ env: {}, loadProbe: () => Promise.reject(new Error('no prebuilt binary for this platform\nstack')) });
    expect(info).toMatchObject({ gpu: false, vramBytes: 0, source: 'os' });
    expect(info.note).toBe('the llama.cpp binding could not be loaded, so no GPU was looked for: no prebuilt binary for this platform');
  });

  it.each([
    ['{ram', /^SC_HARDWARE_OVERRIDE is not JSON: /],
    ['{"ramBytes":-1}', /^SC_HARDWARE_OVERRIDE is not a hardware override: ramBytes: /],
    ['{"gpu":"rocm"}', /^SC_HARDWARE_OVERRIDE is not a hardware override: gpu: /],
  ])('refuses the override %s with INVALID_INPUT', async (text, message) => {
    const error = await detectHardware({ env: { SC_HARDWARE_OVERRIDE: text } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INVALID_INPUT');
    expect((error as AppError).message).toMatch(message);
  });
});
