import { useConnectionStore } from '../features/connection/connectionStore.ts';
import { useProjectsStore } from '../features/projects/projectsStore.ts';
import { useModelsStore } from '../features/providers/modelsStore.ts';
import { useProvidersStore } from '../features/providers/providersStore.ts';
import { useSettingsStore } from '../features/settings/settingsStore.ts';
import { syncTheme } from '../features/theme/syncTheme.ts';
import { reloadAll } from './reloadAll.ts';

/**
 * Subscribes to the core's events, keeps the theme in step and loads everything; returns the
 * teardown. When a lost connection comes back, everything is loaded again: events sent while it
 * was down were missed.
 */
export function connectToCore(): () => void {
  const stops = [
    useProjectsStore.getState().watch(),
    useSettingsStore.getState().watch(),
    useProvidersStore.getState().watch(),
    useModelsStore.getState().watch(),
    syncTheme(),
    useConnectionStore.subscribe((state, previous) => {
      if (previous.problem !== null && state.problem === null) reloadAll();
    }),
  ];
  reloadAll();
  return () => {
    for (const stop of stops) stop();
  };
}
