import type { Database } from 'better-sqlite3';
import type { Project } from '../../src-shared/domain/project.ts';
import type { EventBus } from '../events/EventBus.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { SettingsRepository } from '../store/SettingsRepository.ts';
import { ProviderRepository } from '../store/ProviderRepository.ts';
import { RoutingRepository } from '../store/RoutingRepository.ts';
import { BudgetRepository } from '../store/BudgetRepository.ts';
import { PriceRepository } from '../store/PriceRepository.ts';
import { runsAndTurnsMoved } from './runsAndTurnsMoved.ts';

/**
 * Another process (the CLI, a second face) may write the same database: projects, settings, providers, routing,
 * budgets (and their time zone) and the user's prices, and the calls it makes (their attempts, costs,
 * budget reservations and response-cache counts). SQLite's `PRAGMA data_version` changes only when
 * another connection commits, so polling it is nearly free; when it moves, the difference is
 * announced on the bus like a local change, and open windows update without a reload.
 *
 * The configuration is read again only when its generation (`config_generation`, moved by
 * triggers on those tables) moved: another process's calls commit often (attempts, cache counts,
 * rate windows) and change none of it. This connection's own writes (`total_changes()`) are
 * followed too: a configuration it changed becomes the one later changes are compared with
 * (its channels announce it themselves), and calls it recorded are announced like another's,
 * so every window on this core follows them. What calls record is compared by a few reads of
 * single rows and index ends (`usage.changed`, `cache.changed`), never by the queries the
 * pages then ask; `spendMoved` is called when what budgets have used moved (the core warns of a
 * budget past 80 % from there). Generation runs and interviews another process works on (the CLI's
 * `plan`, `generate`, `interview --answers`) are followed the same way (runsAndTurnsMoved) and
 * announced as `pipeline.runChanged` and `interview.turnsChanged`; the runs and interviews this
 * core announced itself (`pipeline.event`, `interview.event`) are not announced again, nor are
 * its own writes alone. Returns the function that stops watching.
 */
export function watchExternalChanges(db: Database, bus: EventBus, intervalMs = 500, hooks: { spendMoved?: () => void } = {}): () => void {
  const projects = new ProjectRepository(db);
  const settings = new SettingsRepository(db);
  const providers = new ProviderRepository(db);
  const routing = new RoutingRepository(db);
  const budgets = new BudgetRepository(db);
  const prices = new PriceRepository(db);
  const dataVersion = () => Number(db.pragma('data_version', { simple: true }));
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const configGeneration = db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck();
  const recorded = recordedSnapshot(db);
  const workMoved = runsAndTurnsMoved(db);
  // The runs and interviews this core's services announced since the last look (their own channels).
  const ownRuns = new Set<string>();
  const ownInterviews = new Set<string>();
  let version = dataVersion();
  let ownChanges = Number(totalChanges.get());
  let generation = Number(configGeneration.get());
  let knownRecorded = recorded();
  let knownProjects = snapshot(projects.list());
  let knownSettings = JSON.stringify(settings.get());
  let knownProviders = providerSnapshot(providers);
  let knownRouting = routingSnapshot(routing);
  let knownBudgets = budgetSnapshot(budgets);
  let knownPrices = priceSnapshot(prices);

  const check = () => {
    if (!db.open) return;
    const now = dataVersion();
    const changes = Number(totalChanges.get());
    const external = now !== version;
    if (!external && changes === ownChanges) return;
    version = now;
    ownChanges = changes;
    announceWork(external);
    const nowGeneration = Number(configGeneration.get());
    if (nowGeneration !== generation) {
      generation = nowGeneration;
      compareConfiguration(external);
    }
    const currentRecorded = recorded();
    if (currentRecorded.calls !== knownRecorded.calls || currentRecorded.spend !== knownRecorded.spend) {
      bus.emit('usage.changed', { calls: currentRecorded.calls !== knownRecorded.calls, spend: currentRecorded.spend !== knownRecorded.spend });
    }
    if (currentRecorded.cache !== knownRecorded.cache) bus.emit('cache.changed', {});
    const spent = currentRecorded.spend !== knownRecorded.spend;
    knownRecorded = currentRecorded;
    // A budget another process brought past 80 % is said here too (once, as one passed here is).
    if (spent) hooks.spendMoved?.();
  };

  /**
   * Compares the configuration with what was last seen and announces what differs when another
   * process committed (`announce`); after this connection's own writes alone it is only taken
   * as the new starting point: its channels announced it, and a later change elsewhere (a reset
   * that puts back what there was before) must be compared with it, not with an older state.
   */
  const compareConfiguration = (announce: boolean) => {
    const emit: EventBus['emit'] = (event, payload) => {
      if (announce) bus.emit(event, payload);
    };
    const current = snapshot(projects.list());
    for (const [id, project] of current) {
      const before = knownProjects.get(id);
      if (!before) emit('projects.changed', { kind: 'created', id });
      else if (before.name !== project.name || before.updatedAt !== project.updatedAt) emit('projects.changed', { kind: 'renamed', id });
    }
    for (const id of knownProjects.keys()) if (!current.has(id)) emit('projects.changed', { kind: 'deleted', id });
    knownProjects = current;
    const currentSettings = settings.get();
    if (JSON.stringify(currentSettings) !== knownSettings) emit('settings.changed', currentSettings);
    knownSettings = JSON.stringify(currentSettings);
    // Providers added, changed (disabled, limits, models) or removed by the CLI: the Providers page reloads them.
    const currentProviders = providerSnapshot(providers);
    for (const [id, config] of currentProviders) if (knownProviders.get(id) !== config) emit('providers.changed', { id });
    for (const id of knownProviders.keys()) if (!currentProviders.has(id)) emit('providers.changed', { id });
    knownProviders = currentProviders;
    // Routing, budgets and prices set by the CLI (`providers routing set`, `budget set|clear|zone`, `pricing set|reset`):
    // open Routing, Usage and Prices views show them, and a draft there says the stored value moved under it.
    const currentRouting = routingSnapshot(routing);
    if (currentRouting !== knownRouting) emit('routing.changed', {});
    knownRouting = currentRouting;
    const currentBudgets = budgetSnapshot(budgets);
    if (currentBudgets !== knownBudgets) emit('budgets.changed', {});
    knownBudgets = currentBudgets;
    const currentPrices = priceSnapshot(prices);
    if (currentPrices !== knownPrices) emit('pricing.changed', {});
    knownPrices = currentPrices;
  };

  /** Runs and interviews that moved: announced when another process committed, unless this core announced them itself. */
  const announceWork = (external: boolean) => {
    const moved = workMoved();
    if (external) {
      for (const run of moved.runs) if (!ownRuns.has(run.runId)) bus.emit('pipeline.runChanged', run);
      for (const projectId of moved.interviews) if (!ownInterviews.has(projectId)) bus.emit('interview.turnsChanged', { projectId });
    }
    ownRuns.clear();
    ownInterviews.clear();
  };

  let checking = false;
  const checkNow = () => {
    if (checking) return;
    checking = true;
    try {
      check();
    } catch (error) {
      console.error('Watching the database for changes by other processes failed:', error);
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(checkNow, intervalMs);
  timer.unref();
  // This core's own change of the configuration, announced by its channel: taken as the starting point at once, so that a
  // change elsewhere right after it (within the same half second) that puts back what there was is still seen.
  const stopListening = bus.subscribe((event, payload) => {
    if (ownChangeEvents.has(event)) checkNow();
    else if (event === 'pipeline.event') ownRuns.add((payload as { runId: string }).runId);
    else if (event === 'interview.event') ownInterviews.add((payload as { projectId: string }).projectId);
  });
  return () => {
    clearInterval(timer);
    stopListening();
  };
}

/** The events a change of the configuration is announced with (by its channel here, or by this watch). */
const ownChangeEvents = new Set<string>(['projects.changed', 'settings.changed', 'providers.changed', 'routing.changed', 'budgets.changed', 'pricing.changed']);

/** How far back the budget ledger's rows can still count: a month and a day, whatever the zone. */
const ledgerReachMs = 32 * 24 * 60 * 60 * 1000;

/**
 * What calls have recorded, as text to compare: the newest attempt (`calls`); the latest day's and
 * month's overall spend, which every priced attempt adds to, and the budget ledger's recent rows
 * (reservations taken, drawn down, given back: `spend`); the response cache's counts (`cache`).
 * Each is a primary-key or index lookup, or a small table's recent rows.
 */
function recordedSnapshot(db: Database): () => { calls: string; spend: string; cache: string } {
  const read = db.prepare(
    `SELECT (SELECT MAX(id) FROM attempts) AS calls,
       (SELECT usd FROM spend_totals WHERE scope = 'overall' AND scope_id = '' AND period = 'day' ORDER BY period_start_ms DESC LIMIT 1) AS day,
       (SELECT usd FROM spend_totals WHERE scope = 'overall' AND scope_id = '' AND period = 'month' ORDER BY period_start_ms DESC LIMIT 1) AS month,
       (SELECT COUNT(*) || ' ' || TOTAL(amount_usd) || ' ' || IFNULL(MAX(id), '') FROM budget_ledger WHERE at_ms >= ?) AS ledger,
       (SELECT hits || ' ' || misses || ' ' || stores || ' ' || evictions || ' ' || since FROM cache_stats WHERE id = 1) AS cache`,
  );
  return () => {
    const row = read.get(Date.now() - ledgerReachMs) as { calls: number | null; day: number | null; month: number | null; ledger: string; cache: string | null };
    return { calls: String(row.calls), spend: `${row.day} ${row.month} ${row.ledger}`, cache: String(row.cache) };
  };
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
