import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { formatBytes } from './formatBytes.ts';
import { OllamaPulls } from './OllamaPulls.tsx';
import { useOllamaStore } from './ollamaStore.ts';

/** Ollama on this machine: whether it runs (in words), its models with size and context, pull and remove. */
export function OllamaSection() {
  const status = useOllamaStore((state) => state.status);
  const models = useOllamaStore((state) => state.models);
  const loading = useOllamaStore((state) => state.loading);
  const error = useOllamaStore((state) => state.error);
  const load = useOllamaStore((state) => state.load);

  useEffect(() => {
    void useOllamaStore.getState().load();
    return useOllamaStore.getState().watch();
  }, []);

  return (
    <section className="panel" aria-labelledby="ollama-heading" data-testid="ollama-section">
      <h3 className="panel-title" id="ollama-heading">
        Ollama
      </h3>
      <p className="panel-description">Models Ollama keeps on this machine. An Ollama provider with no model named uses the first one listed here.</p>
      <div className="inline-row ollama-status-row">
        <p className="ollama-status" role="status" data-testid="ollama-status" data-running={status === null ? 'unknown' : String(status.running)}>
          {status === null ? 'Asking Ollama…' : status.message}
        </p>
        <button type="button" className="button" data-testid="ollama-refresh" disabled={loading} onClick={() => void load()}>
          {loading ? <span className="spinner" aria-hidden="true" /> : null}
          Check again
        </button>
      </div>
      {status?.running && models.length === 0 ? (
        <p className="muted" data-testid="ollama-empty">
          Ollama has no models yet. Pull one below, e.g. qwen2.5-coder:7b.
        </p>
      ) : null}
      {models.length === 0 ? null : <OllamaModels />}
      {status?.running ? <PullForm /> : null}
      <FormError message={error} />
      <OllamaPulls />
    </section>
  );
}

function OllamaModels() {
  const models = useOllamaStore((state) => state.models);
  const deleting = useOllamaStore((state) => state.deleting);
  const remove = useOllamaStore((state) => state.remove);
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="ollama-models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Parameters</th>
            <th scope="col">Quantisation</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col" className="numeric">
              Context
            </th>
            <th scope="col">On this machine</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.name} data-testid="ollama-model" data-model={model.name}>
              <td>
                <span className="model-name">{model.name}</span>
              </td>
              <td>{model.parameterSize ?? '—'}</td>
              <td>{model.quantization ?? '—'}</td>
              <td className="numeric">{formatBytes(model.sizeBytes)}</td>
              <td className="numeric">{model.contextLength === undefined ? '—' : model.contextLength.toLocaleString()}</td>
              <td data-testid="ollama-fit" data-verdict={model.fit?.verdict ?? 'unknown'} title={model.fit?.note}>
                {model.fit === undefined ? '—' : model.fit.verdict === 'too-big' ? model.fit.label : `${model.fit.label}, ${model.fit.contextSize.toLocaleString()} tokens`}
              </td>
              <td>
                {confirming === model.name ? (
                  <span className="inline-row">
                    <button
                      type="button"
                      className="button button-danger"
                      data-testid="ollama-remove-confirm"
                      disabled={deleting !== null}
                      onClick={() => {
                        void remove(model.name).then(() => setConfirming(null));
                      }}
                    >
                      Remove {model.name}
                    </button>
                    <button type="button" className="button button-quiet" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button type="button" className="button button-quiet button-quiet-danger" data-testid="ollama-remove" onClick={() => setConfirming(model.name)}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PullForm() {
  const [name, setName] = useState('');
  const [starting, setStarting] = useState(false);
  const pull = useOllamaStore((state) => state.pull);
  const inputId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (starting || name.trim() === '') return;
    setStarting(true);
    if (await pull(name)) setName('');
    setStarting(false);
  };

  return (
    <form className="models-form" onSubmit={(event) => void submit(event)} aria-busy={starting}>
      <label className="field-label" htmlFor={inputId}>
        Pull a model into Ollama
      </label>
      <div className="inline-row">
        <input
          id={inputId}
          className="text-input"
          data-testid="ollama-pull-name"
          value={name}
          placeholder="qwen2.5-coder:7b"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
        <button type="submit" className="button" data-testid="ollama-pull" disabled={starting || name.trim() === ''}>
          Pull
        </button>
      </div>
      <div className="field-hint">A name from the Ollama library. Ollama downloads it over the network.</div>
    </form>
  );
}
