import { logOutputs, metricsKinds, pricingModels } from '../../../../src-shared/domain/serviceSpec.ts';
import { CheckboxGroup } from './CheckboxGroup.tsx';
import { FormField } from './FormField.tsx';
import { OptionalSelect } from './OptionalSelect.tsx';
import type { SpecFormSectionProps } from './SpecFormSection.ts';
import { choicesOf, loggingLabels, metricsLabels, pricingLabels } from './specLabels.ts';

/** How the service is charged, and what it logs, measures and traces. */
export function SpecOperationsFields({ form, change }: SpecFormSectionProps) {
  return (
    <>
      <OptionalSelect
        label="Pricing model"
        testId="spec-pricing"
        value={form.pricingModel}
        choices={choicesOf(pricingModels, pricingLabels)}
        onChange={(pricingModel) => {
          change({ pricingModel });
        }}
      />
      <FormField label="Pricing notes" hint="Optional.">
        {({ id, hintId }) => (
          <input
            id={id}
            className="text-input"
            data-testid="spec-pricing-notes"
            value={form.pricingNotes}
            aria-describedby={hintId}
            onChange={(event) => {
              change({ pricingNotes: event.target.value });
            }}
          />
        )}
      </FormField>
      <CheckboxGroup
        legend="Logging"
        testId="spec-logging"
        values={form.logging}
        choices={choicesOf(logOutputs, loggingLabels)}
        onChange={(logging) => {
          change({ logging });
        }}
      />
      <OptionalSelect
        label="Metrics"
        testId="spec-metrics"
        value={form.metrics}
        choices={choicesOf(metricsKinds, metricsLabels)}
        onChange={(metrics) => {
          change({ metrics });
        }}
      />
      <label className="checkbox-field spec-single-checkbox">
        <input
          type="checkbox"
          data-testid="spec-tracing"
          checked={form.tracing}
          onChange={(event) => {
            change({ tracing: event.target.checked });
          }}
        />
        <span>OpenTelemetry tracing</span>
      </label>
    </>
  );
}
