import { useId } from 'react';
import { vendorIds } from '../../../../src-shared/domain/serviceSpec.ts';
import { vendorNames } from '../../../../src-shared/domain/vendorCatalog.ts';
import type { VendorRow } from './specForm.ts';
import { choicesOf, vendorLabels } from './specLabels.ts';

export interface VendorRowFieldsProps {
  row: VendorRow;
  index: number;
  onChange: (row: VendorRow) => void;
  onRemove: () => void;
}

/** One vendor entry: which vendor, the name shown, and its products (comma-separated). */
export function VendorRowFields({ row, index, onChange, onRemove }: VendorRowFieldsProps) {
  const ids = { vendor: useId(), name: useId(), products: useId() };
  const number = index + 1;
  return (
    <li className="spec-vendor-row" data-testid="spec-vendor-row">
      <div className="spec-vendor-grid">
        <label className="field-hint" htmlFor={ids.vendor}>
          Vendor {number}
        </label>
        <select
          id={ids.vendor}
          className="select"
          data-testid="spec-vendor-id"
          value={row.vendor}
          onChange={(event) => {
            const vendor = vendorIds.find((id) => id === event.target.value) ?? 'other';
            // A name that was the old vendor's default follows the new vendor.
            const name = row.name === '' || row.name === vendorNames[row.vendor] ? (vendor === 'other' ? '' : vendorNames[vendor]) : row.name;
            onChange({ ...row, vendor, name });
          }}
        >
          {choicesOf(vendorIds, vendorLabels).map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
        <label className="field-hint" htmlFor={ids.name}>
          Name
        </label>
        <input
          id={ids.name}
          className="text-input"
          data-testid="spec-vendor-name"
          value={row.name}
          onChange={(event) => {
            onChange({ ...row, name: event.target.value });
          }}
        />
        <label className="field-hint" htmlFor={ids.products}>
          Products
        </label>
        <input
          id={ids.products}
          className="text-input"
          data-testid="spec-vendor-products"
          value={row.products}
          placeholder="Separated by commas"
          onChange={(event) => {
            onChange({ ...row, products: event.target.value });
          }}
        />
      </div>
      <button type="button" className="button button-quiet button-quiet-danger" aria-label={`Remove vendor ${number}`} onClick={onRemove}>
        Remove
      </button>
    </li>
  );
}
