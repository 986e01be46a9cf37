import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { SetupDetection } from '../../../src-shared/domain/setup.ts';

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;

/** One line on the machine: cores, RAM, GPU, and where the numbers came from. */
export function describeHardware(hardware: HardwareInfo | null, problem?: string): string {
  if (!hardware) return `This computer: could not be read (${problem ?? 'no reason given'})`;
  const gpu = hardware.gpu === false ? 'no GPU llama.cpp can use (models run on the CPU)' : `GPU ${hardware.gpu} with ${gib(hardware.vramBytes)}`;
  const note = hardware.note ? `; ${hardware.note}` : '';
  return `This computer: ${hardware.cores} cores, ${gib(hardware.ramBytes)} RAM (${gib(hardware.freeRamBytes)} free), ${gpu} [${hardware.source}${note}]`;
}

/** What `setup --detect` prints for people: the machine, the servers found, the ports that were quiet, where setup stands. */
export function describeDetection(detection: SetupDetection): string {
  const lines = [describeHardware(detection.hardware, detection.hardwareProblem), 'Model servers on this computer (127.0.0.1 and ::1 only):'];
  if (detection.servers.length === 0) lines.push('  none found');
  for (const server of detection.servers) {
    const shown = server.models.slice(0, 5).map((model) => model.id);
    const more = server.models.length > shown.length ? `, … (${server.models.length} in all)` : '';
    const models = server.models.length === 0 ? 'no models listed' : `${server.models.length} model${server.models.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
    lines.push(`  ${server.name}${server.version ? ` ${server.version}` : ''} at ${server.baseUrl}: ${models} (${server.evidence})`);
  }
  const quiet = detection.probed.filter((probe) => probe.outcome !== 'found' && probe.host === '127.0.0.1');
  for (const probe of quiet) {
    lines.push(`  port ${probe.port} (${probe.usual}): ${probe.outcome === 'closed' ? 'nothing answering' : 'something answers, but not a model API'}`);
  }
  lines.push(`Setup: ${detection.status.usable ? 'usable' : 'not usable yet'}. ${detection.status.reason}.`);
  return lines.join('\n');
}
