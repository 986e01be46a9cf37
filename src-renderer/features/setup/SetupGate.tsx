import { useEffect, type ReactNode } from 'react';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { SetupScreen } from './SetupScreen.tsx';
import { useSetupStore } from './setupStore.ts';

/**
 * Shows the first-run setup screen in place of the Projects list while the core says it is needed
 * (no target can answer the interview, and setup was not skipped); every other view, an open
 * project, and Projects after setup or a skip show as usual. If the status cannot be read, the app
 * goes on without the screen.
 */
export function SetupGate({ children }: { children: ReactNode }) {
  const statusState = useSetupStore((state) => state.statusState);
  const needed = useSetupStore((state) => state.status?.needed === true);
  const finished = useSetupStore((state) => state.finished);
  // A choice being applied or just applied stays on screen (with its test answer) until the user goes on.
  const inProgress = useSetupStore((state) => state.applying !== null || state.result !== null);
  const loadStatus = useSetupStore((state) => state.loadStatus);
  const onProjectList = useNavigationStore((state) => state.view === 'projects' && state.projectId === null);
  // Asked again on each return to the list: a provider added in Providers meanwhile may make it usable.
  useEffect(() => {
    if (onProjectList) void loadStatus();
  }, [onProjectList, loadStatus]);
  if (!onProjectList || finished || statusState === 'failed') return children;
  if (statusState === 'loading') {
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  }
  return needed || inProgress ? <SetupScreen /> : children;
}
