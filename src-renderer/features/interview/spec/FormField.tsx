import { useId, type ReactNode } from 'react';

export interface FormFieldProps {
  label: string;
  hint?: ReactNode;
  /** Renders the control with the id its label points at and the id of its hint. */
  children: (ids: { id: string; hintId: string | undefined }) => ReactNode;
}

/** A label, one control and an optional hint linked to it as its description. */
export function FormField({ label, hint, children }: FormFieldProps) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field spec-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, hintId: hint === undefined ? undefined : hintId })}
      {hint === undefined ? null : (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  );
}
