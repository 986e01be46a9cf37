import { lazy, Suspense, useId, useState } from 'react';
import type { RunFileView, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { useElementWidth } from '../../ui/useElementWidth.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { ProblemLines } from './ProblemLines.tsx';
import { useFileVersions } from './useFileVersions.ts';
import { versionLabel } from './versionLabel.ts';

// CodeMirror is loaded when the first file is opened, not with the app.
const CodeView = lazy(() => import('./CodeView.tsx').then((module) => ({ default: module.CodeView })));
const DiffView = lazy(() => import('./DiffView.tsx').then((module) => ({ default: module.DiffView })));

type Mode = 'code' | 'diff';

/** Below this width two diff columns would cut most lines: the diff is one column. */
const minSplitWidth = 720;

/**
 * A written file: any of its versions (first draft, formatting, fixes) read-only with its
 * problems, or what changed between two of them.
 */
export function FileViewer({ run, file }: { run: RunView; file: RunFileView }) {
  const state = useFileVersions(run.id, file.path, `${file.status}:${file.attempts}:${run.phase}`);
  const [mode, setMode] = useState<Mode>('code');
  // The version shown is in the address (1-based there, as the picker shows it).
  const routeVersion = useNavigationStore((state) => state.version);
  const selectVersion = useNavigationStore((state) => state.selectVersion);
  const shown = routeVersion === null ? null : routeVersion - 1;
  const setShown = (index: number) => {
    selectVersion(index + 1);
  };
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [chosenLayout, setLayout] = useState<'split' | 'unified'>('split');
  const ids = useId();
  const [section, width] = useElementWidth<HTMLElement>();
  const narrow = width !== null && width < minSplitWidth;
  const layout = narrow ? 'unified' : chosenLayout;

  if (state.status === 'loading') {
    return (
      <p className="muted" role="status">
        Loading {file.path}…
      </p>
    );
  }
  if (state.status === 'failed') {
    return (
      <p className="form-error" role="alert" data-testid="file-viewer-error">
        {state.error.message}
      </p>
    );
  }
  const { versions } = state;
  if (versions.length === 0) {
    return (
      <p className="muted" data-testid="file-viewer-empty">
        {file.path} has no content yet{file.error ? `: ${file.error}` : '.'}
      </p>
    );
  }
  const last = versions.length - 1;
  const clamp = (index: number | null, fallback: number) => (index === null || index > last ? fallback : index);
  const shownIndex = clamp(shown, last);
  const fromIndex = clamp(from, 0);
  const toIndex = clamp(to, last);
  const version = versions[shownIndex];
  const before = versions[fromIndex];
  const after = versions[toIndex];
  const label = (index: number) => `${file.path}, version ${index + 1}`;

  return (
    <section ref={section} className="file-viewer" data-testid="file-viewer" data-path={file.path} data-versions={versions.length} aria-labelledby={`${ids}-title`}>
      <div className="file-viewer-heading">
        <h4 className="run-section-title" id={`${ids}-title`}>
          <code>{file.path}</code>
        </h4>
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" className="segmented-button" data-testid="file-viewer-code" aria-pressed={mode === 'code'} onClick={() => setMode('code')}>
            Code
          </button>
          <button
            type="button"
            className="segmented-button"
            data-testid="file-viewer-diff"
            aria-pressed={mode === 'diff'}
            disabled={versions.length < 2}
            title={versions.length < 2 ? 'Only one version: nothing to compare' : undefined}
            onClick={() => setMode('diff')}
          >
            Compare versions
          </button>
        </div>
      </div>
      {mode === 'code' || versions.length < 2 ? (
        <>
          <div className="file-viewer-pickers">
            <label className="field-label" htmlFor={`${ids}-version`}>
              Version
            </label>
            <select id={`${ids}-version`} className="select" data-testid="file-viewer-version" value={shownIndex} onChange={(event) => setShown(Number(event.currentTarget.value))}>
              {versions.map((entry, index) => (
                <option key={entry.id} value={index}>
                  {versionLabel(entry, index)}
                  {index === last ? ' – latest' : ''}
                </option>
              ))}
            </select>
            {version?.model ? <span className="muted">by {version.model}</span> : null}
          </div>
          {version && version.problems.length > 0 ? <ProblemLines problems={version.problems} /> : null}
          <Suspense fallback={<p className="muted">Loading the viewer…</p>}>
            <CodeView content={version?.content ?? ''} language={file.language} label={label(shownIndex)} />
          </Suspense>
        </>
      ) : (
        <>
          <div className="file-viewer-pickers">
            <label className="field-label" htmlFor={`${ids}-from`}>
              From
            </label>
            <select id={`${ids}-from`} className="select" data-testid="file-viewer-from" value={fromIndex} onChange={(event) => setFrom(Number(event.currentTarget.value))}>
              {versions.map((entry, index) => (
                <option key={entry.id} value={index}>
                  {versionLabel(entry, index)}
                </option>
              ))}
            </select>
            <label className="field-label" htmlFor={`${ids}-to`}>
              To
            </label>
            <select id={`${ids}-to`} className="select" data-testid="file-viewer-to" value={toIndex} onChange={(event) => setTo(Number(event.currentTarget.value))}>
              {versions.map((entry, index) => (
                <option key={entry.id} value={index}>
                  {versionLabel(entry, index)}
                </option>
              ))}
            </select>
            <label className="checkbox-field">
              <input
                type="checkbox"
                data-testid="file-viewer-unified"
                checked={layout === 'unified'}
                disabled={narrow}
                title={narrow ? 'Two columns need a wider window' : undefined}
                onChange={(event) => setLayout(event.currentTarget.checked ? 'unified' : 'split')}
              />
              <span>{narrow ? 'One column (the window is too narrow for two)' : 'One column'}</span>
            </label>
          </div>
          {before && before.problems.length > 0 ? <ProblemLines problems={before.problems} title={`Problems of version ${fromIndex + 1}`} /> : null}
          <Suspense fallback={<p className="muted">Loading the viewer…</p>}>
            <DiffView
              before={{ content: before?.content ?? '', label: label(fromIndex) }}
              after={{ content: after?.content ?? '', label: label(toIndex) }}
              language={file.language}
              layout={layout}
            />
          </Suspense>
        </>
      )}
    </section>
  );
}
