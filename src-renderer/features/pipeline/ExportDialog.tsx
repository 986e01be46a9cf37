import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { formatSize } from './formatSize.ts';
import { offersReplace } from './offersReplace.ts';
import { usePipelineStore, type ExportResult } from './pipelineStore.ts';

/**
 * Writes a finished run to a folder (or a zip file) with its provenance. The path is typed: a
 * browser has no folder picker for the core's machine (the desktop app can add one next to it).
 */
export function ExportDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const replaceBox = useRef<HTMLInputElement>(null);
  const exportRun = usePipelineStore((state) => state.exportRun);
  const [path, setPath] = useState('');
  const [zip, setZip] = useState(false);
  const [force, setForce] = useState(false);
  const [gitInit, setGitInit] = useState(false);
  const [working, setWorking] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const ids = useId();

  useEffect(() => {
    const element = dialog.current;
    // Removing the element on unmount ends the modal state; no close() here (it would fire onClose).
    if (element && !element.open) element.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setWorking(true);
    setError(null);
    setResult(null);
    const outcome = await exportRun({ outDir: path, zip, force, gitInit: zip ? false : gitInit });
    setWorking(false);
    if (outcome.ok) setResult(outcome.value);
    else {
      setError(outcome.error);
      if (offersReplace(outcome.error, force)) replaceBox.current?.focus();
    }
  };

  const canReplace = offersReplace(error, force);
  return (
    <dialog
      ref={dialog}
      className="export-dialog"
      data-testid="export-dialog"
      aria-labelledby={`${ids}-title`}
      onClose={onClose}
    >
      <form className="export-form" onSubmit={(event) => void submit(event)}>
        <h3 className="panel-title" id={`${ids}-title`}>
          Export the project
        </h3>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-path`}>
            {zip ? 'Zip file to write' : 'Folder to write the project to'}
          </label>
          <input
            id={`${ids}-path`}
            className="text-input"
            data-testid="export-path"
            spellCheck={false}
            autoComplete="off"
            required
            placeholder={zip ? '/home/me/edge-firewall.zip' : '/home/me/projects/edge-firewall'}
            aria-describedby={`${ids}-path-hint`}
            value={path}
            onChange={(event) => {
              setPath(event.currentTarget.value);
            }}
          />
          <span className="field-hint" id={`${ids}-path-hint`}>
            A full path on the machine the core runs on. A new folder is created; its parent must exist.
          </span>
        </div>
        <fieldset className="export-options">
          <legend className="field-label">Options</legend>
          <label className="checkbox-field">
            <input type="checkbox" data-testid="export-zip" checked={zip} onChange={(event) => setZip(event.currentTarget.checked)} />
            <span>Write a zip file instead of a folder</span>
          </label>
          <label className="checkbox-field">
            <input ref={replaceBox} type="checkbox" data-testid="export-force" checked={force} onChange={(event) => setForce(event.currentTarget.checked)} />
            <span>Replace what is there (the old {zip ? 'file' : 'folder'} is removed only once the new one is complete)</span>
          </label>
          <label className="checkbox-field">
            <input type="checkbox" data-testid="export-git" checked={gitInit && !zip} disabled={zip} onChange={(event) => setGitInit(event.currentTarget.checked)} />
            <span>Start a Git repository with one commit</span>
          </label>
        </fieldset>
        {error === null ? null : (
          <div className="form-error" role="alert" data-testid="export-error" data-code={error.code}>
            <p>{error.message}</p>
            {canReplace ? <p data-testid="export-replace-hint">Tick “Replace what is there” to write over it.</p> : null}
          </div>
        )}
        {result === null ? null : (
          <div className="export-result" role="status" data-testid="export-result">
            <p className="export-result-title">Exported.</p>
            <dl className="export-result-list">
              <dt>Written to</dt>
              <dd>
                <code data-testid="export-result-path">{result.path}</code>
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
          </div>
        )}
        <div className="export-buttons">
          <button type="submit" className="button button-primary" data-testid="export-submit" disabled={working}>
            {working ? 'Exporting…' : 'Export'}
          </button>
          <button type="button" className="button" data-testid="export-close" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </form>
    </dialog>
  );
}
