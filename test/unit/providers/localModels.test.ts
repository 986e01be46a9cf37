import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { findLocalModel, importModel, listLocalModels } from '../../../src-main/providers/localModels.ts';
import { writeTinyGguf } from '../../fixtures/makeTinyGguf.ts';
import { sha256File } from '../../support/fileHash.ts';
import { createTempDir, removeTempDirs } from '../../support/tempDir.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const MiB = 1024 * 1024;
const tempDir = useTempDirs();

/** ~11 MB: big enough for an import to be cancelled mid-copy. */
let bigModel: string;
let bigModelSha: string;
let tinyModel: string;

beforeAll(() => {
  const dir = createTempDir('sc-models-src-');
  bigModel = join(dir, 'big.gguf');
  writeTinyGguf(bigModel, { hyperparameters: { embeddingLength: 256, blockCount: 4, feedForwardLength: 512 } });
  bigModelSha = sha256File(bigModel);
  tinyModel = join(dir, 'tiny.gguf');
  writeTinyGguf(tinyModel);
});

afterAll(() => removeTempDirs());

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('listLocalModels / findLocalModel', () => {
  it('lists *.gguf in every folder (one sub-folder level), first folder winning, with header details or a problem', async () => {
    const first = tempDir();
    const second = tempDir();
    writeTinyGguf(join(first, 'a.gguf'), { name: 'a-first' });
    mkdirSync(join(first, 'sub'));
    writeTinyGguf(join(first, 'sub', 'b.gguf'));
    writeFileSync(join(first, 'broken.gguf'), 'not a model');
    writeFileSync(join(first, 'notes.txt'), 'ignored');
    writeTinyGguf(join(first, '.hidden.gguf'));
    writeFileSync(join(first, 'part.gguf.ipull'), 'in-progress download');
    writeTinyGguf(join(first, 'split-00002-of-00002.gguf'));
    writeTinyGguf(join(second, 'a.gguf'), { name: 'a-second' });
    writeTinyGguf(join(second, 'c.gguf'));

    const models = await listLocalModels([first, second, join(second, 'missing')]);
    expect(models.map((model) => model.id)).toEqual(['a.gguf', 'broken.gguf', 'sub/b.gguf', 'c.gguf']);
    expect(models[0]).toMatchObject({ path: join(first, 'a.gguf'), info: { name: 'a-first', architecture: 'llama', quantization: 'F32', contextLength: 2048 } });
    expect(models[1]).toMatchObject({ sizeBytes: 11, problem: expect.stringContaining('is not a GGUF file') });
    expect(models[1]?.info).toBeUndefined();

    expect(await findLocalModel([first, second], 'sub/b.gguf')).toBe(join(first, 'sub', 'b.gguf'));
    expect(await findLocalModel([first, second], 'c.gguf')).toBe(join(second, 'c.gguf'));
    expect(await findLocalModel([first, second], 'a.gguf')).toBe(join(first, 'a.gguf'));
    for (const unsafe of ['../a.gguf', 'sub/../a.gguf', join(first, 'a.gguf'), 'sub\\b.gguf', 'notes.txt', '', 'sub//b.gguf']) {
      expect(await findLocalModel([first, second], unsafe)).toBeUndefined();
    }
  });
});

describe('importModel', () => {
  it('copies a GGUF into the models folder with its sha256 and progress, leaving no temp file', async () => {
    const dest = join(tempDir(), 'models');
    const progress: { copiedBytes: number; totalBytes: number }[] = [];
    const imported = await importModel(bigModel, dest, { onProgress: (p) => progress.push(p) });
    const size = readFileSync(bigModel).length;
    expect(imported).toEqual({ id: 'big.gguf', path: join(dest, 'big.gguf'), sha256: bigModelSha, sizeBytes: size });
    expect(sha256File(imported.path)).toBe(bigModelSha);
    expect(readdirSync(dest)).toEqual(['big.gguf']);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ copiedBytes: size, totalBytes: size });
  });

  it('is atomic: a cancelled copy leaves nothing behind', async () => {
    const dest = tempDir();
    const controller = new AbortController();
    const error = await providerError(
      importModel(bigModel, dest, {
        signal: controller.signal,
        onProgress: ({ copiedBytes }) => {
          if (copiedBytes >= MiB) controller.abort();
        },
      }),
    );
    expect(error.kind).toBe('cancelled');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses a file that is not GGUF, and never overwrites an existing model', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes.gguf');
    writeFileSync(notes, 'just text, no magic');
    const dest = join(dir, 'models');
    // What the user chose is wrong, not the provider: typed errors of their own.
    await expect(importModel(notes, dest)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is not a GGUF model file') });
    expect(existsSync(dest)).toBe(false);

    await importModel(tinyModel, dest);
    await expect(importModel(tinyModel, dest)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already exists') });
    expect(readdirSync(dest)).toEqual(['tiny.gguf']);
  });
});
