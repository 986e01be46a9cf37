import type { InterviewState } from '../../../../src-shared/interview/interviewTypes.ts';
import { TabList, useTabs } from '../../../ui/TabList.tsx';
import { GenerateButton } from './GenerateButton.tsx';
import { SpecCheckSummary } from './SpecCheckSummary.tsx';
import { SpecFileActions } from './SpecFileActions.tsx';
import { SpecForm } from './SpecForm.tsx';
import { SpecJsonEditor } from './SpecJsonEditor.tsx';

type Tab = 'form' | 'json';
const entries: readonly { id: Tab; label: string }[] = [
  { id: 'form', label: 'Form' },
  { id: 'json', label: 'JSON' },
];

/**
 * The spec as it grows: a form and the JSON, both editable (both stay mounted so switching tabs
 * keeps unsaved edits), what it still lacks, import/export and Generate.
 */
export function SpecPanel({ interview }: { interview: InterviewState }) {
  const tabs = useTabs<Tab>('form');
  const { tab, tabId, panelId } = tabs;

  return (
    <aside className="spec-panel" aria-label="Service spec" data-testid="spec-panel">
      <div className="spec-panel-heading">
        <h3 className="panel-title">Service spec</h3>
        <TabList tabs={tabs} entries={entries} label="Spec views" className="spec-tabs" tabClassName="spec-tab" testIdPrefix="spec-tab" />
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
