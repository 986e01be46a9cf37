import { FormField } from './FormField.tsx';

export interface OptionalSelectProps<V extends string> {
  label: string;
  value: V | '';
  choices: readonly { value: V; label: string }[];
  onChange: (value: V | '') => void;
  testId: string;
  /** What the empty choice says. */
  emptyLabel?: string;
}

/** A labelled select over an enum of the spec, with an empty choice for "not set yet". */
export function OptionalSelect<V extends string>({ label, value, choices, onChange, testId, emptyLabel = 'Not set' }: OptionalSelectProps<V>) {
  return (
    <FormField label={label}>
      {({ id }) => (
        <select
          id={id}
          className="select"
          data-testid={testId}
          value={value}
          onChange={(event) => {
            onChange(choices.find((choice) => choice.value === event.target.value)?.value ?? '');
          }}
        >
          <option value="">{emptyLabel}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
