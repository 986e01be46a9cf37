import { describe, expect, it } from 'vitest';
import type { HardwareInfo } from '../../../../src-shared/domain/hardware.ts';
import type { CatalogEntryView, CatalogModel, ModelFit } from '../../../../src-shared/domain/modelCatalog.ts';
import { describeFit, fitLabel } from '../../../../src-main/providers/catalog/describeFit.ts';
import { estimateFitOffline } from '../../../../src-main/providers/catalog/estimateFitOffline.ts';
import { pickRecommended, sortCatalogEntries } from '../../../../src-main/providers/catalog/sortCatalogEntries.ts';

const gib = 1024 ** 3;
const cpuLaptop: HardwareInfo = { gpu: false, vramBytes: 0, ramBytes: 16 * gib, freeRamBytes: 16 * gib, cores: 8, source: 'override' };
const gpuLaptop: HardwareInfo = { ...cpuLaptop, gpu: 'cuda', vramBytes: 8 * gib };

function model(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return {
    id: 'm',
    name: 'M',
    family: 'F',
    publisher: 'P',
    parameters: 7e9,
    shape: { layers: 28, kvElementsPerTokenPerLayer: 1024 },
    contextLength: 32768,
    licence: { id: 'Apache-2.0', name: 'Apache License 2.0', url: 'https://example.com/l', commercialUse: true },
    tasks: ['code'],
    quality: 50,
    summary: 'A model.',
    files: [{ quantization: 'Q4_K_M', uri: 'hf:a/b/m.gguf', sizeBytes: 4.4 * gib }],
    ...overrides,
  };
}
const fit = (verdict: ModelFit['verdict'], extra: Partial<ModelFit> = {}): ModelFit => ({
  verdict,
  label: fitLabel(verdict),
  contextSize: verdict === 'too-big' ? 0 : 8192,
  gpuLayers: 0,
  totalLayers: 29,
  ramBytes: 6 * gib,
  vramBytes: 0,
  source: 'gguf-header',
  ...extra,
});

describe('fit wording', () => {
  it('says the verdicts in words', () => {
    expect([fitLabel('gpu'), fitLabel('cpu'), fitLabel('too-big')]).toEqual(['runs on GPU', 'runs on CPU, slower', 'too big']);
  });

  it('gives the numbers behind each verdict', () => {
    expect(describeFit(fit('gpu', { gpuLayers: 29, vramBytes: 5 * gib, ramBytes: 0 }), gpuLaptop)).toBe("All 29 layers fit in the GPU's 8.0 GiB with room for 8,192 tokens of context.");
    expect(describeFit(fit('cpu'), cpuLaptop)).toBe(
      "Needs about 6.0 GiB of this computer's 16.0 GiB memory with 8,192 tokens of context; there is no GPU llama.cpp can use, so answers come slower.",
    );
    expect(describeFit(fit('cpu', { gpuLayers: 12 }), gpuLaptop)).toBe(
      "Only 12 of 29 layers fit in the GPU's 8.0 GiB; the rest run on the CPU in about 6.0 GiB of this computer's 16.0 GiB, with 8,192 tokens of context, so answers come slower.",
    );
    expect(describeFit(fit('too-big', { ramBytes: 40 * gib }), gpuLaptop)).toBe('Needs about 40.0 GiB of memory; this computer has 16.0 GiB and a GPU with 8.0 GiB.');
  });
});

describe('offline estimate from the catalogue', () => {
  const note = 'estimated offline from the catalogue: no network';

  it('puts a 4.4 GB model on an 8 GB GPU with the longest context that fits, and says it is an estimate', () => {
    const m = model();
    const estimate = estimateFitOffline(m, m.files[0]!, gpuLaptop, note);
    expect(estimate).toMatchObject({ verdict: 'gpu', label: 'runs on GPU', gpuLayers: 29, totalLayers: 29, source: 'catalogue', note });
    // 28 layers × 1024 elements × 2 bytes = 56 KiB a token. On 8 GB (90% usable: 7.2): 4.4 weights + 0.72 overhead
    // + 1.75 for 32,768 tokens = 6.87 fits. On 6 GB (5.4 usable): 8,192 tokens (0.44) make 5.56, too much; 4,096 (0.22) make 5.34.
    expect(estimate.contextSize).toBe(32768);
    expect(estimateFitOffline(m, m.files[0]!, { ...gpuLaptop, vramBytes: 6 * gib }, note)).toMatchObject({ verdict: 'gpu', contextSize: 4096 });
  });

  it('runs on the CPU without a GPU, with part of the layers on a GPU too small for all, and is too big past the RAM', () => {
    const m = model();
    expect(estimateFitOffline(m, m.files[0]!, cpuLaptop, note)).toMatchObject({ verdict: 'cpu', gpuLayers: 0, contextSize: 32768 });
    const partial = estimateFitOffline(m, m.files[0]!, { ...gpuLaptop, vramBytes: 3 * gib }, note);
    expect(partial.verdict).toBe('cpu');
    expect(partial.gpuLayers).toBeGreaterThan(0);
    expect(partial.gpuLayers).toBeLessThan(29);
    const huge = model({ files: [{ quantization: 'Q4_K_M', uri: 'hf:a/b/h.gguf', sizeBytes: 40 * gib }] });
    expect(estimateFitOffline(huge, huge.files[0]!, gpuLaptop, note)).toMatchObject({ verdict: 'too-big', contextSize: 0 });
  });
});

describe('sorting and the recommendation', () => {
  const view = (id: string, verdict: ModelFit['verdict'], m: Partial<CatalogModel>, sizeBytes = gib): Pick<CatalogEntryView, 'id' | 'fit' | 'model' | 'file'> => ({
    id,
    fit: fit(verdict),
    model: model(m),
    file: { quantization: 'Q4_K_M', uri: `hf:a/b/${id}.gguf`, sizeBytes },
  });

  it('sorts by fit, then quality, then the finer quantisation', () => {
    const sorted = sortCatalogEntries([
      view('big', 'too-big', { quality: 99 }),
      view('cpu-good', 'cpu', { quality: 80 }),
      view('gpu-weak', 'gpu', { quality: 40 }),
      view('gpu-good-q4', 'gpu', { quality: 70 }, gib),
      view('gpu-good-q8', 'gpu', { quality: 70 }, 2 * gib),
    ]);
    expect(sorted.map((e) => e.id)).toEqual(['gpu-good-q8', 'gpu-good-q4', 'gpu-weak', 'cpu-good', 'big']);
  });

  it('recommends a GPU fit that writes code under a commercial licence, else a CPU fit of at most ~8B parameters used per token', () => {
    const research = { licence: { id: 'qwen-research', name: 'Qwen Research License', url: 'https://example.com/r', commercialUse: false } };
    expect(pickRecommended(sortCatalogEntries([view('research', 'gpu', { ...research, quality: 90 }), view('chat', 'gpu', { tasks: ['interview'], quality: 85 }), view('coder', 'gpu', { quality: 60 })]))?.id).toBe('coder');
    expect(pickRecommended(sortCatalogEntries([view('14b', 'cpu', { parameters: 14.7e9, quality: 90 }), view('moe', 'cpu', { parameters: 15.7e9, activeParameters: 2.4e9, quality: 78 }), view('7b', 'cpu', { quality: 84 })]))?.id).toBe('7b');
    expect(pickRecommended(sortCatalogEntries([view('14b', 'cpu', { parameters: 14.7e9 })]))?.id).toBe('14b');
    expect(pickRecommended([view('big', 'too-big', {})])).toBeUndefined();
  });
});
