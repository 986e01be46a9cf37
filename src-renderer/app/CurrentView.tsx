import { lazy, Suspense } from 'react';
import { useNavigationStore } from '../features/navigation/navigationStore.ts';
import { ProjectsView } from '../features/projects/ProjectsView.tsx';
import { ViewLoading } from './ViewLoading.tsx';

// Projects is the first view and its styles are shared by the project pages, so it stays in the
// main bundle; every other view (and its libraries) is a chunk fetched when first shown.
const InterviewView = lazy(() => import('../features/interview/InterviewView.tsx').then((module) => ({ default: module.InterviewView })));
const PipelineView = lazy(() => import('../features/pipeline/PipelineView.tsx').then((module) => ({ default: module.PipelineView })));
const ProvidersView = lazy(() => import('../features/providers/ProvidersView.tsx').then((module) => ({ default: module.ProvidersView })));
const SettingsView = lazy(() => import('../features/settings/SettingsView.tsx').then((module) => ({ default: module.SettingsView })));
const UsageView = lazy(() => import('../features/usage/UsageView.tsx').then((module) => ({ default: module.UsageView })));

/** The view chosen in the navigation; inside Projects, the open project's page (interview or generation runs). */
export function CurrentView() {
  return (
    <Suspense fallback={<ViewLoading />}>
      <ChosenView />
    </Suspense>
  );
}

function ChosenView() {
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
