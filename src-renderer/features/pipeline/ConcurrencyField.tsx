import { useId } from 'react';
import { maxConcurrency, minConcurrency, parseConcurrency } from './parseConcurrency.ts';

export interface ConcurrencyFieldProps {
  value: string;
  onChange: (value: string) => void;
}

/** How many files the model writes at once (1..16). */
export function ConcurrencyField({ value, onChange }: ConcurrencyFieldProps) {
  const id = useId();
  const problemId = useId();
  const parsed = parseConcurrency(value);
  return (
    <div className="plan-concurrency">
      <label className="field-label" htmlFor={id}>
        Files at once
      </label>
      <input
        id={id}
        className="text-input plan-concurrency-input"
        data-testid="plan-concurrency"
        type="number"
        inputMode="numeric"
        min={minConcurrency}
        max={maxConcurrency}
        step={1}
        value={value}
        aria-invalid={!parsed.ok}
        aria-describedby={parsed.ok ? undefined : problemId}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      />
      {parsed.ok ? null : (
        <span className="form-error" id={problemId} data-testid="plan-concurrency-error">
          {parsed.problem}
        </span>
      )}
    </div>
  );
}
