import { useNavigationStore } from '../features/navigation/navigationStore.ts';
import { ProjectsView } from '../features/projects/ProjectsView.tsx';
import { ProvidersView } from '../features/providers/ProvidersView.tsx';
import { SettingsView } from '../features/settings/SettingsView.tsx';
import { UsageView } from '../features/usage/UsageView.tsx';

/** The view chosen in the navigation. */
export function CurrentView() {
  const view = useNavigationStore((state) => state.view);
  switch (view) {
    case 'projects':
      return <ProjectsView />;
    case 'providers':
      return <ProvidersView />;
    case 'usage':
      return <UsageView />;
    case 'settings':
      return <SettingsView />;
  }
}
