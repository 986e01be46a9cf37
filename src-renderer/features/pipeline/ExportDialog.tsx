import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { isBridge } from '../../api/getApi.ts';
import { callApi } from '../connection/callApi.ts';
import { ExportDone } from './ExportDone.tsx';
import { exportPathProblem, insideFolder, lastPart, withZipName } from './exportTarget.ts';
import { offersReplace } from './offersReplace.ts';
import { usePipelineStore, type ExportResult } from './pipelineStore.ts';

/**
 * Writes a finished run to a folder (or a zip file) with its provenance. The path starts as the
 * default folder (Documents/Service Creator/<project>, from the core, which knows its home) and
 * can be typed; the desktop app adds the system's folder picker ("Choose…", which picks where
 * the project's folder goes). A browser has no picker for the core's machine: the path field
 * is the way there. An empty or relative path gets a sentence before anything is sent.
 */
export function ExportDialog({ projectName, onClose }: { projectName: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const replaceBox = useRef<HTMLInputElement>(null);
  const exportRun = usePipelineStore((state) => state.exportRun);
  const [path, setPath] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  // Electron answers the picker; the bridge never offers it (the core would answer "unavailable").
  const [canPick, setCanPick] = useState(!isBridge());
  const pathInput = useRef<HTMLInputElement>(null);
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

  useEffect(() => {
    let current = true;
    void callApi((api) => api.pipeline.exportFolder({ projectName })).then((answer) => {
      // Only into an untouched field: what the user typed meanwhile stays.
      if (current && answer.ok) setPath((typed) => (typed === '' ? answer.value.path : typed));
    });
    return () => {
      current = false;
    };
  }, [projectName]);

  const pick = async () => {
    const answer = await callApi((api) => api.pipeline.pickExportFolder(path.trim() === '' ? {} : { defaultPath: path.trim() }));
    if (!answer.ok) return setError(answer.error);
    if (!answer.value.available) {
      setCanPick(false);
      pathInput.current?.focus();
      return;
    }
    if (answer.value.path === null) return; // cancelled
    const name = path.trim() === '' ? projectName : lastPart(path.trim());
    setPath(insideFolder(answer.value.path, zip ? `${name.replace(/\.zip$/i, '')}.zip` : name));
    setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setResult(null);
    const wrong = exportPathProblem(path, zip);
    setProblem(wrong);
    if (wrong !== null) {
      pathInput.current?.focus();
      return;
    }
    setWorking(true);
    const outcome = await exportRun({ outDir: path.trim(), zip, force, gitInit: zip ? false : gitInit });
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
      <form className="export-form" noValidate onSubmit={(event) => void submit(event)}>
        <h3 className="panel-title" id={`${ids}-title`}>
          Export the project
        </h3>
        <div className="field">
          <label className="field-label" htmlFor={`${ids}-path`}>
            {zip ? 'Zip file to write' : 'Folder to write the project to'}
          </label>
          <div className="export-path-row">
            <input
              ref={pathInput}
              id={`${ids}-path`}
              className="text-input"
              data-testid="export-path"
              spellCheck={false}
              autoComplete="off"
              placeholder={zip ? '/home/me/edge-firewall.zip' : '/home/me/projects/edge-firewall'}
              aria-describedby={`${ids}-path-hint${problem === null ? '' : ` ${ids}-path-problem`}`}
              aria-invalid={problem !== null}
              value={path}
              onChange={(event) => {
                setPath(event.currentTarget.value);
                setProblem(null);
              }}
            />
            {canPick ? (
              <button type="button" className="button" data-testid="export-pick" onClick={() => void pick()}>
                Choose…
              </button>
            ) : null}
          </div>
          <span className="field-hint" id={`${ids}-path-hint`}>
            {canPick
              ? 'A full path, or choose where the project folder goes. A new folder is created; its parent must exist (Documents/Service Creator is made when needed).'
              : 'A full path on the machine the app runs on (this page has no folder picker for it). A new folder is created; its parent must exist (Documents/Service Creator is made when needed).'}
          </span>
          {problem === null ? null : (
            <span className="field-error" id={`${ids}-path-problem`} role="alert" data-testid="export-path-problem">
              {problem}
            </span>
          )}
        </div>
        <fieldset className="export-options">
          <legend className="field-label">Options</legend>
          <label className="checkbox-field">
            <input
              type="checkbox"
              data-testid="export-zip"
              checked={zip}
              onChange={(event) => {
                const checked = event.currentTarget.checked;
                setZip(checked);
                // The zip is written exactly where the path says: the name gets ".zip" (and loses it again), as the CLI does.
                setPath((current) => withZipName(current, checked));
              }}
            />
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
        {result === null ? null : <ExportDone result={result} zip={zip} />}
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
