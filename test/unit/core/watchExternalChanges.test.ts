import { defaultSettings } from '../../../src-shared/domain/settings.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/createCore.ts';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { SettingsRepository } from '../../../src-main/store/SettingsRepository.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { RoutingRepository } from '../../../src-main/store/RoutingRepository.ts';
import { BudgetRepository } from '../../../src-main/store/BudgetRepository.ts';
import { PriceRepository } from '../../../src-main/store/PriceRepository.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { watchExternalChanges } from '../../../src-main/core/watchExternalChanges.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { ResponseCacheRepository } from '../../../src-main/store/ResponseCacheRepository.ts';
import type { AttemptRecord } from '../../../src-main/modelCall/modelCallTypes.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('watchExternalChanges', () => {
  const tempDir = useTempDirs();

  it('announces projects and settings another connection changed, once each', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => seen.push([event, payload]));
    const stop = watchExternalChanges(core.db, bus, 20);
    const wait = () => new Promise((resolve) => setTimeout(resolve, 80));

    const projects = new ProjectRepository(other);
    const created = projects.create('From the CLI');
    await wait();
    projects.rename(created.id, 'Renamed by the CLI');
    await wait();
    new SettingsRepository(other).set({ theme: 'dark' });
    await wait();
    projects.delete(created.id);
    await wait();
    stop();
    other.close();
    core.close();

    expect(seen).toEqual([
      ['projects.changed', { kind: 'created', id: created.id }],
      ['projects.changed', { kind: 'renamed', id: created.id }],
      ['settings.changed', { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' }],
      ['projects.changed', { kind: 'deleted', id: created.id }],
    ]);
  });

  it('announces providers another process added, changed (disabled, limits) or removed, once each, so an open Providers page shows them', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => seen.push([event, payload]));
    const stop = watchExternalChanges(core.db, bus, 20);
    const wait = () => new Promise((resolve) => setTimeout(resolve, 80));
    const config: ProviderConfig = { id: 'from-cli', type: 'openai', label: 'From the CLI', location: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'], limits: {}, enabled: true };

    const providers = new ProviderRepository(other);
    providers.add(config);
    await wait();
    providers.update({ ...config, enabled: false });
    await wait();
    providers.update({ ...config, enabled: false, limits: { requestsPerMinute: 5 } });
    await wait();
    providers.remove(config.id);
    await wait();
    stop();
    other.close();
    core.close();

    expect(seen).toEqual([
      ['providers.changed', { id: 'from-cli' }],
      ['providers.changed', { id: 'from-cli' }],
      ['providers.changed', { id: 'from-cli' }],
      ['providers.changed', { id: 'from-cli' }],
    ]);
  });

  it('announces routing, budgets (and their zone) and prices another process changed, once each, and nothing for a write of something else', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => seen.push([event, payload]));
    const stop = watchExternalChanges(core.db, bus, 20);
    const wait = () => new Promise((resolve) => setTimeout(resolve, 80));
    const step = async (name: string, write: () => void) => {
      seen.push(name);
      write();
      await wait();
    };

    const routing = new RoutingRepository(other);
    const budgets = new BudgetRepository(other);
    const prices = new PriceRepository(other);
    await step('routing set', () => routing.set({ code: [{ providerId: 'a', model: 'm' }] }));
    await step('weights', () => routing.set({ code: [{ providerId: 'a', model: 'm', weight: 3 }, { providerId: 'b', model: 'n', weight: 1 }] }, { code: 'weighted' }));
    await step('strategy only', () => routing.set({}, { code: 'least-cost' }));
    await step('routing the same again', () => routing.set({ code: [{ providerId: 'a', model: 'm', weight: 3 }, { providerId: 'b', model: 'n', weight: 1 }] }));
    await step('budget set', () => budgets.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 20 }));
    await step('budget changed', () => budgets.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 25 }));
    await step('budget zone', () => budgets.setTimeZone(budgets.timeZone() === 'Asia/Tokyo' ? 'Europe/Berlin' : 'Asia/Tokyo'));
    await step('budget cleared', () => budgets.clear('overall', '', 'month'));
    await step('price set', () => prices.set('corp-model', { inputPerMillion: 1, outputPerMillion: 2 }));
    await step('price changed', () => prices.set('corp-model', { inputPerMillion: 1.5, outputPerMillion: 2 }));
    await step('price reset', () => prices.remove('corp-model'));
    await step('theme', () => new SettingsRepository(other).set({ theme: 'dark' }));
    stop();
    other.close();
    core.close();

    expect(seen).toEqual([
      'routing set',
      ['routing.changed', {}],
      'weights',
      ['routing.changed', {}],
      'strategy only',
      ['routing.changed', {}],
      // Written, but to what it was: nothing to show.
      'routing the same again',
      'budget set',
      ['budgets.changed', {}],
      'budget changed',
      ['budgets.changed', {}],
      'budget zone',
      ['budgets.changed', {}],
      'budget cleared',
      ['budgets.changed', {}],
      'price set',
      ['pricing.changed', {}],
      'price changed',
      ['pricing.changed', {}],
      'price reset',
      ['pricing.changed', {}],
      'theme',
      ['settings.changed', { ...defaultSettings, theme: 'dark', privacyMode: 'local-only' }],
    ]);
  });

  it('stays quiet when nothing changes', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'bridge' });
    const bus = new EventBus();
    let count = 0;
    bus.subscribe(() => (count += 1));
    const stop = watchExternalChanges(core.db, bus, 10);
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    core.close();
    expect(count).toBe(0);
  });

  it('announces a change elsewhere that puts back what there was before this core changed it itself (its own change says nothing here)', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => seen.push([event, payload]));
    const stop = watchExternalChanges(core.db, bus, 20);
    const wait = () => new Promise((resolve) => setTimeout(resolve, 80));
    const step = async (name: string, write: () => void) => {
      seen.push(name);
      write();
      await wait();
    };

    // This core's own writes (its channels announce them) are where later changes start from.
    await step('price set here', () => new PriceRepository(core.db).set('corp-model', { inputPerMillion: 5, outputPerMillion: 7 }));
    await step('price reset by the CLI', () => new PriceRepository(other).remove('corp-model'));
    await step('budget set here', () => new BudgetRepository(core.db).set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 3 }));
    await step('budget cleared by the CLI', () => new BudgetRepository(other).clear('overall', '', 'day'));
    await step('routing set here', () => new RoutingRepository(core.db).set({ code: [{ providerId: 'a', model: 'm' }] }));
    await step('routing cleared by the CLI', () => new RoutingRepository(other).set({ code: [] }));
    // Announced by this core's channel (as announceConfigChanges does), then put back elsewhere within the same half second.
    await step('price set here and reset by the CLI at once', () => {
      new PriceRepository(core.db).set('corp-model', { inputPerMillion: 2, outputPerMillion: 3 });
      bus.emit('pricing.changed', {});
      new PriceRepository(other).remove('corp-model');
    });
    stop();
    other.close();
    core.close();

    expect(seen).toEqual([
      'price set here',
      'price reset by the CLI',
      ['pricing.changed', {}],
      'budget set here',
      'budget cleared by the CLI',
      ['budgets.changed', {}],
      'routing set here',
      'routing cleared by the CLI',
      ['routing.changed', {}],
      'price set here and reset by the CLI at once',
      ['pricing.changed', {}],
      ['pricing.changed', {}],
    ]);
  });

  it('announces calls recorded and money spent or reserved by another process or this one (usage.changed), and the cache counts moving (cache.changed)', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => seen.push([event, payload]));
    const stop = watchExternalChanges(core.db, bus, 20);
    const wait = () => new Promise((resolve) => setTimeout(resolve, 80));
    const step = async (name: string, write: () => void) => {
      seen.push(name);
      write();
      await wait();
    };
    let n = 0;
    const attempt = (costUsd: number | undefined): AttemptRecord => ({
      requestId: `r${++n}`,
      attemptNo: 1,
      startedAt: new Date().toISOString(),
      task: 'code',
      providerId: 'cloud',
      model: 'm',
      outcome: 'ok',
      costUsd,
      reason: 'first target',
    });
    const record = (db: typeof other, costUsd: number | undefined) => {
      const attempts = new AttemptRepository(db);
      attempts.insert(attempt(costUsd));
      attempts.flush();
    };
    const budgets = new BudgetRepository(other);
    budgets.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 10 });
    await wait();
    seen.splice(0);

    await step('a local call elsewhere', () => record(other, undefined));
    await step('a priced call elsewhere', () => record(other, 0.25));
    await step('a reservation elsewhere', () => {
      const reserved = budgets.reserve({ requestId: 'q', providerId: 'cloud', model: 'm', amountUsd: 0.5, holdMs: 60_000 });
      if (!reserved.ok || reserved.id === undefined) throw new Error('not reserved');
    });
    await step('a priced call here', () => record(core.db, 0.1));
    await step('cache counted elsewhere', () =>
      other.prepare("INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, 1, 0, 0, 0, '2026-01-01T00:00:00.000Z') ON CONFLICT (id) DO UPDATE SET hits = hits + 1").run(),
    );
    await step('cache cleared elsewhere', () => new ResponseCacheRepository(other).clear());
    await step('nothing recorded: a project renamed elsewhere', () => new ProjectRepository(other).create('Elsewhere'));
    stop();
    other.close();
    core.close();

    expect(seen.filter((entry) => typeof entry === 'string' || (entry as [string])[0] !== 'projects.changed')).toEqual([
      'a local call elsewhere',
      ['usage.changed', { calls: true, spend: false }],
      'a priced call elsewhere',
      ['usage.changed', { calls: true, spend: true }],
      'a reservation elsewhere',
      ['usage.changed', { calls: false, spend: true }],
      'a priced call here',
      ['usage.changed', { calls: true, spend: true }],
      'cache counted elsewhere',
      ['cache.changed', {}],
      'cache cleared elsewhere',
      ['cache.changed', {}],
      'nothing recorded: a project renamed elsewhere',
    ]);
  });

  it('a core that watches says a budget another process brought past 80 % (budgets.warning), once per budget and period', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge', watchExternalChanges: true });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const warnings: unknown[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'budgets.warning') warnings.push(payload);
    });
    new BudgetRepository(other).set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 1 });
    const spend = (usd: number) => {
      const attempts = new AttemptRepository(other);
      attempts.insert({ requestId: `r${usd}`, attemptNo: 1, startedAt: new Date().toISOString(), task: 'code', providerId: 'cloud', model: 'm', outcome: 'ok', costUsd: usd, reason: 'first target' });
      attempts.flush();
    };
    const wait = () => new Promise((resolve) => setTimeout(resolve, 1200));
    spend(0.5);
    await wait();
    expect(warnings).toEqual([]);
    spend(0.35);
    await wait();
    spend(0.05);
    await wait();
    other.close();
    core.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ scope: 'overall', period: 'day', limitUsd: 1, spentUsd: 0.85 });
  });
});
