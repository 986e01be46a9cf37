import { useEffect } from 'react';
import type { CatalogEntryView } from '../../../src-shared/domain/modelCatalog.ts';
import type { HardwareInfo } from '../../../src-shared/domain/hardware.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useCatalogStore } from './catalogStore.ts';
import { formatBytes } from './formatBytes.ts';
import { useModelsStore } from './modelsStore.ts';
import './catalog.css';

/** Coding models to download, each with whether it runs on this machine (GPU, CPU or too big), best fit first. */
export function ModelCatalogSection() {
  const view = useCatalogStore((state) => state.view);
  const loading = useCatalogStore((state) => state.loading);
  const error = useCatalogStore((state) => state.error);
  const load = useCatalogStore((state) => state.load);

  useEffect(() => {
    void useCatalogStore.getState().load();
  }, []);

  const estimated = view?.entries.filter((entry) => entry.fit.source === 'catalogue').length ?? 0;
  return (
    <section className="panel" aria-labelledby="catalog-heading" data-testid="catalog-section" aria-busy={loading}>
      <h3 className="panel-title" id="catalog-heading">
        Model catalogue
      </h3>
      <p className="panel-description">
        Coding models you can download and run on this computer, best fit first.{view === null ? null : ` This machine: ${describeMachine(view.hardware)}.`}
      </p>
      <div className="inline-row">
        <button type="button" className="button" data-testid="catalog-refresh" disabled={loading} onClick={() => void load(true)}>
          {loading ? <span className="spinner" aria-hidden="true" /> : null}
          {loading ? 'Checking the model files…' : 'Check again'}
        </button>
        {view !== null && estimated > 0 ? (
          <span className="muted" data-testid="catalog-offline">
            {estimated === view.entries.length ? 'All fits' : `${estimated} of ${view.entries.length} fits`} estimated offline from the catalogue (the model files could not be read).
          </span>
        ) : null}
      </div>
      <FormError message={error} />
      {view === null ? null : (
        <ul className="catalog-list" data-testid="catalog-entries">
          {view.entries.map((entry) => (
            <CatalogEntry key={entry.id} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CatalogEntry({ entry }: { entry: CatalogEntryView }) {
  const download = useModelsStore((state) => state.download);
  const starting = useModelsStore((state) => state.startingDownload);
  return (
    <li className="catalog-entry" data-testid="catalog-entry" data-entry={entry.id} data-uri={entry.file.uri} data-fit={entry.fit.verdict}>
      <div className="catalog-entry-head">
        <span className="model-name">
          {entry.model.name} <span className="muted">{entry.file.quantization}</span>
        </span>
        <span className={`fit-badge fit-badge-${entry.fit.verdict}`} data-testid="fit-badge">
          {entry.fit.label}
        </span>
        {entry.recommended ? (
          <span className="fit-badge fit-badge-recommended" data-testid="catalog-recommended">
            Recommended
          </span>
        ) : null}
        <button
          type="button"
          className="button catalog-download"
          data-testid="catalog-download"
          disabled={starting || entry.fit.verdict === 'too-big'}
          title={entry.fit.verdict === 'too-big' ? 'Too big for this computer' : `Download ${entry.file.uri}`}
          onClick={() => void download(entry.file.uri)}
        >
          Download
        </button>
      </div>
      <dl className="catalog-facts">
        <dt>Size</dt>
        <dd>{formatBytes(entry.file.sizeBytes)}</dd>
        <dt>Context</dt>
        <dd data-testid="catalog-context">{entry.fit.contextSize > 0 ? `${entry.fit.contextSize.toLocaleString()} tokens here` : `${entry.model.contextLength.toLocaleString()} tokens (trained)`}</dd>
        <dt>Licence</dt>
        <dd>
          <a href={entry.model.licence.url} target="_blank" rel="noreferrer noopener">
            {entry.model.licence.name}
          </a>
          {entry.model.licence.commercialUse ? null : ' (not for commercial use)'}
        </dd>
      </dl>
      <p className="catalog-why" data-testid="catalog-why">
        {entry.why}
        {entry.fit.source === 'catalogue' ? ' (Estimated offline from the catalogue.)' : null}
      </p>
    </li>
  );
}

function describeMachine(hardware: HardwareInfo): string {
  const gib = 1024 ** 3;
  const gpu = hardware.gpu === false ? 'no GPU that llama.cpp can use' : `a ${hardware.gpu.toUpperCase()} GPU with ${(hardware.vramBytes / gib).toFixed(1)} GiB`;
  return `${(hardware.ramBytes / gib).toFixed(1)} GiB of memory, ${hardware.cores} cores and ${gpu}`;
}
