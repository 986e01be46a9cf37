import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { CatalogFile, CatalogModel, ModelFit } from '../../../src-shared/domain/modelCatalog.ts';
import { fitLabel } from './describeFit.ts';

/** Bytes per cached key or value element (llama.cpp's default F16 cache). */
const kvElementBytes = 2;
/** Compute buffers and runtime, beyond weights and cache: a fixed part and a share of the weights. */
const fixedOverheadBytes = 512 * 1024 ** 2;
const weightsOverheadShare = 0.05;
/** Keep a tenth of each memory free: the OS, the app and the GPU driver need their share. */
const usableShare = 0.9;

/**
 * The fit of a catalogue file estimated from the catalogue alone (no header read): the file's
 * size stands for the weights, the model's layer count and KV width for the cache per token.
 * The context tried is the model's own length, halved down to min(4096, length); it runs on the
 * GPU when weights and cache fit in its memory, on the CPU when they fit in RAM (with as many
 * layers on the GPU as fit), else it is too big. `note` says why the estimate is offline.
 */
export function estimateFitOffline(model: Pick<CatalogModel, 'shape' | 'contextLength'>, file: Pick<CatalogFile, 'sizeBytes'>, hardware: HardwareInfo, note: string): ModelFit {
  const totalLayers = model.shape.layers + 1; // node-llama-cpp counts the output layer too
  const kvPerToken = model.shape.layers * model.shape.kvElementsPerTokenPerLayer * kvElementBytes;
  const weights = file.sizeBytes;
  const overhead = fixedOverheadBytes + weights * weightsOverheadShare;
  const need = (context: number) => weights + overhead + kvPerToken * context;
  const contexts = candidateContexts(model.contextLength);
  const largestFitting = (capacity: number) => contexts.find((context) => need(context) <= capacity * usableShare);

  const base = { totalLayers, source: 'catalogue' as const, note };
  const vram = hardware.gpu === false ? 0 : hardware.vramBytes;
  const onGpu = vram > 0 ? largestFitting(vram) : undefined;
  if (onGpu !== undefined) {
    return { ...base, verdict: 'gpu', label: fitLabel('gpu'), contextSize: onGpu, gpuLayers: totalLayers, ramBytes: 0, vramBytes: Math.round(need(onGpu)) };
  }
  const onCpu = largestFitting(hardware.ramBytes);
  if (onCpu !== undefined) {
    const perLayer = weights / totalLayers;
    const gpuLayers = vram > 0 ? Math.max(0, Math.min(totalLayers - 1, Math.floor((vram * usableShare - overhead) / perLayer))) : 0;
    const offloaded = Math.round(gpuLayers * perLayer);
    return { ...base, verdict: 'cpu', label: fitLabel('cpu'), contextSize: onCpu, gpuLayers, ramBytes: Math.round(need(onCpu) - offloaded), vramBytes: offloaded };
  }
  const smallest = contexts[contexts.length - 1] ?? model.contextLength;
  return { ...base, verdict: 'too-big', label: fitLabel('too-big'), contextSize: 0, gpuLayers: 0, ramBytes: Math.round(need(smallest)), vramBytes: 0 };
}

/** The model's context length, then halvings, down to min(4096, length): largest first. */
function candidateContexts(contextLength: number): number[] {
  const floor = Math.min(4096, contextLength);
  const contexts = [contextLength];
  for (let context = Math.floor(contextLength / 2); context > floor; context = Math.floor(context / 2)) contexts.push(context);
  if (contexts[contexts.length - 1] !== floor) contexts.push(floor);
  return contexts;
}
