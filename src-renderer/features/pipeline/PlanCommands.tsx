import { useId } from 'react';

export interface PlanCommandsProps {
  install: string;
  test: string;
  onChange: (update: { install?: string; test?: string }) => void;
}

/** The shell commands that install the project's dependencies and run its tests. */
export function PlanCommands({ install, test, onChange }: PlanCommandsProps) {
  const installId = useId();
  const testId = useId();
  return (
    <div className="plan-commands">
      <div className="field">
        <label className="field-label" htmlFor={installId}>
          Install command
        </label>
        <input
          id={installId}
          className="text-input plan-input-code"
          data-testid="plan-install"
          spellCheck={false}
          value={install}
          onChange={(event) => {
            onChange({ install: event.currentTarget.value });
          }}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor={testId}>
          Test command
        </label>
        <input
          id={testId}
          className="text-input plan-input-code"
          data-testid="plan-test"
          spellCheck={false}
          value={test}
          onChange={(event) => {
            onChange({ test: event.currentTarget.value });
          }}
        />
      </div>
    </div>
  );
}
