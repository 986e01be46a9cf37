import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { hasGgufMagic, quantizationLabel, readGgufInfo } from '../../../src-main/providers/ggufInfo.ts';
import { writeTinyGguf } from '../../fixtures/makeTinyGguf.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('readGgufInfo', () => {
  it('reads architecture, name, context length, size, quantisation and parameter count from the header', async () => {
    const path = join(tempDir(), 'tiny.gguf');
    const written = writeTinyGguf(path, { name: 'unit-tiny', hyperparameters: { contextLength: 4096 } });
    expect(await readGgufInfo(path)).toEqual({
      architecture: 'llama',
      name: 'unit-tiny',
      contextLength: 4096,
      sizeBytes: written.sizeBytes,
      quantization: 'F32',
      parameterCount: written.parameterCount,
    });
  });

  it('refuses a file that is not GGUF with a typed "unavailable" error naming what it found', async () => {
    const path = join(tempDir(), 'notes.gguf');
    writeFileSync(path, 'hello, I am text');
    const error = await providerError(readGgufInfo(path, { providerId: 'local' }));
    expect(error.kind).toBe('unavailable');
    expect(error.providerId).toBe('local');
    expect(error.message).toBe(`local: ${path} is not a GGUF file: it starts with "hell" instead of "GGUF"`);
    expect(await hasGgufMagic(path)).toBe(false);
  });

  it('refuses a truncated GGUF and a file shorter than the magic', async () => {
    const dir = tempDir();
    const whole = join(dir, 'whole.gguf');
    writeTinyGguf(whole);
    const cut = join(dir, 'cut.gguf');
    writeFileSync(cut, readFileSync(whole).subarray(0, 200));
    const truncated = await providerError(readGgufInfo(cut));
    expect(truncated.kind).toBe('unavailable');
    expect(truncated.message).toContain(`${cut} is not a GGUF file: `);

    const tiny = join(dir, 'two-bytes.gguf');
    writeFileSync(tiny, 'GG');
    expect((await providerError(readGgufInfo(tiny))).message).toContain('it is shorter than 4 bytes');
  });

  it('reports a missing file as "unavailable"', async () => {
    const error = await providerError(readGgufInfo(join(tempDir(), 'missing.gguf')));
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/cannot open model file .*missing\.gguf: ENOENT/);
  });
});

describe('writeTinyGguf (test fixture)', () => {
  it('is deterministic per seed', () => {
    const dir = tempDir();
    const [a, b, c] = [1, 1, 2].map((seed, index) => {
      const path = join(dir, `m${index}.gguf`);
      writeTinyGguf(path, { seed });
      return readFileSync(path);
    });
    expect(a?.equals(b ?? Buffer.alloc(0))).toBe(true);
    expect(a?.equals(c ?? Buffer.alloc(0))).toBe(false);
  });
});

describe('quantizationLabel', () => {
  it('turns general.file_type into the usual quantisation names', async () => {
    expect(await quantizationLabel(0)).toBe('F32');
    expect(await quantizationLabel(1)).toBe('F16');
    expect(await quantizationLabel(15)).toBe('Q4_K_M');
    expect(await quantizationLabel(7)).toBe('Q8_0');
    expect(await quantizationLabel(32)).toBe('BF16');
    expect(await quantizationLabel(9999)).toBeUndefined();
    expect(await quantizationLabel(undefined)).toBeUndefined();
  });
});
