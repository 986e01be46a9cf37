import type { OllamaPullProgress } from '../../../src-shared/domain/ollama.ts';
import { formatMib } from './formatBytes.ts';
import { useOllamaStore } from './ollamaStore.ts';

/** One row per pull seen in this window: Ollama's step and a progress bar while running, then how it ended. */
export function OllamaPulls() {
  const pulls = useOllamaStore((state) => state.pulls);
  if (pulls.length === 0) return null;
  return (
    <ul className="download-list" aria-label="Ollama pulls">
      {pulls.map((pull) => (
        <PullRow key={pull.pullId} pull={pull} />
      ))}
    </ul>
  );
}

function PullRow({ pull }: { pull: OllamaPullProgress }) {
  const cancel = useOllamaStore((state) => state.cancel);
  const dismiss = useOllamaStore((state) => state.dismiss);
  const { totalBytes, completedBytes, state } = pull;
  const percent = totalBytes !== null && totalBytes > 0 ? Math.min(100, Math.floor((completedBytes / totalBytes) * 100)) : null;
  const amount = totalBytes === null ? pull.status : `${pull.status}: ${formatMib(completedBytes)} of ${formatMib(totalBytes)}`;

  return (
    <li className={`download download-${state}`} data-testid="ollama-pull-progress" data-state={state} data-pull-id={pull.pullId}>
      <div className="download-head">
        <code className="download-uri">{pull.name}</code>
        {state === 'running' ? (
          <button type="button" className="button" data-testid="ollama-pull-cancel" onClick={() => void cancel(pull.pullId)}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button-quiet" aria-label={`Dismiss ${pull.name}`} onClick={() => dismiss(pull.pullId)}>
            Dismiss
          </button>
        )}
      </div>
      {state === 'running' ? (
        <>
          <progress className="download-bar" max={100} value={percent ?? undefined} aria-label={`Pulling ${pull.name}`} />
          <span className="download-amount" role="status" data-testid="ollama-pull-amount">
            {percent === null ? amount : `${percent}% · ${amount}`}
          </span>
        </>
      ) : (
        <p className="download-result" role="status">
          {finalMessage(pull)}
        </p>
      )}
    </li>
  );
}

function finalMessage(pull: OllamaPullProgress): string {
  switch (pull.state) {
    case 'done':
      return `Done: ${pull.name} is in Ollama and listed above.`;
    case 'failed':
      return `Failed: ${pull.message ?? 'the pull stopped'}`;
    case 'cancelled':
      return `Cancelled after ${formatMib(pull.completedBytes)}; pull it again to resume where Ollama left off.`;
    case 'running':
      return '';
  }
}
