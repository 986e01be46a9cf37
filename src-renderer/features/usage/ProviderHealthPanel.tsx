import { useEffect } from 'react';
import { breakerWords, durationWords, failureWords, noHealthYet, type TargetHealth, type WindowHealth } from '../../../src-shared/domain/providerHealth.ts';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useReloadOnEvent } from '../connection/useReloadOnEvent.ts';
import { useHealthStore } from './healthStore.ts';
import { showHiddenMarks } from '../../../src-shared/showHiddenMarks.ts';

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function WindowCell({ window }: { window: WindowHealth | undefined }) {
  if (!window || window.calls === 0) return <td className="health-window muted">No calls</td>;
  return (
    <td className="health-window" data-testid={`health-${window.window}`}>
      <span className={window.errors > 0 ? 'health-failures health-failures-some' : 'health-failures'}>{sentence(failureWords(window))}</span>
      <span className="health-latency">
        {window.p50Ms === null ? 'No answer yet' : `Typically ${durationWords(window.p50Ms)}; 1 in 20 slower than ${durationWords(window.p95Ms)}`}
      </span>
      {window.skippedWhilePaused > 0 ? (
        <span className="health-paused">
          {window.skippedWhilePaused} {window.skippedWhilePaused === 1 ? 'call' : 'calls'} not sent to it while it was paused
        </span>
      ) : null}
    </td>
  );
}

function HealthRow({ target }: { target: TargetHealth }) {
  return (
    <tr data-testid="health-row" data-breaker={target.breaker}>
      <th scope="row" className="health-target">
        {target.label} / <code>{showHiddenMarks(target.model)}</code>
      </th>
      <td>
        <span className={`breaker breaker-${target.breaker}`} data-testid="health-breaker">
          {breakerWords[target.breaker]}
        </span>
      </td>
      <WindowCell window={target.windows.find((window) => window.window === 'hour')} />
      <WindowCell window={target.windows.find((window) => window.window === 'day')} />
    </tr>
  );
}

/**
 * Provider health: for each provider and model called in the last day, whether it is working
 * now (its breaker, in words), and over the last hour and day how many calls failed and how long
 * answers took (typical = median; "1 in 20 slower than" = 95th percentile).
 */
export function ProviderHealthPanel() {
  const health = useHealthStore((state) => state.health);
  const status = useHealthStore((state) => state.status);
  const loadError = useHealthStore((state) => state.loadError);

  // A breaker opened or closed, a provider changed (here or by the CLI): its state follows (calls made follow with the dashboard).
  useReloadOnEvent('providers.changed', () => void useHealthStore.getState().load(), 2000);
  useEffect(() => {
    void useHealthStore.getState().load();
  }, []);

  if (loadError !== null && status === 'failed') {
    return (
      <div className="notice notice-error" role="alert" data-testid="health-load-error">
        <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load provider health.' : loadError.message}</span>
        <button type="button" className="button" onClick={() => void useHealthStore.getState().load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!health) return null;
  return (
    <section className="panel health-panel" aria-labelledby="health-heading" data-testid="provider-health">
      <h3 className="panel-title" id="health-heading">
        Provider health
      </h3>
      {health.targets.length === 0 ? (
        // Said as the CLI says it: a panel that vanished left no word of where health would show.
        <p className="muted" data-testid="health-empty">
          {noHealthYet}
        </p>
      ) : (
        <HealthTable targets={health.targets} />
      )}
    </section>
  );
}

function HealthTable({ targets }: { targets: readonly TargetHealth[] }) {
  return (
    <>
      <p className="muted">Whether each model is answering now, and over the last hour and day how many calls failed and how long answers took.</p>
      <div className="table-scroll">
        <table className="data-table health-table">
          <thead>
            <tr>
              <th scope="col">Provider / model</th>
              <th scope="col">Now</th>
              <th scope="col">Last hour</th>
              <th scope="col">Last day</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((target) => (
              <HealthRow key={`${target.providerId}/${target.model}`} target={target} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
