import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import type { CatalogView } from '../../../src-shared/domain/modelCatalog.ts';

const gib = 1024 ** 3;

/** The catalogue as `models catalog` prints it: the machine, then one block per file, best fit first. */
export function describeCatalog(catalog: CatalogView): string {
  const lines = [`This machine: ${describeMachine(catalog.hardware)}.`, `Catalogue ${catalog.revision}, best fit first:`, ''];
  for (const entry of catalog.entries) {
    const context = entry.fit.contextSize > 0 ? `ctx ${entry.fit.contextSize.toLocaleString('en')}` : '';
    const columns = [entry.fit.label.padEnd(19), `${entry.model.name} ${entry.file.quantization}`.padEnd(38), `${(entry.file.sizeBytes / gib).toFixed(1)} GiB`.padStart(8), context.padEnd(11), entry.model.licence.id];
    lines.push(`${columns.join('  ')}${entry.recommended ? '  (recommended)' : ''}`);
    lines.push(`    ${entry.why}`);
    lines.push(`    ${entry.file.uri}${entry.fit.source === 'catalogue' ? '  (estimated offline from the catalogue)' : ''}`);
  }
  const offline = catalog.entries.find((entry) => entry.fit.note !== undefined);
  const estimated = catalog.entries.filter((entry) => entry.fit.source === 'catalogue').length;
  if (offline?.fit.note !== undefined) lines.push('', `${estimated} of ${catalog.entries.length} fits were ${offline.fit.note}.`);
  const recommended = catalog.entries.find((entry) => entry.recommended);
  lines.push('', recommended ? `Download the recommended one: service-creator models pull ${recommended.file.uri}` : 'None of these fits this machine; a cloud provider or a smaller model file is the way to go.');
  return lines.join('\n');
}

function describeMachine(hardware: HardwareInfo): string {
  const gpu = hardware.gpu === false ? 'no GPU llama.cpp can use' : `${hardware.gpu.toUpperCase()} GPU with ${(hardware.vramBytes / gib).toFixed(1)} GiB`;
  const source = hardware.source === 'override' ? ' (as overridden by SC_HARDWARE_OVERRIDE)' : '';
  return `${(hardware.ramBytes / gib).toFixed(1)} GiB of memory, ${hardware.cores} cores, ${gpu}${source}`;
}
