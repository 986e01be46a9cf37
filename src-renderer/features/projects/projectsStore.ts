import { create } from 'zustand';
import type { Project } from '../../../src-shared/domain/project.ts';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { dropProjectDrafts } from '../../ui/draftStorage.ts';
import { callApi } from '../connection/callApi.ts';
import { subscribeToCore } from '../connection/subscribeToCore.ts';
import { sortProjects } from './sortProjects.ts';

export type ProjectsStatus = 'loading' | 'ready' | 'failed';

export interface ProjectsState {
  projects: Project[];
  /** `loading` only until the first list arrives; later reloads keep showing the last list. */
  status: ProjectsStatus;
  loadError: ErrorPayload | null;
  creating: boolean;
  createError: string | null;
  load: () => Promise<void>;
  /** Creates a project; resolves true when it was created, else `createError` says why. */
  create: (name: string) => Promise<boolean>;
  /** Renames a project; resolves the error, or null when it was renamed. */
  rename: (id: string, name: string) => Promise<ErrorPayload | null>;
  /** Keeps a project's model calls on this machine (or lets them follow the privacy mode). */
  setLocalOnly: (id: string, localOnly: boolean) => Promise<ErrorPayload | null>;
  /** Deletes a project; resolves the error, or null when it is gone. */
  remove: (id: string) => Promise<ErrorPayload | null>;
  clearCreateError: () => void;
  /** Reloads the list whenever the core says projects changed (CLI, other windows); returns the unsubscribe. */
  watch: () => () => void;
}

// Only the newest list request may land, so a slow early answer cannot overwrite a newer one.
let latestLoad = 0;

export const useProjectsStore = create<ProjectsState>()((set, get) => {
  const upsert = (project: Project) => {
    set((state) => ({ projects: sortProjects([project, ...state.projects.filter((p) => p.id !== project.id)]) }));
  };
  const drop = (id: string) => {
    set((state) => ({ projects: state.projects.filter((p) => p.id !== id) }));
  };

  return {
    projects: [],
    status: 'loading',
    loadError: null,
    creating: false,
    createError: null,

    load: async () => {
      const request = ++latestLoad;
      if (get().status === 'failed') set({ status: 'loading', loadError: null });
      const result = await callApi((api) => api.projects.list());
      if (request !== latestLoad) return;
      if (result.ok) set({ projects: sortProjects(result.value), status: 'ready', loadError: null });
      else set((state) => ({ loadError: result.error, status: state.status === 'ready' ? 'ready' : 'failed' }));
    },

    create: async (name) => {
      if (get().creating) return false;
      set({ creating: true, createError: null });
      const result = await callApi((api) => api.projects.create({ name: name.trim() }));
      if (result.ok) {
        upsert(result.value);
        set({ creating: false });
        return true;
      }
      set({ creating: false, createError: result.error.message });
      return false;
    },

    rename: async (id, name) => {
      const result = await callApi((api) => api.projects.rename({ id, name: name.trim() }));
      if (result.ok) {
        upsert(result.value);
        return null;
      }
      if (result.error.code === 'NOT_FOUND') void get().load();
      return result.error;
    },

    setLocalOnly: async (id, localOnly) => {
      const result = await callApi((api) => api.projects.setLocalOnly({ id, localOnly }));
      if (result.ok) {
        upsert(result.value);
        return null;
      }
      if (result.error.code === 'NOT_FOUND') void get().load();
      return result.error;
    },

    remove: async (id) => {
      const result = await callApi((api) => api.projects.delete({ id }));
      if (result.ok || result.error.code === 'NOT_FOUND') {
        // Already gone (deleted from the CLI or another window) is what the user asked for.
        drop(id);
        // What was being typed for it goes with it.
        dropProjectDrafts(id);
        return null;
      }
      return result.error;
    },

    clearCreateError: () => {
      if (get().createError !== null) set({ createError: null });
    },

    watch: () => subscribeToCore('projects.changed', () => void get().load()),
  };
});
