import { FormError } from '../../ui/FormError.tsx';
import { formatBytes } from '../providers/formatBytes.ts';
import { useRecommendedDownloadStore } from './recommendedDownloadStore.ts';

/** The catalogue's model for this computer, with its size and fit, downloaded and used in one step. */
export function RecommendedDownload() {
  const entry = useRecommendedDownloadStore((state) => state.entry);
  const loading = useRecommendedDownloadStore((state) => state.loading);
  const progress = useRecommendedDownloadStore((state) => state.progress);
  const error = useRecommendedDownloadStore((state) => state.error);
  const loadRecommended = useRecommendedDownloadStore((state) => state.loadRecommended);
  const downloadAndUse = useRecommendedDownloadStore((state) => state.downloadAndUse);
  return (
    <div className="setup-option" data-testid="setup-download">
      {entry === null ? (
        <div className="inline-row">
          <span>Download a model chosen for this computer.</span>
          <button type="button" className="button" disabled={loading} data-testid="setup-show-recommended" onClick={() => void loadRecommended()}>
            {loading ? 'Reading the catalogue…' : 'Show the recommended model'}
          </button>
        </div>
      ) : (
        <>
          <div>
            <strong data-testid="setup-recommended-name">
              {entry.model.name} {entry.file.quantization}
            </strong>{' '}
            ({formatBytes(entry.file.sizeBytes)}, {entry.fit.label}): {entry.why}
          </div>
          {progress ? (
            <progress max={progress.totalBytes ?? undefined} value={progress.downloadedBytes} aria-label="Download progress">
              {formatBytes(progress.downloadedBytes)}
            </progress>
          ) : (
            <button type="button" className="button" data-testid="setup-download-recommended" onClick={() => void downloadAndUse()}>
              Download and use ({formatBytes(entry.file.sizeBytes)} from Hugging Face)
            </button>
          )}
        </>
      )}
      <FormError message={error} />
    </div>
  );
}
