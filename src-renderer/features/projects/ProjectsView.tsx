import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { ProjectCreateForm } from './ProjectCreateForm.tsx';
import { ProjectList } from './ProjectList.tsx';
import './projects.css';

export function ProjectsView() {
  return (
    <div className="view">
      <ViewHeader title="Projects">Each project is one service you are building. Projects are stored on this machine.</ViewHeader>
      <ProjectCreateForm />
      <ProjectList />
    </div>
  );
}
