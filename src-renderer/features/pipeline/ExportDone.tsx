import { useState } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { isBridge } from '../../api/getApi.ts';
import { callApi } from '../connection/callApi.ts';
import { formatSize } from './formatSize.ts';
import type { ExportResult } from './pipelineStore.ts';

/**
 * What an export wrote, and the way to it: "Open folder" in the desktop app (the system's file
 * manager; a zip is shown selected in its folder). A browser cannot open a folder on the core's
 * machine, so there the path comes with a Copy button to paste into a file manager or terminal.
 */
export function ExportDone({ result, zip }: { result: ExportResult; zip: boolean }) {
  const desktop = !isBridge();
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const [openError, setOpenError] = useState<ErrorPayload | null>(null);
  const [canOpen, setCanOpen] = useState(desktop);

  const open = async () => {
    setOpenError(null);
    const answer = await callApi((api) => api.pipeline.openExportFolder({ path: result.path }));
    if (!answer.ok) setOpenError(answer.error);
    else if (!answer.value.available) setCanOpen(false);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(result.path);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <div className="export-result" role="status" data-testid="export-result">
      <p className="export-result-title">Exported.</p>
      <dl className="export-result-list">
        <dt>Written to</dt>
        <dd className="export-result-path">
          <code data-testid="export-result-path">{result.path}</code>
          {canOpen ? (
            <button type="button" className="button" data-testid="export-open" onClick={() => void open()}>
              {zip ? 'Show in folder' : 'Open folder'}
            </button>
          ) : (
            <button type="button" className="button" data-testid="export-copy" onClick={() => void copy()}>
              Copy path
            </button>
          )}
          {copied === 'copied' ? (
            <span className="muted" role="status" data-testid="export-copied">
              Copied.
            </span>
          ) : null}
          {copied === 'failed' ? <span className="muted">This browser did not allow copying: select the path and copy it.</span> : null}
        </dd>
        <dt>Files</dt>
        <dd data-testid="export-result-files">{result.files}</dd>
        <dt>Size</dt>
        <dd data-testid="export-result-bytes">{formatSize(result.bytes)}</dd>
        {result.commit === undefined ? null : (
          <>
            <dt>Commit</dt>
            <dd>
              <code data-testid="export-result-commit">{result.commit}</code>
            </dd>
          </>
        )}
        {result.leftoverBackup === undefined ? null : (
          <>
            <dt>Old copy left at</dt>
            <dd>
              <code>{result.leftoverBackup}</code>
            </dd>
          </>
        )}
      </dl>
      {canOpen ? null : <p className="muted export-result-note">This page runs in a browser, which cannot open folders on the app's machine: copy the path into your file manager or terminal.</p>}
      {openError === null ? null : (
        <p className="form-error" role="alert" data-testid="export-open-error">
          {openError.message}
        </p>
      )}
    </div>
  );
}
