import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import type { ProviderConfig, ProviderLocation } from '../../../src-shared/domain/provider.ts';
import type { ProviderFieldId, ProviderFormField, ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';

/**
 * The provider form and list read each type's facts from the core (`providers.types`, one entry
 * per descriptor in main) instead of knowing the types: which fields a type's form shows and with
 * which words, whether it takes a key, where it runs. A type the core adds appears here as is.
 */

/** The facts of one type; undefined while the types are loading or for a type the core dropped. */
export function typeInfo(types: readonly ProviderTypeInfo[], type: string): ProviderTypeInfo | undefined {
  return types.find((info) => info.type === type);
}

/** The per-type fields the form shows for this type, in the descriptor's order. */
export function formFields(info: ProviderTypeInfo | undefined): ProviderFormField[] {
  return info?.fields ?? [];
}

export function formField(info: ProviderTypeInfo | undefined, id: ProviderFieldId): ProviderFormField | undefined {
  return formFields(info).find((field) => field.id === id);
}

/** Whether the type can take an API key at all (its form has a key field). */
export function takesApiKey(info: ProviderTypeInfo | undefined): boolean {
  return formField(info, 'apiKey') !== undefined;
}

/** The same rule as the core's registry: by the type's key requirement and, for some, its location. */
export function needsKey(info: ProviderTypeInfo | undefined, config: Pick<ProviderConfig, 'location' | 'baseUrl'>): boolean {
  switch (info?.key ?? 'none') {
    case 'none':
      return false;
    case 'required':
      return true;
    case 'unless-local-server':
      return !(config.baseUrl !== undefined && config.location === 'local');
  }
  return false;
}

/**
 * Where a provider of this type runs, by the same rule as the core's registry: the type's own
 * answer, else the user's mark, else its address, the type's default one when the field is empty
 * (loopback is local, any other host cloud).
 */
export function locationFor(info: ProviderTypeInfo | undefined, markedLocal: boolean | undefined, baseUrl: string): ProviderLocation {
  if (info?.locationChoice) return (markedLocal ?? isLoopbackUrl(baseUrl.trim() === '' ? info.defaultBaseUrl : baseUrl)) ? 'local' : 'cloud';
  return info?.local === false ? 'cloud' : 'local';
}

/** The short name of a type for the list, the type id itself when unknown. */
export function typeLabel(types: readonly ProviderTypeInfo[], type: string): string {
  return typeInfo(types, type)?.shortLabel ?? type;
}
