import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/AppError.ts';
import type { ProviderConfig, Routing } from '../../../../src-shared/domain/provider.ts';
import { EventBus } from '../../../../src-main/events/EventBus.ts';
import { ModelService } from '../../../../src-main/providers/ModelService.ts';
import { loadModelCatalog } from '../../../../src-main/providers/catalog/loadModelCatalog.ts';
import { catalogDownload, catalogExpectations } from '../../../../src-main/providers/download/catalogDownload.ts';
import { modelUses } from '../../../../src-main/providers/download/modelUses.ts';
import { writeTinyGguf } from '../../../fixtures/makeTinyGguf.ts';
import { useTempDirs } from '../../../support/useTempDirs.ts';

const catalogPath = join(import.meta.dirname, '../../../../resources/models/catalog.json');

const provider = (id: string, type: string): ProviderConfig => ({ id, type, label: id, location: 'local', models: [], limits: {}, enabled: true });

describe('pulling by catalogue id', () => {
  it('an id names a file with its size and sha256; the quantisation in any case; the address alone finds the same', async () => {
    const catalog = await loadModelCatalog(catalogPath);
    const file = catalogDownload(catalog, 'qwen2.5-coder-7b-instruct:q4_k_m');
    expect(file).toEqual({
      uri: 'hf:Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/qwen2.5-coder-7b-instruct-q4_k_m.gguf',
      expectedBytes: 4683073536,
      sha256: '509287f78cb4d4cf6b3843734733b914b2c158e43e22a7f4bf5e963800894d3c',
    });
    expect(catalogExpectations(catalog, file.uri)).toEqual({ expectedBytes: file.expectedBytes, sha256: file.sha256 });
    expect(catalogExpectations(catalog, 'https://example.invalid/other.gguf')).toBeUndefined();
    expect(() => catalogDownload(catalog, 'qwen2.5-coder-7b-instruct:Q9_X')).toThrow(/No model "qwen2.5-coder-7b-instruct:Q9_X" in the catalogue; close ones: qwen2.5-coder-/);
  });
});

describe('removing a local model', () => {
  const tempDir = useTempDirs();

  it('names the routings that use it and refuses unless forced; files outside the app folder are left alone', async () => {
    const modelsDir = tempDir('sc-remove-');
    const otherDir = tempDir('sc-remove-other-');
    writeTinyGguf(join(modelsDir, 'coder.gguf'));
    writeTinyGguf(join(modelsDir, 'spare.gguf'));
    writeTinyGguf(join(otherDir, 'theirs.gguf'));
    const routing: Routing = {
      code: [{ providerId: 'local', model: 'coder.gguf' }, { providerId: 'cloud', model: 'coder.gguf' }],
      review: [{ providerId: 'local', model: 'coder.gguf' }],
    };
    const providers = [provider('local', 'llama-cpp'), provider('cloud', 'openai')];
    const models = new ModelService({ bus: new EventBus(), modelsDir, modelDirs: [modelsDir, otherDir], modelUses: (id) => modelUses(routing, providers, id) });

    const refused = await models.remove('coder.gguf').catch((error: unknown) => error as AppError);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('CONFLICT');
    expect((refused as AppError).message).toBe('coder.gguf is used by the routing of code (local), review (local): change those targets first, or remove it anyway (those tasks then skip it)');
    expect(existsSync(join(modelsDir, 'coder.gguf'))).toBe(true);

    expect(await models.remove('coder.gguf', true)).toEqual({ id: 'coder.gguf', usedBy: [{ task: 'code', providerId: 'local' }, { task: 'review', providerId: 'local' }] });
    expect(existsSync(join(modelsDir, 'coder.gguf'))).toBe(false);
    expect(await models.remove('spare.gguf')).toEqual({ id: 'spare.gguf', usedBy: [] });
    expect((await models.list()).map((model) => model.id)).toEqual(['theirs.gguf']);

    await expect(models.remove('theirs.gguf')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(otherDir, 'theirs.gguf'))).toBe(true);
    await expect(models.remove('../theirs.gguf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
