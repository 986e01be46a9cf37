import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { CatalogEntryView, CatalogView, ModelCatalog, ModelFit } from '../../../src-shared/domain/modelCatalog.ts';
import { describeFit } from './describeFit.ts';
import { estimateFitOffline } from './estimateFitOffline.ts';
import type { HeaderFitScorer } from './HeaderFitScorer.ts';
import { pickRecommended, sortCatalogEntries } from './sortCatalogEntries.ts';

export interface ModelCatalogServiceDeps {
  catalog: () => Promise<ModelCatalog>;
  hardware: () => Promise<HardwareInfo>;
  scorer: HeaderFitScorer;
  /** Header reads at once. Default 4. */
  concurrency?: number;
  /** Longest the header reads of one call may take together; what is left is estimated offline. Default 20 s. */
  deadlineMs?: number;
}

export interface CatalogOptions {
  /** Read every header again instead of using this process's copies. */
  refresh?: boolean;
  signal?: AbortSignal;
}

/**
 * The catalogue with each file's fit for this machine: computed from the file's GGUF header when
 * it can be read, else estimated offline from the catalogue (and saying so), then sorted by fit
 * and quality, with one entry recommended and a sentence on why for each.
 */
export class ModelCatalogService {
  readonly #deps: ModelCatalogServiceDeps;

  constructor(deps: ModelCatalogServiceDeps) {
    this.#deps = deps;
  }

  async catalog(options: CatalogOptions = {}): Promise<CatalogView> {
    if (options.refresh === true) this.#deps.scorer.forget();
    const [catalog, hardware] = await Promise.all([this.#deps.catalog(), this.#deps.hardware()]);
    const deadline = AbortSignal.timeout(this.#deps.deadlineMs ?? 20_000);
    const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
    const files = catalog.models.flatMap((model) => model.files.map((file) => ({ model, file })));
    const fits = await mapLimited(files, this.#deps.concurrency ?? 4, async ({ model, file }): Promise<ModelFit> => {
      try {
        return await this.#deps.scorer.score(file.uri, hardware, signal);
      } catch (error) {
        return estimateFitOffline(model, file, hardware, `estimated offline from the catalogue: the file's header could not be read (${reason(error)})`);
      }
    });
    const sorted = sortCatalogEntries(
      files.map(({ model, file }, index) => {
        const { files: _files, ...about } = model;
        return { id: `${model.id}:${file.quantization}`, model: about, file, fit: fits[index] as ModelFit };
      }),
    );
    const recommended = pickRecommended(sorted);
    const entries: CatalogEntryView[] = sorted.map((entry) => {
      const isRecommended = entry === recommended;
      const lead = isRecommended ? `Recommended for this machine: the best coding model here that ${entry.fit.verdict === 'gpu' ? 'runs on its GPU' : 'answers at a usable speed on its CPU'}.` : undefined;
      const why = [lead, entry.model.summary, describeFit(entry.fit, hardware)].filter((part) => part !== undefined).join(' ');
      return { ...entry, why: why.slice(0, 500), recommended: isRecommended };
    });
    return { version: catalog.version, revision: catalog.revision, hardware, entries };
  }
}

function reason(error: unknown): string {
  // fetch's own message is "fetch failed"; the network's reason (ENOTFOUND huggingface.co) is its cause.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const text = error instanceof Error ? `${error.message}${cause}` : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
