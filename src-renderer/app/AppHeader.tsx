import { privacyModeOption } from '../features/settings/privacyModeOptions.ts';
import { useSettingsStore } from '../features/settings/settingsStore.ts';

/** The title bar: the app name, and the privacy mode in force so it is never a surprise. */
export function AppHeader() {
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const ready = useSettingsStore((state) => state.status === 'ready');
  const mode = privacyModeOption(privacyMode);
  return (
    <header className="app-header">
      <h1 className="app-title">Service Creator</h1>
      {ready ? (
        <span className={`privacy-badge privacy-badge-${privacyMode}`} title={mode.explanation} data-testid="header-privacy-mode">
          {mode.label}
        </span>
      ) : null}
    </header>
  );
}
