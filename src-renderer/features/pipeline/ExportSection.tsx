import { useRef, useState } from 'react';
import { useProjectsStore } from '../projects/projectsStore.ts';
import { ExportDialog } from './ExportDialog.tsx';
import { usePipelineStore } from './pipelineStore.ts';

/** A finished run's way out: Export opens the dialog; focus comes back here when it closes. */
export function ExportSection() {
  const projectId = usePipelineStore((state) => state.projectId);
  // The default folder is named after the project.
  const projectName = useProjectsStore((state) => state.projects.find((project) => project.id === projectId)?.name) ?? 'Service';
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
          projectName={projectName}
          onClose={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      ) : null}
    </div>
  );
}
