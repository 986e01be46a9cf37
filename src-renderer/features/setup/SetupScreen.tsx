import { useEffect } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { describeHardware } from './describeHardware.ts';
import { SetupChoices } from './SetupChoices.tsx';
import { useSetupStore } from './setupStore.ts';
import './setup.css';

/**
 * The first-run screen: what this computer has, the ways to reach a model (a server found on
 * this computer, a GGUF file, a download, a cloud provider), then the test answer from the
 * chosen model and the way on to Projects. "Skip for now" leaves without choosing.
 */
export function SetupScreen() {
  const detection = useSetupStore((state) => state.detection);
  const detecting = useSetupStore((state) => state.detecting);
  const applying = useSetupStore((state) => state.applying);
  const result = useSetupStore((state) => state.result);
  const error = useSetupStore((state) => state.error);
  const detect = useSetupStore((state) => state.detect);
  const skip = useSetupStore((state) => state.skip);
  const finish = useSetupStore((state) => state.finish);
  const chooseAgain = useSetupStore((state) => state.chooseAgain);
  useEffect(() => {
    if (useSetupStore.getState().detection === null) void detect();
  }, [detect]);

  return (
    <div className="view setup" data-testid="setup-screen">
      <ViewHeader title="Set up a model">Service Creator needs a language model to interview you and write code. Pick one; you can change it later in Providers.</ViewHeader>
      <p className="muted setup-hardware" data-testid="setup-hardware">
        {detection ? describeHardware(detection.hardware, detection.hardwareProblem) : 'Looking at this computer…'}
      </p>
      {applying ? (
        <p role="status" data-testid="setup-applying">
          Setting up {applying.kind === 'local-model' ? applying.modelId : applying.model} and asking it for a test answer…
        </p>
      ) : result ? (
        <section className="panel" aria-labelledby="setup-result-heading" data-testid="setup-result">
          <h3 className="panel-title" id="setup-result-heading">
            {result.test.ok ? 'Ready' : 'Set up, but the test did not pass'}
          </h3>
          <p>
            {result.model} on {result.providerId} now answers every task first.
          </p>
          {result.test.ok ? (
            <p data-testid="setup-test-answer">
              Test answer (in {result.test.ms < 1000 ? `${result.test.ms} ms` : `${(result.test.ms / 1000).toFixed(1)} s`}): “{result.test.text}”
            </p>
          ) : (
            <p className="form-error" role="alert" data-testid="setup-test-failed">
              {result.test.message}
            </p>
          )}
          <div className="inline-row setup-footer">
            <button type="button" className="button button-primary" data-testid="setup-continue" onClick={finish}>
              Continue to Projects
            </button>
            {result.test.ok ? null : (
              <button type="button" className="button" onClick={chooseAgain}>
                Choose again
              </button>
            )}
          </div>
        </section>
      ) : (
        <>
          {detecting && detection === null ? (
            <p role="status" data-testid="setup-detecting">
              Looking for model servers on this computer (Ollama, LM Studio, llama.cpp server, vLLM)…
            </p>
          ) : (
            <SetupChoices />
          )}
          <FormError message={error} />
          <div className="inline-row setup-footer">
            <button type="button" className="button" data-testid="setup-detect-again" disabled={detecting} onClick={() => void detect()}>
              Look again
            </button>
            <button type="button" className="button button-quiet" data-testid="setup-skip" onClick={() => void skip()}>
              Skip for now
            </button>
          </div>
        </>
      )}
    </div>
  );
}
