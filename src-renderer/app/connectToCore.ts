import { useBudgetsStore } from '../features/budgets/budgetsStore.ts';
import { useConnectionStore } from '../features/connection/connectionStore.ts';
import { useProjectsStore } from '../features/projects/projectsStore.ts';
import { useModelsStore } from '../features/providers/modelsStore.ts';
import { usePricingStore } from '../features/providers/pricingStore.ts';
import { useProvidersStore } from '../features/providers/providersStore.ts';
import { useRoutingStore } from '../features/providers/routingStore.ts';
import { useSettingsStore } from '../features/settings/settingsStore.ts';
import { syncTheme } from '../features/theme/syncTheme.ts';
import { reloadAll } from './reloadAll.ts';

/**
 * Subscribes to the core's events, keeps the theme in step and loads everything; returns the
 * teardown. When a lost connection comes back, everything is loaded again: events sent while it
 * was down were missed.
 */
export function connectToCore(): () => void {
  let connectedBefore = useConnectionStore.getState().link.state === 'connected';
  const stops = [
    useProjectsStore.getState().watch(),
    useSettingsStore.getState().watch(),
    useProvidersStore.getState().watch(),
    useModelsStore.getState().watch(),
    useBudgetsStore.getState().watch(),
    useRoutingStore.getState().watch(),
    usePricingStore.getState().watch(),
    syncTheme(),
    useConnectionStore.subscribe((state, previous) => {
      // The first connection needs no reload (the calls waited for it); a link that comes back does.
      const linkBack = previous.link.state !== 'connected' && state.link.state === 'connected' && previous.link.state !== 'connecting';
      const tokenBack = previous.link.state === 'connecting' && state.link.state === 'connected' && connectedBefore;
      if (state.link.state === 'connected') connectedBefore = true;
      if (linkBack || tokenBack || (previous.problem !== null && state.problem === null)) reloadAll();
    }),
  ];
  reloadAll();
  return () => {
    for (const stop of stops) stop();
  };
}
