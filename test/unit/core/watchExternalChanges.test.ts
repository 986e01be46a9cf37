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
});
