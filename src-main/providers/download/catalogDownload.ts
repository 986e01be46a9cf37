import { AppError } from '../../../src-shared/AppError.ts';
import type { ModelCatalog } from '../../../src-shared/domain/modelCatalog.ts';

/** A catalogue file to download: its address and what the finished file must be. */
export interface CatalogDownload {
  uri: string;
  expectedBytes: number;
  sha256?: string;
}

/** An address (https://, http://, hf:) rather than a catalogue id. */
export function isModelAddress(text: string): boolean {
  return /^(https?:\/\/|hf:)/i.test(text);
}

/**
 * The file a catalogue id names: `MODEL:QUANT` (as `models catalog` lists them, the
 * quantisation in any case) or `MODEL` alone for its first (recommended) file. Unknown ids are
 * NOT_FOUND with the ids that come closest, so a typo is answered with the right spelling.
 */
export function catalogDownload(catalog: ModelCatalog, id: string): CatalogDownload {
  const [modelId = '', quant] = id.split(':');
  const model = catalog.models.find((entry) => entry.id.toLowerCase() === modelId.toLowerCase());
  const file = model === undefined ? undefined : quant === undefined ? model.files[0] : model.files.find((entry) => entry.quantization.toLowerCase() === quant.toLowerCase());
  if (model === undefined || file === undefined) {
    const near = catalog.models
      .filter((entry) => entry.id.includes(modelId.toLowerCase().slice(0, 8)))
      .flatMap((entry) => entry.files.map((candidate) => `${entry.id}:${candidate.quantization}`))
      .slice(0, 5);
    const hint = near.length > 0 ? `; close ones: ${near.join(', ')}` : '; `service-creator models catalog` lists them';
    throw new AppError('NOT_FOUND', `No model "${id.slice(0, 100)}" in the catalogue${hint}. A download address starts with https:// or hf:`);
  }
  return { uri: file.uri, expectedBytes: file.sizeBytes, ...(file.sha256 ? { sha256: file.sha256 } : {}) };
}

/** The catalogue's size and sha256 for an address it lists (`hf:` URIs as written there); none for others. */
export function catalogExpectations(catalog: ModelCatalog, uri: string): Omit<CatalogDownload, 'uri'> | undefined {
  for (const model of catalog.models) {
    const file = model.files.find((entry) => entry.uri === uri);
    if (file) return { expectedBytes: file.sizeBytes, ...(file.sha256 ? { sha256: file.sha256 } : {}) };
  }
  return undefined;
}
