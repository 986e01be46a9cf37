import type { ReactNode } from 'react';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { TabList, useTabs } from '../../ui/TabList.tsx';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { StatusBadge } from '../pipeline/StatusBadge.tsx';
import { testRunBadge } from './testLabels.ts';
import { TestsSection } from './TestsSection.tsx';
import { useTestsStore } from './testsStore.ts';

type Tab = 'files' | 'tests';
const entries: readonly { id: Tab; label: string }[] = [
  { id: 'files', label: 'Files and checks' },
  { id: 'tests', label: 'Tests' },
];

/** The newest test run's outcome next to the Tests tab, so it shows from the Files tab too. */
function LatestTestBadge() {
  const latest = useTestsStore((state) => (state.runId === null ? undefined : state.testRuns[0]));
  if (latest === undefined) return null;
  const badge = testRunBadge(latest);
  return <StatusBadge status={badge.status} label={badge.label} testId="run-tab-tests-status" />;
}

/**
 * A run's files and cross-file checks and, once it is done, its tests in the sandbox as a second
 * tab. Both stay mounted (a test log keeps streaming while the files are read).
 */
export function RunTabs({ run, files }: { run: RunView; files: ReactNode }) {
  // The tab is part of the address (Back returns to the other tab; a reload keeps it).
  const routeTab = useNavigationStore((state) => state.runTab);
  const selectRunTab = useNavigationStore((state) => state.selectRunTab);
  const tabs = useTabs<Tab>('files', { tab: routeTab, select: selectRunTab });
  const { tab, tabId, panelId } = tabs;

  // Until the run is done there are only its files; the files panel keeps its place in the tree
  // either way, so the file viewer is not rebuilt when the run finishes.
  const done = run.status === 'done';
  return (
    <div className="run-tabs">
      {done ? (
        <TabList tabs={tabs} entries={entries} label="Run views" className="run-tab-list" tabClassName="run-tab" testIdPrefix="run-tab" after={(id) => (id === 'tests' ? <LatestTestBadge /> : null)} />
      ) : null}
      <div
        id={panelId('files')}
        className="run-tab-panel"
        role={done ? 'tabpanel' : undefined}
        aria-labelledby={done ? tabId('files') : undefined}
        hidden={done && tab !== 'files'}
      >
        {files}
      </div>
      {done ? (
        <div id={panelId('tests')} className="run-tab-panel" role="tabpanel" aria-labelledby={tabId('tests')} hidden={tab !== 'tests'}>
          <TestsSection run={run} />
        </div>
      ) : null}
    </div>
  );
}
