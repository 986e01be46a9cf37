import type { ProviderDescriptor } from './ProviderDescriptor.ts';

/** On-device GGUF models through node-llama-cpp (imported on first use: it is the slowest import). */
export const llamaCppDescriptor: ProviderDescriptor = {
  type: 'llama-cpp',
  label: 'llama.cpp on this machine',
  shortLabel: 'llama.cpp',
  key: 'none',
  defaultHost: 'this machine',
  local: true,
  locationChoice: false,
  localModelFiles: true,
  pricing: 'free',
  errors: 'in-process',
  listsModels: 'model-folders',
  fields: [
    {
      id: 'models',
      kind: 'models',
      label: 'Models',
      required: false,
      help: 'GGUF model names from Local models below, one per line or separated by commas; empty uses the first local model.',
    },
  ],
  async create(config, context) {
    const { createLlamaCppProvider } = await import('../llamaCppProvider.ts');
    return createLlamaCppProvider({ id: config.id, modelDirs: context.modelDirs });
  },
};
