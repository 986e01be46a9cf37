import { InterviewView } from '../features/interview/InterviewView.tsx';
import { useNavigationStore } from '../features/navigation/navigationStore.ts';
import { PipelineView } from '../features/pipeline/PipelineView.tsx';
import { ProjectsView } from '../features/projects/ProjectsView.tsx';
import { ProvidersView } from '../features/providers/ProvidersView.tsx';
import { SettingsView } from '../features/settings/SettingsView.tsx';
import { UsageView } from '../features/usage/UsageView.tsx';

/** The view chosen in the navigation; inside Projects, the open project's page (interview or generation runs). */
export function CurrentView() {
  const view = useNavigationStore((state) => state.view);
  const projectId = useNavigationStore((state) => state.projectId);
  const projectPage = useNavigationStore((state) => state.projectPage);
  switch (view) {
    case 'projects':
      if (projectId === null) return <ProjectsView />;
      return projectPage === 'pipeline' ? <PipelineView projectId={projectId} /> : <InterviewView projectId={projectId} />;
    case 'providers':
      return <ProvidersView />;
    case 'usage':
      return <UsageView />;
    case 'settings':
      return <SettingsView />;
  }
}
