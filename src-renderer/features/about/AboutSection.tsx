import { useEffect } from 'react';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';
import { hostLabel } from './hostLabel.ts';
import { useAboutStore } from './aboutStore.ts';

/** Version, host, data locations and what leaves this machine, as the core reports them. */
export function AboutSection() {
  const info = useAboutStore((state) => state.info);
  const loadError = useAboutStore((state) => state.loadError);
  const load = useAboutStore((state) => state.load);
  const settings = useSettingsStore((state) => state.settings);
  // What leaves this machine follows the configuration: asked again when the page shows and when the
  // settings change (telemetry turned on here or by the CLI, the privacy mode); providers changed
  // meanwhile show on the next visit. Read once at start, it said "Nothing" with telemetry on.
  useEffect(() => {
    void load();
  }, [load, settings]);

  return (
    <section className="panel" aria-labelledby="about-heading">
      <h3 className="panel-title" id="about-heading">
        About
      </h3>
      {info === null && loadError !== null ? (
        <div className="notice notice-error" role="alert">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the app details.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : null}
      {info === null && loadError === null ? (
        <p className="muted" role="status">
          Loading…
        </p>
      ) : null}
      {info === null ? null : (
        <dl className="facts">
          <dt>Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt>Running as</dt>
          <dd>
            {hostLabel(info.host)} on {info.platform}
          </dd>
          <dt>Data folder</dt>
          <dd>
            <code className="path">{info.dataDir}</code>
          </dd>
          <dt>Database</dt>
          <dd>
            <code className="path">{info.databasePath}</code>
          </dd>
          <dt>Schema version</dt>
          <dd>{info.schemaVersion}</dd>
          <dt>What leaves this machine</dt>
          <dd data-testid="app-network-use">
            {info.networkUse.length === 0 ? (
              'Nothing'
            ) : (
              <ul className="plain-list">
                {info.networkUse.map((use) => (
                  <li key={use}>{use}</li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}
