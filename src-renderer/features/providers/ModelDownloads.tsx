import { FormError } from '../../ui/FormError.tsx';
import { formatMib } from './formatBytes.ts';
import { useModelsStore, type DownloadProgress } from './modelsStore.ts';

/** One row per download seen in this window: a progress bar while running, then how it ended. */
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
  const dismiss = useModelsStore((state) => state.dismiss);
  const { totalBytes, downloadedBytes, state } = download;
  const percent = totalBytes !== null && totalBytes > 0 ? Math.min(100, Math.floor((downloadedBytes / totalBytes) * 100)) : null;
  const amount = totalBytes === null ? `${formatMib(downloadedBytes)} done` : `${formatMib(downloadedBytes)} of ${formatMib(totalBytes)}`;

  return (
    <li className={`download download-${state}`} data-testid="download-progress" data-state={state} data-download-id={download.downloadId}>
      <div className="download-head">
        <code className="download-uri">{download.uri}</code>
        {state === 'running' ? (
          <button
            type="button"
            className="button"
            data-testid="download-cancel"
            onClick={() => void cancel(download.downloadId)}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button button-quiet"
            aria-label={`Dismiss ${download.uri}`}
            onClick={() => {
              dismiss(download.downloadId);
            }}
          >
            Dismiss
          </button>
        )}
      </div>
      {state === 'running' ? (
        <>
          <progress className="download-bar" max={100} value={percent ?? undefined} aria-label={`Downloading ${download.uri}`} />
          <span className="download-amount" role="status">
            {percent === null ? amount : `${percent}% · ${amount}`}
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
      return `Done: ${formatMib(download.downloadedBytes)} downloaded. The model is listed above.`;
    case 'failed':
      return `Failed: ${download.message ?? 'the download stopped'}.`.replace(/\.\.$/, '.');
    case 'cancelled':
      return 'Cancelled; the partial file was deleted.';
    case 'paused':
      return `Paused at ${formatMib(download.downloadedBytes)}; resume to fetch the rest.`;
    case 'running':
      return '';
  }
}
