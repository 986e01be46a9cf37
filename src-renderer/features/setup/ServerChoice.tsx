import { useId, useState } from 'react';
import type { DetectedServer } from '../../../src-shared/domain/setup.ts';
import { useSetupStore } from './setupStore.ts';

/** One server found on this computer: its name, address and models, and "Use this model". */
export function ServerChoice({ server }: { server: DetectedServer }) {
  const apply = useSetupStore((state) => state.apply);
  const [model, setModel] = useState(server.models[0]?.id ?? '');
  const selectId = useId();
  return (
    <li className="setup-option" data-testid="setup-server">
      <div>
        <strong data-testid="setup-server-name">{server.name.charAt(0).toUpperCase() + server.name.slice(1)}</strong> at <code>{server.baseUrl}</code>
        {server.version ? <span className="muted"> (version {server.version})</span> : null}
      </div>
      {server.models.length === 0 ? (
        <p className="muted">It lists no models: load or pull one in it, then press Look again.</p>
      ) : (
        <div className="inline-row">
          <label className="field-label" htmlFor={selectId}>
            Model
          </label>
          <select id={selectId} className="text-input" data-testid="setup-server-model" value={model} onChange={(event) => setModel(event.target.value)}>
            {server.models.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.id}
                {entry.contextLength ? ` (context ${entry.contextLength})` : ''}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-primary"
            data-testid="setup-use-server"
            disabled={model === ''}
            onClick={() => void apply({ kind: 'server', serverKind: server.kind, baseUrl: server.baseUrl, providerType: server.providerType, model })}
          >
            Use this model
          </button>
        </div>
      )}
    </li>
  );
}
