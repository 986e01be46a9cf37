import { describeTransfer } from '../../../src-shared/domain/describeTransfer.ts';
import { FormError } from '../../ui/FormError.tsx';
import { formatMib } from './formatBytes.ts';
import { useModelsStore, type DownloadProgress } from './modelsStore.ts';

/**
 * One row per download: running (bar, MiB, speed, time left; Pause, Cancel), paused, also from
 * an earlier run (Resume, Cancel), and how it ended. Cancel deletes the partial file; Pause
 * keeps it, and Resume fetches only the rest.
 */
export function ModelDownloads() {
  const downloads = useModelsStore((state) => state.downloads);
  const cancelError = useModelsStore((state) => state.cancelError);
  if (downloads.length === 0) return null;
  return (
    <div className="downloads" aria-label="Downloads">
      <ul className="download-list">
        {downloads.map((download) => (
          <DownloadRow key={download.downloadId} download={download} />
        ))}
      </ul>
      <FormError message={cancelError} />
    </div>
  );
}

function DownloadRow({ download }: { download: DownloadProgress }) {
  const cancel = useModelsStore((state) => state.cancel);
  const pause = useModelsStore((state) => state.pause);
  const resume = useModelsStore((state) => state.resume);
  const dismiss = useModelsStore((state) => state.dismiss);
  const { totalBytes, downloadedBytes, state } = download;
  const percent = totalBytes !== null && totalBytes > 0 ? Math.min(100, Math.floor((downloadedBytes / totalBytes) * 100)) : null;
  const amount = totalBytes === null ? `${formatMib(downloadedBytes)} done` : `${formatMib(downloadedBytes)} of ${formatMib(totalBytes)}`;
  const rate = describeTransfer(download.bytesPerSecond, download.secondsLeft);
  const canResume = state === 'paused' || (state === 'failed' && download.resumable === true);
  const name = download.fileName ?? download.uri;

  return (
    <li className={`download download-${state}`} data-testid="download-progress" data-state={state} data-download-id={download.downloadId}>
      <div className="download-head">
        <code className="download-uri" title={download.uri}>
          {download.uri}
        </code>
        {state === 'running' ? (
          <button type="button" className="button" data-testid="download-pause" onClick={() => void pause(download.downloadId)}>
            Pause
          </button>
        ) : null}
        {canResume ? (
          <button type="button" className="button" data-testid="download-resume" onClick={() => void resume(download.downloadId)}>
            Resume
          </button>
        ) : null}
        {state === 'running' || canResume ? (
          <button type="button" className="button button-quiet" data-testid="download-cancel" aria-label={`Cancel ${name} and delete its partial file`} onClick={() => void cancel(download.downloadId)}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button-quiet" aria-label={`Dismiss ${download.uri}`} onClick={() => dismiss(download.downloadId)}>
            Dismiss
          </button>
        )}
      </div>
      {state === 'running' || state === 'paused' ? (
        <>
          <progress className="download-bar" max={100} value={percent ?? undefined} aria-label={`Downloading ${name}`} />
          <span className="download-amount" role="status">
            {state === 'paused' ? `Paused at ${amount}. Resume fetches only the rest; Cancel deletes the partial file.` : [percent === null ? amount : `${percent}% · ${amount}`, rate].filter((part) => part !== '').join(' · ')}
          </span>
        </>
      ) : (
        <p className="download-result" role="status">
          {finalMessage(download)}
        </p>
      )}
    </li>
  );
}

function finalMessage(download: DownloadProgress): string {
  switch (download.state) {
    case 'done':
      return `Done: ${formatMib(download.downloadedBytes)} downloaded and checked. The model is listed above.`;
    case 'failed':
      return `Failed: ${download.message ?? 'the download stopped'}.${download.resumable ? ' The partial file is kept: Resume fetches the rest.' : ''}`.replace(/\.\.(\s|$)/, '.$1');
    case 'cancelled':
      return 'Cancelled; the partial file was deleted.';
    case 'paused':
    case 'running':
      return '';
  }
}
