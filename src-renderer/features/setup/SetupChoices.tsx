import { useId, useState } from 'react';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { RecommendedDownload } from './RecommendedDownload.tsx';
import { ServerChoice } from './ServerChoice.tsx';
import { useSetupStore } from './setupStore.ts';

/** The ways to reach a model, in the order most users want them: found servers, files here, import, download, cloud. */
export function SetupChoices() {
  const detection = useSetupStore((state) => state.detection);
  const localModels = useSetupStore((state) => state.localModels);
  const apply = useSetupStore((state) => state.apply);
  const importAndApply = useSetupStore((state) => state.importAndApply);
  const show = useNavigationStore((state) => state.show);
  const [path, setPath] = useState('');
  const pathId = useId();
  if (!detection) return null;
  const quietPorts = detection.probed.filter((probe) => probe.host === '127.0.0.1' && probe.outcome !== 'found');

  return (
    <>
      <section className="panel" aria-labelledby="setup-servers-heading">
        <h3 className="panel-title" id="setup-servers-heading">
          Model servers on this computer
        </h3>
        {detection.servers.length === 0 ? (
          <p className="muted" data-testid="setup-no-servers">
            None found. Start Ollama, LM Studio's server, llama-server or vLLM and press Look again, or use a choice below.
          </p>
        ) : (
          <ul className="setup-options">
            {detection.servers.map((server) => (
              <ServerChoice key={`${server.host}:${server.port}`} server={server} />
            ))}
          </ul>
        )}
        {quietPorts.length > 0 && detection.servers.length > 0 ? (
          <p className="muted">Nothing answered on {quietPorts.map((probe) => `${probe.port} (${probe.usual})`).join(', ')}.</p>
        ) : null}
      </section>
      <section className="panel" aria-labelledby="setup-files-heading">
        <h3 className="panel-title" id="setup-files-heading">
          A model file on this computer
        </h3>
        {localModels.length > 0 ? (
          <ul className="setup-options">
            {localModels.map((model) => (
              <li key={model.id} className="setup-option inline-row">
                <span>{model.id}</span>
                <button type="button" className="button" data-testid="setup-use-file" onClick={() => void apply({ kind: 'local-model', modelId: model.id })}>
                  Use this file
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <form
          className="inline-row"
          onSubmit={(event) => {
            event.preventDefault();
            if (path.trim() !== '') void importAndApply(path.trim());
          }}
        >
          <label className="field-label" htmlFor={pathId}>
            Import a GGUF file
          </label>
          <input id={pathId} className="text-input" type="text" placeholder="/full/path/to/model.gguf" value={path} spellCheck={false} data-testid="setup-import-path" onChange={(event) => setPath(event.target.value)} />
          <button type="submit" className="button" disabled={path.trim() === ''}>
            Import and use
          </button>
        </form>
        {detection.catalogue ? (
          <RecommendedDownload />
        ) : (
          <p className="muted" data-testid="setup-download">
            Downloading a recommended model is not available in this version yet.
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="setup-cloud-heading">
        <h3 className="panel-title" id="setup-cloud-heading">
          A cloud provider
        </h3>
        {detection.cloudAllowed ? (
          <p>
            Prompts go to the provider's servers.{' '}
            <button type="button" className="link-button" data-testid="setup-add-cloud" onClick={() => show('providers')}>
              Add one in Providers
            </button>
          </p>
        ) : (
          <p className="muted" data-testid="setup-cloud-blocked">
            Not offered: the privacy mode is Local only, so nothing leaves this computer. Change it in Settings to add one.
          </p>
        )}
      </section>
    </>
  );
}
