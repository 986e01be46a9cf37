import { useState } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { checkWholeNumber } from '../../ui/checkWholeNumber.ts';
import { FormError } from '../../ui/FormError.tsx';
import { WholeNumberField } from '../../ui/WholeNumberField.tsx';
import { defaultRounds, defaultTimeoutSeconds, roundBounds, timeoutBounds } from './testFieldBounds.ts';
import { useTestsStore } from './testsStore.ts';

type Action = 'tests' | 'repair';

/**
 * Run the tests (with a timeout), or Repair (run them, then ask for fixes of what fails, in up to
 * N rounds). Both wait for Docker to answer and for what runs now to end.
 */
export function TestActions() {
  const engineOk = useTestsStore((state) => state.engine?.ok === true);
  const testRunning = useTestsStore((state) => state.testRuns.some((testRun) => testRun.status === 'running'));
  const repairRunning = useTestsStore((state) => state.repairs.some((repair) => repair.status === 'running'));
  const runTests = useTestsStore((state) => state.runTests);
  const startRepair = useTestsStore((state) => state.startRepair);
  const [timeout, setTimeoutText] = useState(String(defaultTimeoutSeconds));
  const [rounds, setRounds] = useState(String(defaultRounds));
  const [working, setWorking] = useState<Action | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);

  const timeoutValue = checkWholeNumber(timeout, timeoutBounds);
  const roundsValue = checkWholeNumber(rounds, roundBounds);
  const blocked = !engineOk || testRunning || repairRunning || working !== null || !timeoutValue.ok;
  const why = !engineOk ? 'Docker is not answering' : testRunning || repairRunning ? 'Tests are running' : undefined;

  const act = async (action: Action) => {
    if (!timeoutValue.ok) return;
    setWorking(action);
    setError(null);
    const failure =
      action === 'tests'
        ? await runTests({ timeoutSeconds: timeoutValue.value })
        : roundsValue.ok
          ? await startRepair({ rounds: roundsValue.value, timeoutSeconds: timeoutValue.value })
          : null;
    setWorking(null);
    setError(failure);
  };

  return (
    <div className="tests-actions">
      <div className="tests-actions-row">
        <WholeNumberField label="Timeout (seconds)" value={timeout} onChange={setTimeoutText} bounds={timeoutBounds} testId="tests-timeout" className="tests-number-field" />
        <button type="button" className="button button-primary" data-testid="tests-run" disabled={blocked} title={why} onClick={() => void act('tests')}>
          {working === 'tests' ? 'Starting…' : 'Run tests'}
        </button>
      </div>
      <div className="tests-actions-row">
        <WholeNumberField label="Repair rounds" value={rounds} onChange={setRounds} bounds={roundBounds} testId="tests-rounds" className="tests-number-field" />
        <button
          type="button"
          className="button"
          data-testid="tests-repair"
          disabled={blocked || !roundsValue.ok}
          title={why}
          onClick={() => void act('repair')}
        >
          {working === 'repair' ? 'Starting…' : 'Repair'}
        </button>
      </div>
      <p className="field-hint tests-actions-hint">
        The project&apos;s own test command runs in a container without network. Repair runs the tests, asks the model to fix the files the failures point at, and runs them
        again, until they pass or a round makes no progress.
      </p>
      <FormError message={error?.message ?? null} />
    </div>
  );
}
