import { useEffect, useId, useRef, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { usePricingStore, type PriceRow } from './pricingStore.ts';
import { formatPrice, parsePrice, priceMissing } from './priceText.ts';

export interface PricingRowProps {
  price: PriceRow;
  /** Being edited, and removed elsewhere meanwhile: `price` is as it was last stored, and nothing is stored now. */
  removed?: boolean;
  asOf: string;
  editing: boolean;
  /** Just added with the add row: scrolled into view and marked for a moment. */
  added: boolean;
  onEdit: () => void;
  onClose: () => void;
}

/**
 * One model's price. Edit turns the two prices into inputs in place (Enter or Save stores them as
 * the user's price, Escape or Cancel leaves them); the core's message shows under the row.
 */
export function PricingRow({ price, removed = false, asOf, editing, added, onEdit, onClose }: PricingRowProps) {
  const { model, source } = price;
  const [input, setInput] = useState('');
  const [output, setOutput] = useState('');
  const [editError, setEditError] = useState<string | null>(null);
  const [resetError, setResetError] = useState<string | null>(null);
  /** The price as it was when Edit was pressed: when the stored one moves on meanwhile (the CLI, another window), the row says so. */
  const [editedFrom, setEditedFrom] = useState<Pick<PriceRow, 'inputPerMillion' | 'outputPerMillion' | 'source'> | null>(null);
  const busy = usePricingStore((state) => state.busy[model] === true);
  const setPrice = usePricingStore((state) => state.setPrice);
  const reset = usePricingStore((state) => state.reset);
  const row = useRef<HTMLTableRowElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  /** Set when this row closes its own inputs (not when another row's Edit takes over). */
  const refocus = useRef(false);
  const formId = useId();
  const errorId = useId();

  // Focus goes back to Edit when the inputs close, so the keyboard stays on this row.
  useEffect(() => {
    if (editing || !refocus.current) return;
    refocus.current = false;
    editButton.current?.focus();
  }, [editing]);

  useEffect(() => {
    if (added) row.current?.scrollIntoView({ block: 'nearest' });
  }, [added]);

  const startEdit = () => {
    setInput(String(price.inputPerMillion));
    setOutput(String(price.outputPerMillion));
    setEditedFrom({ inputPerMillion: price.inputPerMillion, outputPerMillion: price.outputPerMillion, source: price.source });
    setEditError(null);
    setResetError(null);
    onEdit();
  };

  const close = () => {
    refocus.current = true;
    onClose();
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const inputPerMillion = parsePrice(input);
    const outputPerMillion = parsePrice(output);
    if (inputPerMillion === null || outputPerMillion === null) {
      setEditError(priceMissing);
      return;
    }
    setEditError(null);
    const failure = await setPrice(model, inputPerMillion, outputPerMillion);
    if (failure === null) close();
    else setEditError(failure.message);
  };

  const resetPrice = async () => {
    if (busy) return;
    setResetError(null);
    const failure = await reset(model);
    if (failure !== null) setResetError(failure.message);
  };

  const cancelOnEscape = (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (!editing || event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  };

  // Changed elsewhere while the inputs are open, and not to what they hold (this row's own save lands as typed).
  const outdated =
    editing &&
    editedFrom !== null &&
    !removed &&
    (editedFrom.inputPerMillion !== price.inputPerMillion || editedFrom.outputPerMillion !== price.outputPerMillion || editedFrom.source !== price.source) &&
    (parsePrice(input) !== price.inputPerMillion || parsePrice(output) !== price.outputPerMillion);

  // A save error belongs to the open inputs; a reset error to the row as shown.
  const error = editing ? editError : resetError;
  const describedBy = error === null ? undefined : errorId;

  return (
    <>
      <tr
        ref={row}
        className={`pricing-row${editing ? ' pricing-row-editing' : ''}${added ? ' pricing-row-added' : ''}${error === null ? '' : ' pricing-row-failed'}`}
        data-testid="pricing-row"
        data-model={model}
        data-source={removed ? 'none' : source}
        aria-busy={busy}
        onKeyDown={cancelOnEscape}
      >
        <td>
          <span className="pricing-model">{model}</span>
        </td>
        <td className="numeric">
          {editing ? (
            <input
              className="text-input pricing-number"
              form={formId}
              type="number"
              min={0}
              max={10_000}
              step="any"
              inputMode="decimal"
              data-testid="pricing-input"
              aria-label={`Input price for ${model}, US dollars per million tokens`}
              aria-invalid={error !== null}
              aria-describedby={describedBy}
              value={input}
              readOnly={busy}
              autoFocus
              onFocus={(event) => {
                event.currentTarget.select();
              }}
              onChange={(event) => {
                setInput(event.target.value);
                setEditError(null);
              }}
            />
          ) : (
            formatPrice(price.inputPerMillion)
          )}
        </td>
        <td className="numeric">
          {editing ? (
            <input
              className="text-input pricing-number"
              form={formId}
              type="number"
              min={0}
              max={10_000}
              step="any"
              inputMode="decimal"
              data-testid="pricing-output"
              aria-label={`Output price for ${model}, US dollars per million tokens`}
              aria-invalid={error !== null}
              aria-describedby={describedBy}
              value={output}
              readOnly={busy}
              onFocus={(event) => {
                event.currentTarget.select();
              }}
              onChange={(event) => {
                setOutput(event.target.value);
                setEditError(null);
              }}
            />
          ) : (
            formatPrice(price.outputPerMillion)
          )}
        </td>
        <td>
          <span className={`pricing-source pricing-source-${removed ? 'none' : source}`} data-testid="pricing-source">
            {removed ? 'No saved price' : source === 'custom' ? 'Your price' : `Shipped table, ${asOf}`}
          </span>
        </td>
        <td className="pricing-actions">
          {editing ? (
            // The inputs belong to this form through their `form` attribute: a form cannot wrap table cells.
            <form id={formId} className="pricing-actions-form" noValidate aria-busy={busy} onSubmit={(event) => void submit(event)}>
              <button type="submit" className="button button-primary" data-testid="pricing-save" disabled={busy}>
                {busy ? <span className="spinner" aria-hidden="true" /> : null}
                Save
              </button>
              <button type="button" className="button" data-testid="pricing-cancel" onClick={close}>
                Cancel
              </button>
            </form>
          ) : (
            <>
              <button
                ref={editButton}
                type="button"
                className="button button-quiet"
                data-testid="pricing-edit"
                aria-label={`Edit the price of ${model}`}
                disabled={busy}
                onClick={startEdit}
              >
                Edit
              </button>
              {source === 'custom' ? (
                <button
                  type="button"
                  className="button button-quiet"
                  data-testid="pricing-reset"
                  aria-label={`Reset the price of ${model} to the shipped table`}
                  title="Drop your price: the shipped table's applies again, or none when the table has no price for this model."
                  disabled={busy}
                  onClick={() => void resetPrice()}
                >
                  {busy ? <span className="spinner" aria-hidden="true" /> : null}
                  Reset to shipped
                </button>
              ) : null}
            </>
          )}
        </td>
      </tr>
      {editing && removed ? (
        <tr className="pricing-error-row" data-testid="pricing-outdated" data-model={model}>
          <td colSpan={5}>
            <p className="field-hint" role="status">
              This price was removed elsewhere while you edited it: the model has no saved price now. Saving sets yours again; Cancel leaves it without one.
            </p>
          </td>
        </tr>
      ) : null}
      {outdated ? (
        <tr className="pricing-error-row" data-testid="pricing-outdated" data-model={model}>
          <td colSpan={5}>
            <p className="field-hint" role="status">
              This price changed elsewhere while you edited it: it is now {formatPrice(price.inputPerMillion)} for input and {formatPrice(price.outputPerMillion)} for output
              {price.source === 'custom' ? '' : ` (the shipped table's)`}. Saving replaces it with yours; Cancel keeps the new one.
            </p>
          </td>
        </tr>
      ) : null}
      {error === null ? null : (
        <tr className="pricing-error-row" data-testid="pricing-error" data-model={model}>
          <td colSpan={5}>
            <FormError id={errorId} message={error} />
          </td>
        </tr>
      )}
    </>
  );
}
