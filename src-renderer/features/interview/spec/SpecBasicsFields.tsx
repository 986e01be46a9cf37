import { serviceTypes } from '../../../../src-shared/domain/serviceSpec.ts';
import { FormField } from './FormField.tsx';
import { OptionalSelect } from './OptionalSelect.tsx';
import type { SpecFormSectionProps } from './SpecFormSection.ts';
import { choicesOf, serviceTypeLabels } from './specLabels.ts';

/** Name, summary, service type (with the custom description) and features. */
export function SpecBasicsFields({ form, change }: SpecFormSectionProps) {
  return (
    <>
      <FormField label="Name">
        {({ id }) => (
          <input
            id={id}
            className="text-input"
            data-testid="spec-name"
            value={form.name}
            autoComplete="off"
            onChange={(event) => {
              change({ name: event.target.value });
            }}
          />
        )}
      </FormField>
      <FormField label="Summary">
        {({ id }) => (
          <textarea
            id={id}
            className="text-input text-area"
            data-testid="spec-summary"
            rows={2}
            value={form.summary}
            onChange={(event) => {
              change({ summary: event.target.value });
            }}
          />
        )}
      </FormField>
      <OptionalSelect
        label="Service type"
        testId="spec-service-type"
        value={form.serviceType}
        choices={choicesOf(serviceTypes, serviceTypeLabels)}
        onChange={(serviceType) => {
          change({ serviceType });
        }}
      />
      {form.serviceType === 'custom' ? (
        <FormField label="Custom service" hint="What it manages and for whom, in a sentence.">
          {({ id, hintId }) => (
            <input
              id={id}
              className="text-input"
              data-testid="spec-custom-service-type"
              value={form.customServiceType}
              aria-describedby={hintId}
              onChange={(event) => {
                change({ customServiceType: event.target.value });
              }}
            />
          )}
        </FormField>
      ) : null}
      <FormField label="Features" hint="One per line.">
        {({ id, hintId }) => (
          <textarea
            id={id}
            className="text-input text-area"
            data-testid="spec-features"
            rows={4}
            value={form.features}
            aria-describedby={hintId}
            onChange={(event) => {
              change({ features: event.target.value });
            }}
          />
        )}
      </FormField>
    </>
  );
}
