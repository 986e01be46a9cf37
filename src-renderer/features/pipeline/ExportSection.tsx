import { useRef, useState } from 'react';
import { ExportDialog } from './ExportDialog.tsx';

/** A finished run's way out: Export opens the dialog; focus comes back here when it closes. */
export function ExportSection() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <div className="run-export">
      <button ref={button} type="button" className="button button-primary" data-testid="run-export" onClick={() => setOpen(true)}>
        Export…
      </button>
      <span className="muted">Write the project, with its provenance, to a folder or a zip file.</span>
      {open ? (
        <ExportDialog
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
