import type { GgufInsights } from 'node-llama-cpp';
import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { ModelFit } from '../../../src-shared/domain/modelCatalog.ts';
import { fitLabel } from './describeFit.ts';

export interface HeaderFitScorerOptions {
  /** Hugging Face endpoint for hf: URIs; default node-llama-cpp's (HF_ENDPOINT, MODEL_ENDPOINT, huggingface.co). */
  huggingFaceEndpoint?: string;
  /** Longest one header read may take. Default 10 s. */
  readTimeoutMs?: number;
  /** How long a failed read is remembered before it is tried again (a refresh forgets it). Default 5 minutes. */
  failureTtlMs?: number;
  now?: () => number;
}

// The vocabulary is most of a header and plays no part in memory estimates.
const ignoredKeys = ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'];

interface CachedRead {
  insights: Promise<GgufInsights>;
  failedAt?: number;
}

/**
 * Fit computed from a model file's own GGUF header: node-llama-cpp reads the header over HTTP
 * (ranges only, never the weights; bounded in time, no retries) and GgufInsights'
 * configuration resolver scores loading it with the context that fits, against this machine's
 * RAM and VRAM passed as hardware overrides (its total memory: fit means "can this machine run
 * it", not "right now"). Headers are kept per URI for the life of the process.
 */
export class HeaderFitScorer {
  readonly #options: HeaderFitScorerOptions;
  readonly #reads = new Map<string, CachedRead>();

  constructor(options: HeaderFitScorerOptions = {}) {
    this.#options = options;
  }

  /** Forgets every header read (the next `score` reads again). */
  forget(): void {
    this.#reads.clear();
  }

  /** Throws (with the reader's reason) when the header cannot be read or understood. */
  async score(uri: string, hardware: HardwareInfo, signal?: AbortSignal): Promise<ModelFit> {
    const insights = await this.#insights(uri, signal);
    const vram = hardware.gpu === false ? 0 : hardware.vramBytes;
    const { compatibilityScore, resolvedValues } = await insights.configurationResolver.resolveAndScoreConfig(
      {},
      {
        getVramState: () => Promise.resolve({ total: vram, free: vram, unifiedSize: 0 }),
        getRamState: () => Promise.resolve({ total: hardware.ramBytes, free: hardware.ramBytes }),
        // Swap is not counted on: a model paged to disk is not one that runs.
        getSwapState: () => Promise.resolve({ total: 0, free: 0 }),
        llamaGpu: hardware.gpu,
        llamaSupportsGpuOffloading: hardware.gpu !== false,
      },
    );
    const totalLayers = insights.totalLayers;
    const base = { totalLayers, source: 'gguf-header' as const, ramBytes: Math.round(resolvedValues.totalRamUsage), vramBytes: Math.round(resolvedValues.totalVramUsage) };
    if (compatibilityScore <= 0) return { ...base, verdict: 'too-big', label: fitLabel('too-big'), contextSize: 0, gpuLayers: 0 };
    const gpuLayers = hardware.gpu === false ? 0 : Math.min(resolvedValues.gpuLayers, totalLayers);
    const verdict = gpuLayers === totalLayers ? 'gpu' : 'cpu';
    return { ...base, verdict, label: fitLabel(verdict), contextSize: resolvedValues.contextSize, gpuLayers };
  }

  #insights(uri: string, signal: AbortSignal | undefined): Promise<GgufInsights> {
    const now = this.#options.now ?? Date.now;
    const cached = this.#reads.get(uri);
    // A failure after now (the clock was set back since) is not recent: read again.
    const sinceFailure = cached?.failedAt === undefined ? undefined : now() - cached.failedAt;
    if (cached !== undefined && (sinceFailure === undefined || (sinceFailure >= 0 && sinceFailure < (this.#options.failureTtlMs ?? 5 * 60_000)))) return cached.insights;
    const entry: CachedRead = { insights: this.#read(uri, signal) };
    entry.insights.catch(() => {
      // Stopped by the caller: not the file's failure, so the next call reads it again.
      if (signal?.aborted === true) {
        if (this.#reads.get(uri) === entry) this.#reads.delete(uri);
      } else entry.failedAt = now();
    });
    this.#reads.set(uri, entry);
    return entry.insights;
  }

  async #read(uri: string, signal: AbortSignal | undefined): Promise<GgufInsights> {
    // node-llama-cpp is slow to import: only a process that shows the catalogue pays for it.
    const { readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
    const timeout = AbortSignal.timeout(this.#options.readTimeoutMs ?? 10_000);
    const endpoint = this.#options.huggingFaceEndpoint;
    const info = await readGgufFileInfo(uri, {
      sourceType: 'network',
      logWarnings: false,
      ignoreKeys: ignoredKeys,
      fetchRetryOptions: { retries: 0 },
      signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      ...(endpoint === undefined ? {} : { endpoints: { huggingFace: endpoint } }),
    }).catch((error: unknown) => {
      if (timeout.aborted) throw new Error(`no answer within ${Math.round((this.#options.readTimeoutMs ?? 10_000) / 1000)} s`, { cause: error });
      throw error;
    });
    return GgufInsights.from(info);
  }
}
