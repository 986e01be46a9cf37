import { useId } from 'react';
import { fileKinds, fileLanguages, type FileKind, type FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import type { DraftFile } from './planDraft.ts';

export interface PlanFileRowProps {
  file: DraftFile;
  index: number;
  problems: readonly string[];
  onChange: (update: Partial<Omit<DraftFile, 'key'>>) => void;
  onRename: (path: string) => void;
  onRemove: () => void;
}

/** One planned file as editable cells, with its problems in a row under it. */
export function PlanFileRow({ file, index, problems, onChange, onRename, onRemove }: PlanFileRowProps) {
  const problemsId = useId();
  const name = file.path.trim() === '' ? `file ${index + 1}` : file.path.trim();
  const invalid = problems.length > 0;
  return (
    <>
      <tr className={invalid ? 'plan-file plan-file-invalid' : 'plan-file'} data-testid="plan-file" data-path={file.path.trim()}>
        <td>
          <input
            className="text-input plan-input plan-input-path"
            data-testid="plan-file-path"
            aria-label={`Path of ${name}`}
            aria-invalid={invalid}
            aria-describedby={invalid ? problemsId : undefined}
            spellCheck={false}
            value={file.path}
            onChange={(event) => {
              onRename(event.currentTarget.value);
            }}
          />
        </td>
        <td>
          <div className="plan-cell-stack">
            <select
              className="select plan-select"
              data-testid="plan-file-kind"
              aria-label={`Kind of ${name}`}
              value={file.kind}
              onChange={(event) => {
                onChange({ kind: event.currentTarget.value as FileKind });
              }}
            >
              {fileKinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
            <select
              className="select plan-select"
              data-testid="plan-file-language"
              aria-label={`Language of ${name}`}
              value={file.language}
              onChange={(event) => {
                onChange({ language: event.currentTarget.value as FileLanguage });
              }}
            >
              {fileLanguages.map((language) => (
                <option key={language} value={language}>
                  {language}
                </option>
              ))}
            </select>
          </div>
        </td>
        <td>
          <textarea
            className="text-input text-area plan-input"
            data-testid="plan-file-purpose"
            aria-label={`Purpose of ${name}`}
            rows={2}
            value={file.purpose}
            onChange={(event) => {
              onChange({ purpose: event.currentTarget.value });
            }}
          />
        </td>
        <td>
          <textarea
            className="text-input text-area plan-input plan-input-code"
            data-testid="plan-file-depends"
            aria-label={`Files ${name} depends on, separated by commas`}
            rows={2}
            spellCheck={false}
            value={file.dependsOn}
            onChange={(event) => {
              onChange({ dependsOn: event.currentTarget.value });
            }}
          />
        </td>
        <td>
          <textarea
            className="text-input text-area plan-input plan-input-code"
            data-testid="plan-file-exports"
            aria-label={`What ${name} exports, one per line`}
            rows={Math.min(6, Math.max(2, file.exports.split('\n').length))}
            spellCheck={false}
            value={file.exports}
            onChange={(event) => {
              onChange({ exports: event.currentTarget.value });
            }}
          />
        </td>
        <td>
          <button type="button" className="button button-quiet button-quiet-danger plan-remove" data-testid="plan-file-remove" aria-label={`Remove ${name}`} title={`Remove ${name}`} onClick={onRemove}>
            <span aria-hidden="true">✕</span>
          </button>
        </td>
      </tr>
      {invalid ? (
        <tr className="plan-file-problems-row">
          <td colSpan={6}>
            <ul className="plan-file-problems" id={problemsId} data-testid="plan-file-problems">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
