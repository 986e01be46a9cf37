import { useAboutStore } from '../features/about/aboutStore.ts';
import { useProjectsStore } from '../features/projects/projectsStore.ts';
import { useSettingsStore } from '../features/settings/settingsStore.ts';

/** Fetches everything the UI shows from the core: at start and when the user retries a connection. */
export function reloadAll(): void {
  void useProjectsStore.getState().load();
  void useSettingsStore.getState().load();
  void useAboutStore.getState().load();
}
