import { useId, useState, type SubmitEvent } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { formatBytes } from './formatBytes.ts';
import { ModelDownloads } from './ModelDownloads.tsx';
import { ModelRemove } from './ModelRemove.tsx';
import { useModelsStore } from './modelsStore.ts';

/** GGUF files llama.cpp can run, how to add one from disk, and downloads with progress. */
export function LocalModelsSection() {
  const models = useModelsStore((state) => state.models);
  const status = useModelsStore((state) => state.status);
  const loadError = useModelsStore((state) => state.loadError);
  const load = useModelsStore((state) => state.load);

  return (
    <section className="panel" aria-labelledby="models-heading">
      <h3 className="panel-title" id="models-heading">
        Local models
      </h3>
      <p className="panel-description">GGUF model files in the models folder, run on this machine by the llama.cpp provider.</p>
      {status === 'loading' || status === 'idle' ? (
        <p className="muted" role="status">
          Loading models…
        </p>
      ) : null}
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the local models.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' && models.length === 0 ? (
        <p className="muted models-empty" data-testid="models-empty">
          No local models yet. Import a GGUF file you already have, or download one.
        </p>
      ) : null}
      {models.length === 0 ? null : (
        <div className="table-scroll">
          <table className="data-table" data-testid="models-list">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Architecture</th>
                <th scope="col">Quantisation</th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col" className="numeric">
                  Context
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((model) => (
                <tr key={model.id} data-testid="model-item" data-model-id={model.id}>
                  <td>
                    <span className="model-name">{model.id}</span>
                    <span className="model-path" title={model.path}>
                      {model.path}
                    </span>
                  </td>
                  <td>{model.architecture ?? '—'}</td>
                  <td>{model.quantization ?? '—'}</td>
                  <td className="numeric">{formatBytes(model.sizeBytes)}</td>
                  <td className="numeric">{model.contextLength === undefined ? '—' : model.contextLength.toLocaleString()}</td>
                  <td>
                    <ModelRemove id={model.id} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="models-forms">
        <ImportForm />
        <DownloadForm />
      </div>
      <ModelDownloads />
    </section>
  );
}

function ImportForm() {
  const [path, setPath] = useState('');
  const importing = useModelsStore((state) => state.importing);
  const importError = useModelsStore((state) => state.importError);
  const imported = useModelsStore((state) => state.imported);
  const importFile = useModelsStore((state) => state.importFile);
  const inputId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await importFile(path)) setPath('');
  };

  return (
    <form className="models-form" onSubmit={(event) => void submit(event)} aria-busy={importing}>
      <label className="field-label" htmlFor={inputId}>
        Import GGUF file
      </label>
      <div className="inline-row">
        <input
          id={inputId}
          className="text-input"
          data-testid="model-import-path"
          value={path}
          placeholder="/path/to/model.gguf"
          autoComplete="off"
          spellCheck={false}
          readOnly={importing}
          onChange={(event) => {
            setPath(event.target.value);
          }}
        />
        <button type="submit" className="button" data-testid="model-import" disabled={importing || path.trim() === ''}>
          {importing ? <span className="spinner" aria-hidden="true" /> : null}
          {importing ? 'Importing…' : 'Import'}
        </button>
      </div>
      <div className="field-hint">A path on the machine running Service Creator; the file is copied into the models folder.</div>
      {imported === null ? null : (
        <p className="models-form-ok" role="status">
          Imported {imported.id}.
        </p>
      )}
      <FormError message={importError} />
    </form>
  );
}

function DownloadForm() {
  const [uri, setUri] = useState('');
  const starting = useModelsStore((state) => state.startingDownload);
  const downloadError = useModelsStore((state) => state.downloadError);
  const download = useModelsStore((state) => state.download);
  const inputId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (await download(uri)) setUri('');
  };

  return (
    <form className="models-form" onSubmit={(event) => void submit(event)} aria-busy={starting}>
      <label className="field-label" htmlFor={inputId}>
        Download a model
      </label>
      <div className="inline-row">
        <input
          id={inputId}
          className="text-input"
          data-testid="model-download-uri"
          value={uri}
          placeholder="catalogue ID, hf:user/repo:Q4_K_M or https://…/model.gguf"
          autoComplete="off"
          spellCheck={false}
          readOnly={starting}
          onChange={(event) => {
            setUri(event.target.value);
          }}
        />
        <button type="submit" className="button" data-testid="model-download" disabled={starting || uri.trim() === ''}>
          Download
        </button>
      </div>
      <div className="field-hint">A catalogue ID (MODEL:QUANT, checked against its published size and sha256), a direct https:// link to a .gguf file, or an hf: address on Hugging Face. This goes over the network; a paused download resumes where it stopped.</div>
      <FormError message={downloadError} />
    </form>
  );
}
