import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/AppError.ts';
import { loadModelCatalog } from '../../../../src-main/providers/catalog/loadModelCatalog.ts';
import { useTempDirs } from '../../../support/useTempDirs.ts';

const shipped = fileURLToPath(new URL('../../../../resources/models/catalog.json', import.meta.url));

describe('the shipped model catalogue', () => {
  it('passes its schema, with several sizes of coding models and other families', async () => {
    const catalog = await loadModelCatalog(shipped);
    const ids = catalog.models.map((m) => m.id);
    for (const size of ['1.5b', '3b', '7b', '14b', '32b']) expect(ids).toContain(`qwen2.5-coder-${size}-instruct`);
    expect(new Set(catalog.models.map((m) => m.family)).size).toBeGreaterThanOrEqual(4);
    for (const model of catalog.models) {
      expect(model.tasks.length).toBeGreaterThan(0);
      for (const file of model.files) {
        // The file name carries its quantisation, as published.
        expect(file.uri.toLowerCase()).toContain(file.quantization.toLowerCase());
        expect(file.sizeBytes).toBeGreaterThan(500 * 1024 ** 2);
      }
    }
  });
});

describe('loadModelCatalog', () => {
  const temp = useTempDirs();

  it('refuses a catalogue that breaks its schema or lists a file twice, naming the problem', async () => {
    const dir = temp();
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 1, revision: '2026-12-02', models: [{ id: 'x' }] }));
    const error = await loadModelCatalog(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/^The model catalogue .*bad\.json is not valid: models\.0\.id: /);

    const catalog = await loadModelCatalog(shipped);
    const twice = { ...catalog, models: [catalog.models[0], catalog.models[0]] };
    const duplicate = join(dir, 'twice.json');
    await writeFile(duplicate, JSON.stringify(twice));
    await expect(loadModelCatalog(duplicate)).rejects.toThrow(/lists qwen2\.5-coder-32b-instruct:Q4_K_M twice$/);
  });
});
