import { useAboutStore } from '../features/about/aboutStore.ts';
import { useBudgetsStore } from '../features/budgets/budgetsStore.ts';
import { useInterviewStore } from '../features/interview/interviewStore.ts';
import { usePipelineStore } from '../features/pipeline/pipelineStore.ts';
import { useProjectsStore } from '../features/projects/projectsStore.ts';
import { useModelsStore } from '../features/providers/modelsStore.ts';
import { usePricingStore } from '../features/providers/pricingStore.ts';
import { useProvidersStore } from '../features/providers/providersStore.ts';
import { useRoutingStore } from '../features/providers/routingStore.ts';
import { useSettingsStore } from '../features/settings/settingsStore.ts';
import { useTestsStore } from '../features/tests/testsStore.ts';

/** Fetches everything the UI shows from the core: at start and when the user retries a connection. */
export function reloadAll(): void {
  void useProjectsStore.getState().load();
  void useSettingsStore.getState().load();
  void useAboutStore.getState().load();
  // Only what was opened before (the Providers view loads these on first show).
  void useProvidersStore.getState().reload();
  void useRoutingStore.getState().reload();
  void useModelsStore.getState().reload();
  void usePricingStore.getState().reload();
  void useBudgetsStore.getState().reload();
  void useInterviewStore.getState().reload();
  void usePipelineStore.getState().reload();
  void useTestsStore.getState().reload();
}
