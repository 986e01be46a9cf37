import { AppError } from '../../../src-shared/AppError.ts';
import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import type { ProviderConfig, ProviderLocation } from '../../../src-shared/domain/provider.ts';
import { providerTypeInfoSchema, type ProviderTypeInfo } from '../../../src-shared/domain/providerTypeInfo.ts';
import type { ProviderDescriptor } from './ProviderDescriptor.ts';

/**
 * The provider types known to this process, looked up by type id. Everything that used to switch
 * on the type (which adapter, whether a key is needed, which env variable, which host, which
 * form fields) asks here, so a type is declared once.
 */
export class ProviderRegistry {
  readonly #byType = new Map<string, ProviderDescriptor>();
  readonly #hosts = new WeakMap<object, string>();

  constructor(descriptors: readonly ProviderDescriptor[]) {
    for (const descriptor of descriptors) {
      // A malformed descriptor would break every face that lists types: refuse it at start.
      providerTypeInfoSchema.parse(info(descriptor));
      if (this.#byType.has(descriptor.type)) throw new AppError('INTERNAL', `Two provider descriptors have the type "${descriptor.type}"`);
      this.#byType.set(descriptor.type, descriptor);
    }
  }

  list(): ProviderDescriptor[] {
    return [...this.#byType.values()];
  }

  /** The serialisable part of each descriptor, for the renderer (`providers.types`) and the CLI. */
  infos(): ProviderTypeInfo[] {
    return this.list().map(info);
  }

  types(): string[] {
    return [...this.#byType.keys()];
  }

  has(type: string): boolean {
    return this.#byType.has(type);
  }

  /** The descriptor of a type; a type this process does not know is refused in words. */
  get(type: string): ProviderDescriptor {
    const descriptor = this.#byType.get(type);
    if (descriptor) return descriptor;
    throw new AppError('INVALID_INPUT', `"${type.slice(0, 40)}" is not a provider type this app knows; known types: ${this.types().join(', ')}`);
  }

  /**
   * Whether a provider of this type can be given a key at all: a local server of a type that
   * takes one (an OpenAI-compatible server started with `--api-key`) uses the one given it, though
   * it needs none (needsKey).
   */
  takesKey(config: Pick<ProviderConfig, 'type'>): boolean {
    return (this.#byType.get(config.type)?.key ?? 'none') !== 'none';
  }

  /** Cloud APIs need a key; local types and an OpenAI-compatible server marked local do not. */
  needsKey(config: Pick<ProviderConfig, 'type' | 'baseUrl' | 'location'>): boolean {
    const key = this.#byType.get(config.type)?.key ?? 'none';
    switch (key) {
      case 'none':
        return false;
      case 'required':
        return true;
      case 'unless-local-server':
        return !(config.baseUrl !== undefined && config.location === 'local');
      default:
        return key satisfies never;
    }
  }

  /**
   * Where a provider runs, for the privacy mode: the type's own answer (a vendor's cloud API is
   * cloud whatever it was marked), or for a type that offers the choice (an OpenAI-compatible
   * server, an Ollama server) what the user marked, else its address (its own, or the type's
   * default one): on loopback (127.0.0.0/8, ::1, localhost) it is local, any other host is cloud
   * until marked local. A cloud type without an address of its own, or at the vendor's own host,
   * is the vendor's cloud API: never local, however marked.
   */
  location(config: Pick<ProviderConfig, 'type' | 'baseUrl'>, marked?: ProviderLocation): ProviderLocation {
    const descriptor = this.get(config.type);
    if (!descriptor.locationChoice) return descriptor.local ? 'local' : 'cloud';
    if (!descriptor.local && (config.baseUrl === undefined || hostOf(config.baseUrl) === descriptor.defaultHost)) return 'cloud';
    return marked ?? (isLoopbackUrl(config.baseUrl ?? descriptor.defaultBaseUrl) ? 'local' : 'cloud');
  }

  /** How the type lists models (its descriptor's `listsModels`); a type this process does not know lists none. */
  listsModels(type: string): ProviderDescriptor['listsModels'] | undefined {
    return this.#byType.get(type)?.listsModels;
  }

  /** The conventional key variable of the type (OPENAI_API_KEY), if it has one. */
  envVar(type: string): string | undefined {
    return this.#byType.get(type)?.envVar;
  }

  /**
   * The host a provider's requests go to ("api.openai.com", "10.0.0.5:11434", "this machine"),
   * from its configuration alone: what the user is told before anything is sent.
   */
  host(config: Pick<ProviderConfig, 'type' | 'baseUrl'>): string {
    // Asked for every audited request: a frozen configuration (the store's) is parsed once.
    const known = this.#hosts.get(config);
    if (known !== undefined) return known;
    const host = config.baseUrl ? new URL(config.baseUrl).host : (this.#byType.get(config.type)?.defaultHost ?? 'an unknown host');
    if (Object.isFrozen(config)) this.#hosts.set(config, host);
    return host;
  }
}

function info(descriptor: ProviderDescriptor): ProviderTypeInfo {
  const { type, label, shortLabel, key, envVar, defaultBaseUrl, defaultHost, local, locationChoice, localModelFiles, pricing, fields } = descriptor;
  return {
    type,
    label,
    shortLabel,
    key,
    ...(envVar === undefined ? {} : { envVar }),
    ...(defaultBaseUrl === undefined ? {} : { defaultBaseUrl }),
    defaultHost,
    local,
    locationChoice,
    localModelFiles,
    pricing,
    fields,
  };
}

/** The host (and port, when not the default) of an address; undefined when it is not one. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
