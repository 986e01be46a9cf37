import type { Database } from 'better-sqlite3';
import type { Project } from '../../src-shared/domain/project.ts';
import type { EventBus } from '../events/EventBus.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { SettingsRepository } from '../store/SettingsRepository.ts';
import { ProviderRepository } from '../store/ProviderRepository.ts';
import { RoutingRepository } from '../store/RoutingRepository.ts';
import { BudgetRepository } from '../store/BudgetRepository.ts';
import { PriceRepository } from '../store/PriceRepository.ts';

/**
 * Another process (the CLI, a second face) may write the same database: projects, settings, providers, routing,
 * budgets (and their time zone) and the user's prices. SQLite's
 * `PRAGMA data_version` changes only when another connection commits, so polling it is nearly
 * free; when it moves, the difference is announced on the bus like a local change, and open
 * windows update without a reload. Returns the function that stops watching.
 */
export function watchExternalChanges(db: Database, bus: EventBus, intervalMs = 500): () => void {
  const projects = new ProjectRepository(db);
  const settings = new SettingsRepository(db);
  const providers = new ProviderRepository(db);
  const routing = new RoutingRepository(db);
  const budgets = new BudgetRepository(db);
  const prices = new PriceRepository(db);
  const dataVersion = () => Number(db.pragma('data_version', { simple: true }));
  let version = dataVersion();
  let knownProjects = snapshot(projects.list());
  let knownSettings = JSON.stringify(settings.get());
  let knownProviders = providerSnapshot(providers);
  let knownRouting = routingSnapshot(routing);
  let knownBudgets = budgetSnapshot(budgets);
  let knownPrices = priceSnapshot(prices);

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
    // Routing, budgets and prices set by the CLI (`providers routing set`, `budget set|clear|zone`, `pricing set|reset`):
    // open Routing, Usage and Prices views show them, and a draft there says the stored value moved under it.
    const currentRouting = routingSnapshot(routing);
    if (currentRouting !== knownRouting) bus.emit('routing.changed', {});
    knownRouting = currentRouting;
    const currentBudgets = budgetSnapshot(budgets);
    if (currentBudgets !== knownBudgets) bus.emit('budgets.changed', {});
    knownBudgets = currentBudgets;
    const currentPrices = priceSnapshot(prices);
    if (currentPrices !== knownPrices) bus.emit('pricing.changed', {});
    knownPrices = currentPrices;
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

/** Every task's targets (with weights) and strategy, as JSON. */
function routingSnapshot(routing: RoutingRepository): string {
  return JSON.stringify([routing.get(), routing.strategies()]);
}

/** The budgets set (what each counts, its period and limit) and the zone their days begin in; not what they have used. */
function budgetSnapshot(budgets: BudgetRepository): string {
  return JSON.stringify([budgets.list(), budgets.timeZone()]);
}

/** The user's own prices, by model. */
function priceSnapshot(prices: PriceRepository): string {
  return JSON.stringify([...prices.all()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function snapshot(list: Project[]): Map<string, Project> {
  return new Map(list.map((project) => [project.id, project]));
}
