import { AppError } from '../../src-shared/AppError.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import { requireFullPath } from '../paths/requireFullPath.ts';
import type { ModelService } from '../providers/ModelService.ts';
import type { ProviderService } from '../providers/ProviderService.ts';
import { refuseKeysInNames } from '../providers/refuseKeysInNames.ts';
import type { ModelGateway } from '../gateway/ModelGateway.ts';
import type { Handlers } from './Handlers.ts';

type ProviderChannels =
  | 'providers.list'
  | 'providers.types'
  | 'providers.add'
  | 'providers.update'
  | 'providers.remove'
  | 'providers.setKey'
  | 'providers.removeKey'
  | 'providers.test'
  | 'providers.checkKey'
  | 'models.list'
  | 'models.import'
  | 'models.download'
  | 'models.cancelDownload'
  | 'models.downloads'
  | 'models.pauseDownload'
  | 'models.resumeDownload'
  | 'models.remove'
  | 'routing.get'
  | 'routing.set'
  | 'pricing.list'
  | 'pricing.set'
  | 'pricing.reset'
  | 'usage.attempts';

export interface ProviderHandlerDeps {
  providers: ProviderService;
  gateway: ModelGateway;
  models: ModelService;
  privacyMode: () => PrivacyMode;
}

/** The provider, model, routing and usage channels, over the services that own them. */
export function createProviderHandlers({ providers, gateway, models, privacyMode }: ProviderHandlerDeps): Pick<Handlers, ProviderChannels> {
  return {
    'providers.list': () => providers.list(),
    'providers.types': () => providers.types(),
    'providers.add': ({ config, apiKey }) => providers.add(config, apiKey),
    'providers.update': ({ config }) => providers.update(config),
    'providers.remove': async ({ id }) => {
      await providers.remove(id);
      return { id };
    },
    'providers.setKey': ({ id, apiKey }) => providers.setKey(id, apiKey),
    'providers.removeKey': ({ id }) => providers.removeKey(id),
    'providers.test': ({ id }) => providers.test(id),
    'providers.checkKey': ({ config, apiKey }) => providers.checkKey(config, apiKey),
    'models.list': () => models.list(),
    'models.import': ({ path }) => models.import(requireFullPath(path, 'file')),
    'models.download': async ({ uri }) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !/^https?:\/\//i.test(uri)) throw new AppError('INVALID_INPUT', `A model address starts with https://, http:// or hf: (got "${uri.slice(0, 80)}")`);
      const { downloadId } = await models.pull(uri); // an address, or a catalogue id
      return { downloadId };
    },
    'models.cancelDownload': async ({ downloadId }) => ({ cancelled: await models.cancel(downloadId) }),
    'models.downloads': () => models.downloads(),
    'models.pauseDownload': ({ downloadId }) => ({ paused: models.pause(downloadId) }),
    'models.resumeDownload': async ({ downloadId }) => ({ downloadId: (await models.resume(downloadId)).downloadId }),
    'models.remove': ({ id, force }) => models.remove(id, force ?? false),
    'routing.get': () => ({ routing: providers.routing.get(), strategies: providers.routing.strategies(), privacyMode: privacyMode() }),
    'routing.set': async ({ routing, strategies }) => {
      await providers.learnKeysInUse();
      refuseKeysInNames({ models: Object.values(routing).flatMap((targets) => (targets ?? []).map((target) => target.model)) });
      return { routing: providers.routing.set(routing, strategies), strategies: providers.routing.strategies(), privacyMode: privacyMode() };
    },
    'pricing.list': () => gateway.priceList(),
    'pricing.set': async ({ model, inputPerMillion, outputPerMillion }) => {
      await providers.learnKeysInUse();
      refuseKeysInNames({ models: [model] });
      gateway.prices.set(model, { inputPerMillion, outputPerMillion });
      return gateway.priceList();
    },
    'pricing.reset': ({ model }) => {
      if (!gateway.prices.remove(model)) throw new AppError('NOT_FOUND', `No price of your own for "${model}"`);
      return gateway.priceList();
    },
    'usage.attempts': (input) => gateway.attempts.recent(input?.limit ?? 100, input?.kind),
  };
}
