import { open, stat } from 'node:fs/promises';
import { ProviderError } from './ProviderError.ts';
import { isContextWindow } from './isContextWindow.ts';

/** What the model list shows about a local GGUF file, read from its header only. */
export interface GgufInfo {
  /** `general.architecture`, e.g. "llama", "qwen2". */
  architecture: string;
  /** `general.name` */
  name?: string;
  /** The context length the model was trained with (`<arch>.context_length`). */
  contextLength?: number;
  sizeBytes: number;
  /** From `general.file_type`: "Q4_K_M", "F16", "F32", ... */
  quantization?: string;
  /** Sum of the tensor element counts. */
  parameterCount?: number;
}

export interface ReadGgufInfoOptions {
  /** Used in the ProviderError this throws. Default "llama-cpp". */
  providerId?: string;
  signal?: AbortSignal;
}

const ggufMagic = 'GGUF';

/**
 * The first four bytes of the file, as latin1 text; `undefined` when the file is shorter.
 * Throws ProviderError 'unavailable' when the file cannot be opened.
 */
export async function readFileMagic(path: string, providerId = 'llama-cpp'): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new ProviderError(providerId, 'unavailable', `cannot open model file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return bytesRead === 4 ? buffer.toString('latin1') : undefined;
  } finally {
    await handle.close();
  }
}

/** True when the file starts with the GGUF magic. */
export async function hasGgufMagic(path: string, providerId?: string): Promise<boolean> {
  return (await readFileMagic(path, providerId)) === ggufMagic;
}

/**
 * "MOSTLY_Q4_K_M" → "Q4_K_M", "ALL_F32" → "F32"; unknown numbers stay undefined. Asynchronous
 * because node-llama-cpp, which names the file types, is imported on first use (it is slow to
 * import, and most processes never read a model header).
 */
export async function quantizationLabel(fileType: number | undefined): Promise<string | undefined> {
  if (fileType === undefined) return undefined;
  const { GgufFileType } = await import('node-llama-cpp');
  const name = (GgufFileType as unknown as Record<number, string | undefined>)[fileType];
  return name?.replace(/^(MOSTLY|ALL)_/, '');
}

function describeMagic(magic: string | undefined): string {
  if (magic === undefined) return 'it is shorter than 4 bytes';
  return `it starts with ${JSON.stringify(magic)} instead of "GGUF"`;
}

/**
 * Reads a GGUF file's metadata and tensor table (not the weights) with node-llama-cpp's
 * `readGgufFileInfo`. A missing file or one that is not GGUF throws ProviderError
 * 'unavailable' naming the file and what was found instead.
 */
export async function readGgufInfo(path: string, options: ReadGgufInfoOptions = {}): Promise<GgufInfo> {
  const providerId = options.providerId ?? 'llama-cpp';
  const magic = await readFileMagic(path, providerId);
  if (magic !== ggufMagic) throw new ProviderError(providerId, 'unavailable', `${path} is not a GGUF file: ${describeMagic(magic)}`);
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const [info, stats] = await Promise.all([
    readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      // The vocabulary is most of the header and is not needed here.
      ignoreKeys: ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'],
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    }).catch((error: unknown) => {
      throw new ProviderError(providerId, 'unavailable', `${path} is not a GGUF file: ${(error as Error).message}`, { cause: error });
    }),
    stat(path),
  ]);
  const tensors = info.fullTensorInfo ?? info.tensorInfo;
  // The header reader pads a short file with zeros instead of failing, so check that every
  // tensor of the first part starts inside the file (catches files cut before their weights).
  const lastStart = Math.max(info.infoEndOffset ?? 0, ...(tensors ?? []).filter((t) => t.filePart === 1).map((t) => Number(t.fileOffset)));
  if (lastStart >= stats.size) {
    throw new ProviderError(providerId, 'unavailable', `${path} is not a GGUF file: it is truncated (${stats.size} bytes, but its header places data at byte ${lastStart})`);
  }
  let parameterCount: number | undefined;
  if (tensors !== undefined) {
    parameterCount = 0;
    for (const tensor of tensors) {
      parameterCount += tensor.dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
    }
  }
  const contextLength = info.architectureMetadata.context_length;
  const result: GgufInfo = { architecture: info.metadata.general.architecture, sizeBytes: stats.size };
  if (info.metadata.general.name !== undefined) result.name = info.metadata.general.name;
  if (isContextWindow(contextLength)) result.contextLength = contextLength;
  const quantization = await quantizationLabel(info.metadata.general.file_type);
  if (quantization !== undefined) result.quantization = quantization;
  if (parameterCount !== undefined) result.parameterCount = parameterCount;
  return result;
}
