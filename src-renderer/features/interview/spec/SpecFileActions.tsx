import { useRef, useState, type ChangeEvent } from 'react';
import { errorText } from '../../../ui/errorText.ts';
import { useInterviewStore } from '../interviewStore.ts';
import { downloadText } from './downloadText.ts';

type Note = { kind: 'ok' | 'error'; text: string } | null;

/** Import a spec file (older versions are upgraded by the core) and export the draft as one. */
export function SpecFileActions() {
  const importSpec = useInterviewStore((state) => state.importSpec);
  const exportSpec = useInterviewStore((state) => state.exportSpec);
  const fileInput = useRef<HTMLInputElement>(null);
  const [note, setNote] = useState<Note>(null);
  const [working, setWorking] = useState(false);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setWorking(true);
    setNote(null);
    try {
      const result = await importSpec(await file.text());
      if (!result.ok) setNote({ kind: 'error', text: result.error.message });
      else {
        const upgraded = result.value.migratedFrom === undefined ? '' : ` Upgraded from spec version ${result.value.migratedFrom}.`;
        const dropped = result.value.dropped.length === 0 ? '' : ` Not carried over (the interview asks again): ${result.value.dropped.join('; ')}.`;
        setNote({ kind: 'ok', text: `Imported ${file.name}.${upgraded}${dropped}` });
      }
    } catch (error) {
      setNote({ kind: 'error', text: `Could not read ${file.name}: ${errorText(error)}` });
    } finally {
      setWorking(false);
      // The same file can be picked again.
      input.value = '';
    }
  };

  const onExport = async () => {
    setWorking(true);
    setNote(null);
    const result = await exportSpec();
    setWorking(false);
    if (!result.ok) {
      setNote({ kind: 'error', text: result.error.message });
      return;
    }
    downloadText(result.value.fileName, result.value.json);
    setNote({ kind: 'ok', text: `Exported ${result.value.fileName}.` });
  };

  return (
    <div className="spec-files">
      <div className="spec-actions">
        <input
          ref={fileInput}
          className="visually-hidden"
          type="file"
          accept=".json,application/json"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="spec-import-input"
          onChange={(event) => void onFile(event)}
        />
        <button type="button" className="button" data-testid="spec-import" disabled={working} onClick={() => fileInput.current?.click()}>
          Import spec…
        </button>
        <button type="button" className="button" data-testid="spec-export" disabled={working} onClick={() => void onExport()}>
          Export spec
        </button>
      </div>
      {note === null ? null : (
        <p className={note.kind === 'error' ? 'form-error' : 'spec-file-note'} role={note.kind === 'error' ? 'alert' : 'status'} data-testid="spec-file-note">
          {note.text}
        </p>
      )}
    </div>
  );
}
