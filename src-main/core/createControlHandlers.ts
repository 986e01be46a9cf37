import { AppError } from '../../src-shared/AppError.ts';
import type { ModelGateway } from '../gateway/ModelGateway.ts';
import type { ProviderService } from '../providers/ProviderService.ts';
import type { ProjectRepository } from '../store/ProjectRepository.ts';
import type { SettingsRepository } from '../store/SettingsRepository.ts';
import type { Handlers } from './Handlers.ts';

type ControlChannels = 'budgets.list' | 'budgets.set' | 'budgets.clear' | 'budgets.timeZone' | 'cache.stats' | 'cache.clear';

/**
 * Budgets and the response cache (the gateway's controls). A budget for a provider or a project
 * must name one that exists (a project by its id or name): a typo would otherwise set a limit
 * that never counts anything.
 */
export function createControlHandlers(deps: { gateway: ModelGateway; providers: ProviderService; projects: ProjectRepository; settings: SettingsRepository }): Pick<Handlers, ControlChannels> {
  const { budgets, cache } = deps.gateway.controls;
  const maxBytes = () => deps.settings.get().responseCache.maxMegabytes * 1024 * 1024;
  return {
    'budgets.list': () => deps.gateway.controls.budgetStatuses(),
    'budgets.set': (budget) => {
      let scopeId = budget.scopeId;
      if (budget.scope === 'provider' && !deps.providers.stored().providers.some((provider) => provider.id === scopeId)) {
        throw new AppError('NOT_FOUND', `There is no provider "${scopeId}"; a provider budget names one of those in Providers`);
      }
      if (budget.scope === 'project') scopeId = deps.projects.find(scopeId).id;
      budgets.set({ ...budget, scopeId });
      return deps.gateway.controls.budgetStatuses();
    },
    'budgets.clear': (ref) => {
      const scopeId = ref.scope === 'project' ? projectIdOf(deps.projects, ref.scopeId) : ref.scopeId;
      const cleared = budgets.clear(ref.scope, scopeId, ref.period);
      return { cleared, budgets: deps.gateway.controls.budgetStatuses() };
    },
    'budgets.timeZone': ({ zone }) => {
      if (zone !== undefined) budgets.setTimeZone(zone);
      return { zone: budgets.timeZone() };
    },
    'cache.stats': () => {
      // What it holds as the cap set now has it (a cap just lowered evicts the least recently used first).
      cache.limit(maxBytes(), true);
      return cache.stats(maxBytes());
    },
    'cache.clear': () => ({ removed: cache.clear() }),
  };
}

/** A project's id from its id or name; the text as given when no such project exists any more (its budget can still be cleared). */
function projectIdOf(projects: ProjectRepository, idOrName: string): string {
  try {
    return projects.find(idOrName).id;
  } catch {
    return idOrName;
  }
}
