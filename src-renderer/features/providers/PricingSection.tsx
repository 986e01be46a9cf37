import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { PricingRow } from './PricingRow.tsx';
import { usePricingStore, type PriceRow } from './pricingStore.ts';
import { parsePrice, priceMissing } from './priceText.ts';
import './pricing.css';

/** How long a just-added row stays marked. */
const addedMarkMs = 2500;

/**
 * The price per model behind the costs in Usage: the shipped table, the user's own prices over
 * it, and prices for models the table does not know (one behind an internal gateway, say).
 */
export function PricingSection() {
  const status = usePricingStore((state) => state.status);
  const loadError = usePricingStore((state) => state.loadError);
  const prices = usePricingStore((state) => state.prices);
  const asOf = usePricingStore((state) => state.asOf);
  const load = usePricingStore((state) => state.load);
  const [editing, setEditing] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  useEffect(() => {
    if (added === null) return;
    const timer = setTimeout(() => {
      setAdded(null);
    }, addedMarkMs);
    return () => {
      clearTimeout(timer);
    };
  }, [added]);

  return (
    <section className="panel" aria-labelledby="pricing-heading" data-testid="pricing-section">
      <h3 className="panel-title" id="pricing-heading">
        Prices
      </h3>
      <p className="panel-description">
        Costs in Usage are computed from these prices, in US dollars per million tokens; local models cost nothing.
      </p>
      {status === 'loading' || status === 'idle' ? (
        <p className="muted" role="status">
          Loading prices…
        </p>
      ) : null}
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the prices.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' ? (
        <PricingTable
          asOf={asOf}
          editing={editing}
          added={added}
          prices={prices}
          onEdit={setEditing}
          onClose={() => {
            setEditing(null);
          }}
          onAdded={(model) => {
            setEditing((current) => (current === model ? null : current));
            setAdded(model);
          }}
        />
      ) : null}
    </section>
  );
}

interface PricingTableProps {
  asOf: string;
  prices: PriceRow[];
  editing: string | null;
  added: string | null;
  onEdit: (model: string) => void;
  onClose: () => void;
  onAdded: (model: string) => void;
}

function PricingTable({ asOf, prices, editing, added, onEdit, onClose, onAdded }: PricingTableProps) {
  const { rows, gone } = useKeptWhileEdited(prices, editing);
  return (
    <div className="table-scroll">
        <table className="data-table pricing-table" data-testid="pricing-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="numeric">
                <span className="pricing-th-line">Input</span> <span className="pricing-th-line">$ per 1M</span>
              </th>
              <th scope="col" className="numeric">
                <span className="pricing-th-line">Output</span> <span className="pricing-th-line">$ per 1M</span>
              </th>
              <th scope="col">Source</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted" data-testid="pricing-empty">
                  No prices yet. Add one below.
                </td>
              </tr>
            ) : null}
            {rows.map((price) => (
              <PricingRow
                key={price.model}
                price={price}
                removed={price.model === gone}
                asOf={asOf}
                editing={editing === price.model}
                added={added === price.model}
                onEdit={() => {
                  onEdit(price.model);
                }}
                onClose={onClose}
              />
            ))}
          </tbody>
          <AddPriceRow onAdded={onAdded} />
        </table>
    </div>
  );
}

/**
 * The rows to show: the prices as stored, and the one being edited when it was removed elsewhere
 * meanwhile (the CLI, another window reset a price the shipped table does not have). That row
 * stays, as it was last stored, so the typed prices are kept; `gone` names its model (else null).
 */
function useKeptWhileEdited(prices: PriceRow[], editing: string | null): { rows: PriceRow[]; gone: string | null } {
  const current = editing === null ? undefined : prices.find((price) => price.model === editing);
  const [kept, setKept] = useState<PriceRow | null>(null);
  // Adjusted while rendering (not in an effect): the edited row as it was last stored.
  if (current !== undefined && current !== kept) setKept(current);
  if (editing === null || current !== undefined || kept?.model !== editing) return { rows: prices, gone: null };
  const at = prices.findIndex((price) => price.model.localeCompare(editing) > 0);
  const rows = at < 0 ? [...prices, kept] : [...prices.slice(0, at), kept, ...prices.slice(at)];
  return { rows, gone: editing };
}

/** The table's last row: a model name and two prices, stored as the user's price for that model. */
function AddPriceRow({ onAdded }: { onAdded: (model: string) => void }) {
  const [model, setModel] = useState('');
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const setPrice = usePricingStore((state) => state.setPrice);
  const formId = useId();
  const errorId = useId();

  const change = (apply: () => void) => {
    apply();
    setError(null);
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const name = model.trim();
    if (name === '') {
      setError('Type the model name as your provider calls it, e.g. corp-gateway-model.');
      return;
    }
    const inputPerMillion = parsePrice(input);
    const outputPerMillion = parsePrice(output);
    if (inputPerMillion === null || outputPerMillion === null) {
      setError(priceMissing);
      return;
    }
    setSaving(true);
    setError(null);
    const failure = await setPrice(name, inputPerMillion, outputPerMillion);
    setSaving(false);
    if (failure !== null) {
      setError(failure.message);
      return;
    }
    setModel('');
    setInput('');
    setOutput('');
    onAdded(name);
  };

  const describedBy = error === null ? undefined : errorId;

  return (
    <tfoot className="pricing-add">
      <tr className="pricing-add-title-row">
        <td colSpan={5}>
          <span className="pricing-add-title">Add a price</span>{' '}
          <span className="pricing-add-hint">for a model the table does not list, such as one behind your own gateway.</span>
        </td>
      </tr>
      <tr className="pricing-add-row">
        <td>
          <input
            className="text-input pricing-model-input"
            form={formId}
            data-testid="pricing-add-model"
            aria-label="Model name"
            aria-invalid={error !== null}
            aria-describedby={describedBy}
            placeholder="Model name"
            autoComplete="off"
            spellCheck={false}
            maxLength={200}
            value={model}
            readOnly={saving}
            onChange={(event) => {
              change(() => {
                setModel(event.target.value);
              });
            }}
          />
        </td>
        <td className="numeric">
          <input
            className="text-input pricing-number"
            form={formId}
            type="number"
            min={0}
            max={10_000}
            step="any"
            inputMode="decimal"
            data-testid="pricing-add-input"
            aria-label="Input price of the new model, US dollars per million tokens"
            aria-describedby={describedBy}
            placeholder="0.00"
            value={input}
            readOnly={saving}
            onChange={(event) => {
              change(() => {
                setInput(event.target.value);
              });
            }}
          />
        </td>
        <td className="numeric">
          <input
            className="text-input pricing-number"
            form={formId}
            type="number"
            min={0}
            max={10_000}
            step="any"
            inputMode="decimal"
            data-testid="pricing-add-output"
            aria-label="Output price of the new model, US dollars per million tokens"
            aria-describedby={describedBy}
            placeholder="0.00"
            value={output}
            readOnly={saving}
            onChange={(event) => {
              change(() => {
                setOutput(event.target.value);
              });
            }}
          />
        </td>
        <td>
          <span className="pricing-source pricing-source-custom pricing-add-source">Your price</span>
        </td>
        <td className="pricing-actions">
          <form id={formId} className="pricing-actions-form" noValidate aria-busy={saving} onSubmit={(event) => void submit(event)}>
            <button type="submit" className="button" data-testid="pricing-add-save" disabled={saving}>
              {saving ? <span className="spinner" aria-hidden="true" /> : null}
              Add price
            </button>
          </form>
        </td>
      </tr>
      {error === null ? null : (
        <tr className="pricing-error-row" data-testid="pricing-add-error">
          <td colSpan={5}>
            <FormError id={errorId} message={error} />
          </td>
        </tr>
      )}
    </tfoot>
  );
}
