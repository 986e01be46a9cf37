import type { createCore } from '../core/createCore.ts';
import type { ProviderDescriptor } from '../providers/descriptors/ProviderDescriptor.ts';
import type { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';

export interface CoreModules {
  createCore: typeof createCore;
  providerDescriptors: readonly ProviderDescriptor[];
  ProviderRegistry: typeof ProviderRegistry;
}

let coreModules: CoreModules | undefined;
let coreModulesLoading: Promise<CoreModules> | undefined;

/**
 * Loads what the core is made of (the database driver, every service, the contract's schemas):
 * a good part of a command's start, so a command that can do something first (serve listens)
 * loads it after. runCli loads it, beside the command and the context, before any other command runs;
 * CliContext.core() needs it loaded.
 */
export function loadCoreModules(): Promise<CoreModules> {
  return (coreModulesLoading ??= Promise.all([
    import('../core/createCore.ts'),
    import('../providers/descriptors/providerDescriptors.ts'),
    import('../providers/descriptors/ProviderRegistry.ts'),
  ]).then(([core, descriptors, registry]) => (coreModules = { createCore: core.createCore, providerDescriptors: descriptors.providerDescriptors, ProviderRegistry: registry.ProviderRegistry })));
}

export function loadedCoreModules(): CoreModules {
  if (!coreModules) throw new Error('The core modules are not loaded: await loadCoreModules() (runCli does, before a command runs)');
  return coreModules;
}
