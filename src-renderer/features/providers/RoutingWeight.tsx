import { useEffect, useId, useState } from 'react';
import { useRoutingStore } from './routingStore.ts';

export interface RoutingWeightProps {
  weight: number;
  /** The target in words, for the field's label. */
  name: string;
  share: string;
  onChange: (weight: number) => void;
  /** The field's `weightKey`: while it holds text that is no weight, the routing store knows and nothing is saved. */
  problemKey: string;
}

/**
 * One target's weight for the `weighted` strategy: a whole number from 0 to 1000. What the user
 * types stays in the field; only a valid number reaches the draft, anything else is said in words.
 */
export function RoutingWeight({ weight, name, share, onChange, problemKey }: RoutingWeightProps) {
  const [text, setText] = useState(String(weight));
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const setWeightProblem = useRoutingStore((state) => state.setWeightProblem);
  // A field that goes (target removed or moved, Discard) takes its problem with it.
  useEffect(
    () => () => {
      setWeightProblem(problemKey, false);
    },
    [problemKey, setWeightProblem],
  );
  // While valid, the field shows the draft's weight (a discarded edit shows the saved one again).
  const shown = problem === null ? String(weight) : text;
  return (
    <span className="routing-weight">
      <label htmlFor={inputId}>Weight</label>
      <input
        id={inputId}
        className="text-input routing-weight-input"
        data-testid="routing-weight"
        inputMode="numeric"
        aria-label={`Weight of ${name}`}
        aria-invalid={problem !== null}
        value={shown}
        onChange={(event) => {
          const value = event.target.value.trim();
          setText(event.target.value);
          if (!/^\d{1,4}$/.test(value) || Number(value) > 1000) {
            setProblem('A weight is a whole number from 0 to 1000.');
            setWeightProblem(problemKey, true);
            return;
          }
          setProblem(null);
          setWeightProblem(problemKey, false);
          onChange(Number(value));
        }}
      />
      <span className="routing-weight-share" data-testid="routing-weight-share">
        {problem ?? share}
      </span>
    </span>
  );
}
