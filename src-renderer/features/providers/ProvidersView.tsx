import { EmptyState } from '../../ui/EmptyState.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { privacyModeOption } from '../settings/privacyModeOptions.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';

/** Model providers. None can be configured yet, and the view says so rather than showing samples. */
export function ProvidersView() {
  const privacyMode = useSettingsStore((state) => state.settings.privacyMode);
  const settingsReady = useSettingsStore((state) => state.status === 'ready');
  const show = useNavigationStore((state) => state.show);
  const mode = privacyModeOption(privacyMode);

  return (
    <div className="view">
      <ViewHeader title="Providers">The models Service Creator may use to build your services.</ViewHeader>
      <EmptyState title="No model providers configured yet" testId="providers-empty">
        <p>
          On-device models come first: llama.cpp and Ollama, running on this machine. Cloud providers are used only when
          the privacy mode allows it.
        </p>
        <p data-testid="providers-privacy-mode">
          Privacy mode: <strong>{settingsReady ? mode.label : 'unknown until the settings load'}</strong>
          {settingsReady && mode.explanation !== '' ? ` (${mode.explanation})` : null}
        </p>
        <p>
          <button type="button" className="button" onClick={() => {
              show('settings');
            }}>
            Change privacy mode in Settings
          </button>
        </p>
      </EmptyState>
    </div>
  );
}
