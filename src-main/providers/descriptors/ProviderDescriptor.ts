import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import type { LlmProvider } from '../LlmProvider.ts';

export interface ProviderContext {
  apiKey: string | undefined;
  /** Folders searched for GGUF files (repo `models/`, the data folder's `models/`). */
  modelDirs: string[];
}

export type ManagedProvider = LlmProvider & { dispose?: () => Promise<void> };

/**
 * How a type's adapter turns HTTP failures into ProviderError kinds. Every shipped adapter
 * classifies through `toProviderError` (classifyHttpError.ts): by status, Retry-After and the
 * SDK's error classes; llama.cpp runs in-process and has no HTTP errors.
 */
export type ErrorClassification = 'http-status' | 'in-process';

/**
 * One provider type, in one place: what the faces show (the serialisable `ProviderTypeInfo`:
 * label, key, env variable, default URL, local, pricing, form fields) and how main uses it
 * (`create`, which imports the adapter module on first use so an SDK costs nothing at start).
 * Adding a type is one adapter file, one descriptor, registered in providerDescriptors.ts (or
 * passed to createCore).
 */
export interface ProviderDescriptor extends ProviderTypeInfo {
  errors: ErrorClassification;
  /** How the adapter lists models; both cloud types fall back to the configured ones (listModelsWithFallback). */
  listsModels: 'server' | 'server-or-configured' | 'model-folders';
  create(config: ProviderConfig, context: ProviderContext): Promise<ManagedProvider>;
}
