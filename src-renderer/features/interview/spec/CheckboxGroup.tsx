export interface CheckboxGroupProps<V extends string> {
  legend: string;
  values: readonly V[];
  choices: readonly { value: V; label: string }[];
  onChange: (values: V[]) => void;
  testId: string;
}

/** A fieldset of checkboxes over an enum of the spec; the result keeps the enum's order. */
export function CheckboxGroup<V extends string>({ legend, values, choices, onChange, testId }: CheckboxGroupProps<V>) {
  return (
    <fieldset className="spec-checkboxes" data-testid={testId}>
      <legend className="field-label">{legend}</legend>
      {choices.map((choice) => (
        <label key={choice.value} className="checkbox-field">
          <input
            type="checkbox"
            value={choice.value}
            checked={values.includes(choice.value)}
            onChange={(event) => {
              const checked = event.target.checked;
              onChange(choices.filter((other) => (other.value === choice.value ? checked : values.includes(other.value))).map((other) => other.value));
            }}
          />
          <span>{choice.label}</span>
        </label>
      ))}
    </fieldset>
  );
}
