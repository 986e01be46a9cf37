import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** One sentence on this computer, for the setup screen. */
export function describeHardware(hardware: HardwareInfo | null, problem?: string): string {
  if (!hardware) return `This computer's memory and GPU could not be read${problem ? ` (${problem})` : ''}.`;
  const gpu = hardware.gpu === false ? 'no GPU a local model can use, so local models run on the processor' : `a ${hardware.gpu.toUpperCase()} GPU with ${gib(hardware.vramBytes)}`;
  return `This computer: ${hardware.cores} cores, ${gib(hardware.ramBytes)} of memory (${gib(hardware.freeRamBytes)} free) and ${gpu}.`;
}
