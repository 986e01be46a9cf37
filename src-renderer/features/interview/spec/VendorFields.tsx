import { authMethods } from '../../../../src-shared/domain/serviceSpec.ts';
import { FormField } from './FormField.tsx';
import { OptionalSelect } from './OptionalSelect.tsx';
import type { SpecFormSectionProps } from './SpecFormSection.ts';
import { newVendorRow, type VendorsMode } from './specForm.ts';
import { authLabels, choicesOf } from './specLabels.ts';
import { VendorRowFields } from './VendorRowFields.tsx';

const modes: readonly { value: VendorsMode; label: string }[] = [
  { value: 'unset', label: 'Not set' },
  { value: 'none', label: 'No vendor API (standalone service)' },
  { value: 'list', label: 'The vendors below' },
];

/** The vendors and products the service drives, and how it signs in to their APIs. */
export function VendorFields({ form, change }: SpecFormSectionProps) {
  return (
    <>
      <FormField label="Vendors">
        {({ id }) => (
          <select
            id={id}
            className="select"
            data-testid="spec-vendors-mode"
            value={form.vendorsMode}
            onChange={(event) => {
              const vendorsMode = modes.find((mode) => mode.value === event.target.value)?.value ?? 'unset';
              change({ vendorsMode, vendors: vendorsMode === 'list' && form.vendors.length === 0 ? [newVendorRow()] : form.vendors });
            }}
          >
            {modes.map((mode) => (
              <option key={mode.value} value={mode.value}>
                {mode.label}
              </option>
            ))}
          </select>
        )}
      </FormField>
      {form.vendorsMode === 'list' ? (
        <div className="spec-vendor-rows">
          <ul className="spec-vendor-list" data-testid="spec-vendor-rows" aria-label="Vendors">
            {form.vendors.map((row, index) => (
              <VendorRowFields
                key={row.key}
                row={row}
                index={index}
                onChange={(next) => {
                  change({ vendors: form.vendors.map((other) => (other.key === row.key ? next : other)) });
                }}
                onRemove={() => {
                  change({ vendors: form.vendors.filter((other) => other.key !== row.key) });
                }}
              />
            ))}
          </ul>
          <button
            type="button"
            className="button"
            data-testid="spec-vendor-add"
            disabled={form.vendors.length >= 10}
            onClick={() => {
              change({ vendors: [...form.vendors, newVendorRow()] });
            }}
          >
            Add a vendor
          </button>
        </div>
      ) : null}
      <OptionalSelect
        label="Vendor API sign-in"
        testId="spec-auth"
        value={form.auth}
        choices={choicesOf(authMethods, authLabels)}
        onChange={(auth) => {
          change({ auth });
        }}
      />
      <FormField label="Sign-in notes" hint="Optional.">
        {({ id, hintId }) => (
          <input
            id={id}
            className="text-input"
            data-testid="spec-auth-notes"
            value={form.authNotes}
            aria-describedby={hintId}
            onChange={(event) => {
              change({ authNotes: event.target.value });
            }}
          />
        )}
      </FormField>
    </>
  );
}
