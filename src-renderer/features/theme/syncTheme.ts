import { useSettingsStore, type SettingsState } from '../settings/settingsStore.ts';
import { applyTheme } from './applyTheme.ts';

/** Keeps <html data-theme> in step with the theme setting once it has loaded; returns the unsubscribe. */
export function syncTheme(): () => void {
  let applied: string | undefined;
  const follow = ({ settings, status }: SettingsState) => {
    // Until the settings load, `settings` holds defaults; keep the remembered theme instead.
    if (status !== 'ready' || settings.theme === applied) return;
    applied = settings.theme;
    applyTheme(settings.theme);
  };
  follow(useSettingsStore.getState());
  return useSettingsStore.subscribe(follow);
}
