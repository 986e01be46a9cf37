import type { SetupService } from '../setup/SetupService.ts';
import type { Handlers } from './Handlers.ts';

type SetupChannels = 'setup.status' | 'setup.detect' | 'setup.apply' | 'setup.skip' | 'routing.explain';

/** First-run setup and the routing page's "who answers each task, and why". */
export function createSetupHandlers(setup: SetupService): Pick<Handlers, SetupChannels> {
  return {
    'setup.status': () => setup.status(),
    'setup.detect': () => setup.detect(),
    'setup.apply': ({ choice }) => setup.apply(choice),
    'setup.skip': () => setup.skip(),
    'routing.explain': () => setup.explain(),
  };
}
