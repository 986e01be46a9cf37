import { useId, useState, type KeyboardEvent } from 'react';
import type { InterviewState } from '../../../../src-shared/interview/interviewTypes.ts';
import { GenerateButton } from './GenerateButton.tsx';
import { SpecCheckSummary } from './SpecCheckSummary.tsx';
import { SpecFileActions } from './SpecFileActions.tsx';
import { SpecForm } from './SpecForm.tsx';
import { SpecJsonEditor } from './SpecJsonEditor.tsx';

type Tab = 'form' | 'json';
const tabs: readonly { id: Tab; label: string }[] = [
  { id: 'form', label: 'Form' },
  { id: 'json', label: 'JSON' },
];

/**
 * The spec as it grows: a form and the JSON, both editable (both stay mounted so switching tabs
 * keeps unsaved edits), what it still lacks, import/export and Generate.
 */
export function SpecPanel({ interview }: { interview: InterviewState }) {
  const [tab, setTab] = useState<Tab>('form');
  const baseId = useId();
  const tabId = (id: Tab) => `${baseId}-tab-${id}`;
  const panelId = (id: Tab) => `${baseId}-panel-${id}`;

  const moveWithArrows = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    const next: Tab = tab === 'form' ? 'json' : 'form';
    setTab(next);
    document.getElementById(tabId(next))?.focus();
  };

  return (
    <aside className="spec-panel" aria-label="Service spec" data-testid="spec-panel">
      <div className="spec-panel-heading">
        <h3 className="panel-title">Service spec</h3>
        <div className="spec-tabs" role="tablist" aria-label="Spec views" onKeyDown={moveWithArrows}>
          {tabs.map((entry) => (
            <button
              key={entry.id}
              id={tabId(entry.id)}
              type="button"
              role="tab"
              className="spec-tab"
              data-testid={`spec-tab-${entry.id}`}
              aria-selected={tab === entry.id}
              aria-controls={panelId(entry.id)}
              tabIndex={tab === entry.id ? 0 : -1}
              onClick={() => {
                setTab(entry.id);
              }}
            >
              {entry.label}
            </button>
          ))}
        </div>
      </div>
      <div id={panelId('form')} role="tabpanel" aria-labelledby={tabId('form')} hidden={tab !== 'form'}>
        <SpecForm spec={interview.spec} />
      </div>
      <div id={panelId('json')} role="tabpanel" aria-labelledby={tabId('json')} hidden={tab !== 'json'}>
        <SpecJsonEditor spec={interview.spec} />
      </div>
      <SpecCheckSummary check={interview.check} />
      <SpecFileActions />
      <GenerateButton ready={interview.check.valid} />
    </aside>
  );
}
