import type { Database } from 'better-sqlite3';
import type { Project } from '../../src-shared/domain/project.ts';
import type { EventBus } from '../events/EventBus.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { SettingsRepository } from '../store/SettingsRepository.ts';
import { ProviderRepository } from '../store/ProviderRepository.ts';

/**
 * Another process (the CLI, a second face) may write the same database: projects, settings and providers. SQLite's
 * `PRAGMA data_version` changes only when another connection commits, so polling it is nearly
 * free; when it moves, the difference is announced on the bus like a local change, and open
 * windows update without a reload. Returns the function that stops watching.
 */
export function watchExternalChanges(db: Database, bus: EventBus, intervalMs = 500): () => void {
  const projects = new ProjectRepository(db);
  const settings = new SettingsRepository(db);
  const providers = new ProviderRepository(db);
  const dataVersion = () => Number(db.pragma('data_version', { simple: true }));
  let version = dataVersion();
  let knownProjects = snapshot(projects.list());
  let knownSettings = JSON.stringify(settings.get());
  let knownProviders = providerSnapshot(providers);

  const check = () => {
    if (!db.open) return;
    const now = dataVersion();
    if (now === version) return;
    version = now;
    const current = snapshot(projects.list());
    for (const [id, project] of current) {
      const before = knownProjects.get(id);
      if (!before) bus.emit('projects.changed', { kind: 'created', id });
      else if (before.name !== project.name || before.updatedAt !== project.updatedAt) bus.emit('projects.changed', { kind: 'renamed', id });
    }
    for (const id of knownProjects.keys()) if (!current.has(id)) bus.emit('projects.changed', { kind: 'deleted', id });
    knownProjects = current;
    const currentSettings = settings.get();
    if (JSON.stringify(currentSettings) !== knownSettings) bus.emit('settings.changed', currentSettings);
    knownSettings = JSON.stringify(currentSettings);
    // Providers added, changed (disabled, limits, models) or removed by the CLI: the Providers page reloads them.
    const currentProviders = providerSnapshot(providers);
    for (const [id, config] of currentProviders) if (knownProviders.get(id) !== config) bus.emit('providers.changed', { id });
    for (const id of knownProviders.keys()) if (!currentProviders.has(id)) bus.emit('providers.changed', { id });
    knownProviders = currentProviders;
  };

  const timer = setInterval(() => {
    try {
      check();
    } catch (error) {
      console.error('Watching the database for changes by other processes failed:', error);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Each stored provider's configuration as JSON, by id (rows this version cannot read by their problem). */
function providerSnapshot(providers: ProviderRepository): Map<string, string> {
  const stored = providers.list();
  return new Map([...stored.providers.map((config): [string, string] => [config.id, JSON.stringify(config)]), ...stored.invalid.map((row): [string, string] => [row.id, row.problem])]);
}

function snapshot(list: Project[]): Map<string, Project> {
  return new Map(list.map((project) => [project.id, project]));
}
