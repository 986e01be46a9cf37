import { defaultSettings } from '../../../src-shared/domain/settings.ts';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/createCore.ts';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { SettingsRepository } from '../../../src-main/store/SettingsRepository.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
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
