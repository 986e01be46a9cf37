import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { detectHardware } from '../../src-main/providers/hardware/detectHardware.ts';
import { HeaderFitScorer } from '../../src-main/providers/catalog/HeaderFitScorer.ts';
import { ModelCatalogService } from '../../src-main/providers/catalog/ModelCatalogService.ts';
import { loadModelCatalog } from '../../src-main/providers/catalog/loadModelCatalog.ts';
import { catalogViewSchema, type CatalogView } from '../../src-shared/domain/modelCatalog.ts';
import type { HardwareOverride } from '../../src-shared/domain/hardware.ts';
import { startGgufHeaderServer, type GgufHeaderServer } from '../support/fakes/ggufHeaderServer.ts';
import { catalogue70bFile, catalogue7bFile, laptop16, laptop16Gpu4, llama70bShapedHeader, llama7bShapedHeader } from '../support/catalogHeaders.ts';

const catalogPath = fileURLToPath(new URL('../../resources/models/catalog.json', import.meta.url));
let server: GgufHeaderServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function service(endpoint: string, hardware: HardwareOverride, scorer = new HeaderFitScorer({ huggingFaceEndpoint: endpoint, readTimeoutMs: 5000 })) {
  return {
    scorer,
    catalogue: new ModelCatalogService({ catalog: () => loadModelCatalog(catalogPath), hardware: () => detectHardware({ override: hardware }), scorer }),
  };
}

const entry = (view: CatalogView, uriFile: string) => view.entries.find((e) => e.file.uri === `hf:${uriFile}`);

describe('model catalogue fit from GGUF headers served on loopback', () => {
  it('on a 16 GB laptop without a GPU: the 7B runs on the CPU, the 70B is too big, both from their headers', async () => {
    server = await startGgufHeaderServer({ [catalogue7bFile]: llama7bShapedHeader(), [catalogue70bFile]: llama70bShapedHeader() });
    const { catalogue } = service(server.endpoint, laptop16);
    const view = catalogViewSchema.parse(await catalogue.catalog());

    const seven = entry(view, catalogue7bFile);
    expect(seven?.fit).toMatchObject({ verdict: 'cpu', label: 'runs on CPU, slower', source: 'gguf-header', gpuLayers: 0, totalLayers: 33 });
    expect(seven?.fit.contextSize).toBeGreaterThanOrEqual(4096);
    expect(seven?.why).toContain('there is no GPU llama.cpp can use, so answers come slower');
    const seventy = entry(view, catalogue70bFile);
    expect(seventy?.fit).toMatchObject({ verdict: 'too-big', label: 'too big', source: 'gguf-header', contextSize: 0, totalLayers: 81 });
    expect(seventy?.why).toMatch(/^A large generalist.*Needs about \d+\.\d GiB of memory; this computer has 16\.0 GiB\.$/);
    // Only those two are served: every other file is estimated offline, and says so.
    const others = view.entries.filter((e) => e !== seven && e !== seventy);
    expect(others.length).toBeGreaterThan(5);
    for (const other of others) {
      expect(other.fit.source).toBe('catalogue');
      expect(other.fit.note).toMatch(/^estimated offline from the catalogue: the file's header could not be read \(.*404/);
    }
    // Sorted by fit, then quality; the too-big ones last.
    const ranks = view.entries.map((e) => ['gpu', 'cpu', 'too-big'].indexOf(e.fit.verdict));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(view.entries.filter((e) => e.recommended)).toHaveLength(1);
  });

  it('with a 4 GB GPU the 7B runs on the GPU; headers are read once per process until a refresh', async () => {
    server = await startGgufHeaderServer({ [catalogue7bFile]: llama7bShapedHeader(), [catalogue70bFile]: llama70bShapedHeader() });
    const { catalogue } = service(server.endpoint, laptop16Gpu4);
    const view = await catalogue.catalog();
    expect(entry(view, catalogue7bFile)?.fit).toMatchObject({ verdict: 'gpu', label: 'runs on GPU', gpuLayers: 33, source: 'gguf-header' });
    expect(entry(view, catalogue70bFile)?.fit.verdict).toBe('too-big');
    expect(entry(view, catalogue7bFile)?.recommended).toBe(true);

    const reads = server.requests(catalogue7bFile);
    expect(reads).toBeGreaterThan(0);
    await catalogue.catalog();
    expect(server.requests(catalogue7bFile)).toBe(reads);
    await catalogue.catalog({ refresh: true });
    expect(server.requests(catalogue7bFile)).toBeGreaterThan(reads);
    // Header reads only: a few MB at most, never the gigabytes of weights.
    expect(server.bytesSent()).toBeLessThan(64 * 1024 ** 2);
  });

  it('offline (nothing listening), every fit is estimated from the catalogue and the 70B is still too big', async () => {
    server = await startGgufHeaderServer({});
    const endpoint = server.endpoint;
    await server.close();
    server = undefined;
    const { catalogue } = service(endpoint, laptop16);
    const view = await catalogue.catalog();
    expect(view.entries.every((e) => e.fit.source === 'catalogue' && e.fit.note?.startsWith('estimated offline from the catalogue'))).toBe(true);
    expect(entry(view, catalogue70bFile)?.fit.verdict).toBe('too-big');
    expect(entry(view, catalogue7bFile)?.fit.verdict).toBe('cpu');
    expect(entry(view, catalogue7bFile)?.fit.note).toContain('ECONNREFUSED');
  });
});
