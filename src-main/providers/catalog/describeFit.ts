import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { FitVerdict, ModelFit } from '../../../src-shared/domain/modelCatalog.ts';
import { formatBytes } from './formatBytes.ts';

const labels: Record<FitVerdict, string> = { gpu: 'runs on GPU', cpu: 'runs on CPU, slower', 'too-big': 'too big' };

/** The verdict in words, as badges and the CLI show it. */
export function fitLabel(verdict: FitVerdict): string {
  return labels[verdict];
}

/** One sentence on how the file fits this machine, with the numbers behind the verdict. */
export function describeFit(fit: ModelFit, hardware: HardwareInfo): string {
  const context = `${fit.contextSize.toLocaleString('en')} tokens of context`;
  const gpuMemory = hardware.gpu === false ? 0 : hardware.vramBytes;
  switch (fit.verdict) {
    case 'gpu':
      return `All ${fit.totalLayers} layers fit in the GPU's ${formatBytes(gpuMemory)} with room for ${context}.`;
    case 'cpu':
      if (fit.gpuLayers > 0) {
        return `Only ${fit.gpuLayers} of ${fit.totalLayers} layers fit in the GPU's ${formatBytes(gpuMemory)}; the rest run on the CPU in about ${formatBytes(fit.ramBytes)} of this computer's ${formatBytes(hardware.ramBytes)}, with ${context}, so answers come slower.`;
      }
      return `Needs about ${formatBytes(fit.ramBytes)} of this computer's ${formatBytes(hardware.ramBytes)} memory with ${context}; ${gpuMemory > 0 ? 'it does not fit in the GPU' : 'there is no GPU llama.cpp can use'}, so answers come slower.`;
    case 'too-big': {
      const needed = Math.max(fit.ramBytes, fit.vramBytes, fit.ramBytes + fit.vramBytes);
      return `Needs about ${formatBytes(needed)} of memory; this computer has ${formatBytes(hardware.ramBytes)}${gpuMemory > 0 ? ` and a GPU with ${formatBytes(gpuMemory)}` : ''}.`;
    }
    default:
      fit.verdict satisfies never;
      return '';
  }
}
