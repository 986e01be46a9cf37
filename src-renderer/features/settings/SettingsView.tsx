import { FormError } from '../../ui/FormError.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { AboutSection } from '../about/AboutSection.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { PrivacyGuardSection } from './PrivacyGuardSection.tsx';
import { TelemetrySection } from './TelemetrySection.tsx';
import { privacyModeOptions } from './privacyModeOptions.ts';
import { ResponseCacheSection } from './ResponseCacheSection.tsx';
import { SelectField } from './SelectField.tsx';
import { useSaveErrorFor, useSettingsStore } from './settingsStore.ts';
import { themeOptions } from './themeOptions.ts';
import './settings.css';

/** Theme and privacy mode, each saved the moment it changes, the privacy guard, the response cache, and what this installation is. */
export function SettingsView() {
  const settings = useSettingsStore((state) => state.settings);
  const status = useSettingsStore((state) => state.status);
  const loadError = useSettingsStore((state) => state.loadError);
  // Only the General fields' own errors here: each section below shows its own by its fields.
  const saveError = useSaveErrorFor('theme', 'privacyMode');
  const update = useSettingsStore((state) => state.update);
  const load = useSettingsStore((state) => state.load);
  const unavailable = status !== 'ready';

  return (
    <div className="view">
      <ViewHeader title="Settings">Changes are saved as soon as you make them.</ViewHeader>
      <section className="panel" aria-labelledby="settings-general-heading">
        <h3 className="panel-title" id="settings-general-heading">
          General
        </h3>
        {status === 'loading' ? (
          <p className="muted" role="status">
            Loading settings…
          </p>
        ) : null}
        {status === 'failed' && loadError !== null ? (
          <div className="notice notice-error" role="alert">
            <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the settings.' : loadError.message}</span>
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : null}
        <SelectField
          label="Theme"
          testId="settings-theme"
          value={settings.theme}
          options={themeOptions}
          disabled={unavailable}
          hint="System follows the light or dark appearance of your operating system."
          onChange={(theme) => void update({ theme })}
        />
        <SelectField
          label="Privacy mode"
          testId="settings-privacy-mode"
          value={settings.privacyMode}
          options={privacyModeOptions}
          disabled={unavailable}
          hint={
            <ul className="privacy-mode-explanations">
              {privacyModeOptions.map((option) => (
                <li key={option.value} aria-current={option.value === settings.privacyMode ? 'true' : undefined}>
                  <strong>{option.label}:</strong> {option.explanation}
                </li>
              ))}
            </ul>
          }
          onChange={(privacyMode) => void update({ privacyMode })}
        />
        <FormError message={saveError} />
      </section>
      <PrivacyGuardSection />
      <ResponseCacheSection />
      <TelemetrySection />
      <AboutSection />
    </div>
  );
}
