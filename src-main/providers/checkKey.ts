import type { KeyCheck } from '../../src-shared/domain/keyCheck.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { knownSecrets } from '../secrets/knownSecrets.ts';
import { toProviderError } from './classifyHttpError.ts';
import type { ProviderDescriptor } from './descriptors/ProviderDescriptor.ts';
import { providerText } from './describeFailure.ts';

/**
 * One model-list request with a key that is not saved: a throwaway adapter for the unsaved
 * configuration (the live ones are never touched), bounded in time, released afterwards. The
 * answer is in words without the key: the typed key is scrubbed from every message even though
 * it is in no store yet.
 */
export async function checkKey(input: { descriptor: ProviderDescriptor; config: ProviderConfig; apiKey: string | undefined; host: string; timeoutMs: number }): Promise<KeyCheck> {
  const { descriptor, config, apiKey, host } = input;
  const words = (text: string): string => providerText(scrubSecrets(text, apiKey === undefined ? knownSecrets.values() : [apiKey, ...knownSecrets.values()]), 500);
  const adapter = await descriptor.create({ ...config, id: config.id }, { apiKey, modelDirs: [] });
  const signal = AbortSignal.timeout(input.timeoutMs);
  try {
    const models = await adapter.listModels(signal);
    return { outcome: 'accepted', host, message: `${host} accepted the key and lists ${models.length} model${models.length === 1 ? '' : 's'}.` };
  } catch (error) {
    const failure = toProviderError(config.id, error, signal);
    if (failure.kind === 'auth') return { outcome: 'rejected', host, message: words(`${host} refused the key: ${failure.message}`) };
    if (failure.kind === 'connection' || failure.kind === 'timeout' || failure.kind === 'request-timeout') {
      return { outcome: 'unreachable', host, message: words(`${host} could not be reached: ${failure.message}`) };
    }
    return { outcome: 'failed', host, message: words(`${host} answered, but not with a model list: ${failure.message}`) };
  } finally {
    await adapter.dispose?.().catch(() => undefined);
  }
}
