import { InterviewView } from '../features/interview/InterviewView.tsx';
import { useNavigationStore } from '../features/navigation/navigationStore.ts';
import { ProjectsView } from '../features/projects/ProjectsView.tsx';
import { ProvidersView } from '../features/providers/ProvidersView.tsx';
import { SettingsView } from '../features/settings/SettingsView.tsx';
import { UsageView } from '../features/usage/UsageView.tsx';

/** The view chosen in the navigation; inside Projects, the open project's page. */
export function CurrentView() {
  const view = useNavigationStore((state) => state.view);
  const projectId = useNavigationStore((state) => state.projectId);
  switch (view) {
    case 'projects':
      return projectId === null ? <ProjectsView /> : <InterviewView projectId={projectId} />;
    case 'providers':
      return <ProvidersView />;
    case 'usage':
      return <UsageView />;
    case 'settings':
      return <SettingsView />;
  }
}
