import type { CatalogEntryView, FitVerdict } from '../../../src-shared/domain/modelCatalog.ts';

const fitRank: Record<FitVerdict, number> = { gpu: 0, cpu: 1, 'too-big': 2 };

/** By fit (GPU, CPU, too big), then the catalogue's quality, then the bigger file (a finer quantisation of the same model). */
export function sortCatalogEntries<T extends Pick<CatalogEntryView, 'fit' | 'model' | 'file'>>(entries: readonly T[]): T[] {
  return [...entries].sort(
    (a, b) => fitRank[a.fit.verdict] - fitRank[b.fit.verdict] || b.model.quality - a.model.quality || b.file.sizeBytes - a.file.sizeBytes,
  );
}

/** Above this many parameters used per token, a CPU answers too slowly to suggest (8B at Q4 is a few tokens a second). */
const cpuParameterLimit = 8.5e9;

/**
 * The entry to suggest: the first (best-sorted) that writes code, may be used commercially (a
 * research-only licence is listed, never pushed) and runs on the GPU; without one, the best that
 * runs on the CPU at a usable speed (at most ~8B parameters used per token), else the best that
 * runs at all. Undefined when none fits.
 */
export function pickRecommended<T extends Pick<CatalogEntryView, 'fit' | 'model'>>(sorted: readonly T[]): T | undefined {
  const eligible = sorted.filter((entry) => entry.fit.verdict !== 'too-big' && entry.model.tasks.includes('code') && entry.model.licence.commercialUse);
  return (
    eligible.find((entry) => entry.fit.verdict === 'gpu') ??
    eligible.find((entry) => (entry.model.activeParameters ?? entry.model.parameters) <= cpuParameterLimit) ??
    eligible[0]
  );
}
