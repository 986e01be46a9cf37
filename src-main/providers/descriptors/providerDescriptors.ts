import { anthropicDescriptor } from './anthropicDescriptor.ts';
import { llamaCppDescriptor } from './llamaCppDescriptor.ts';
import { ollamaDescriptor } from './ollamaDescriptor.ts';
import { openaiDescriptor } from './openaiDescriptor.ts';
import type { ProviderDescriptor } from './ProviderDescriptor.ts';

/**
 * The provider types this app ships, in the order the faces list them. A new type is one adapter
 * file plus one descriptor added here; createCore also accepts extra descriptors (tests add one).
 * Importing this table loads no adapter or SDK: each descriptor imports its adapter in `create`.
 */
export const providerDescriptors: readonly ProviderDescriptor[] = [llamaCppDescriptor, ollamaDescriptor, openaiDescriptor, anthropicDescriptor];
