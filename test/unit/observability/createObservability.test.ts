import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { createObservability } from '../../../src-main/observability/createObservability.ts';
import { knownSecrets } from '../../../src-main/secrets/knownSecrets.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { SandboxRepository } from '../../../src-main/store/SandboxRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();
afterEach(() => knownSecrets.clear());

describe('createObservability', () => {
  it("logs a failed run's error scrubbed before it is cut: a key straddling the cut leaves none of itself", async () => {
    const dataDir = tempDir();
    const db = openDatabase(join(dataDir, 'data.db'));
    const bus = new EventBus();
    const runs = new PipelineRepository(db);
    const observability = createObservability({
      dataDir,
      host: 'cli',
      db,
      bus,
      runs,
      sandbox: new SandboxRepository(db),
      telemetry: () => ({ enabled: false, endpoint: '', includePrompts: false }),
      breakerStates: () => [],
      serviceVersion: 'test',
    });
    // A key of no known shape: only the known-keys layer finds it, and only by 16 characters of it or more.
    const key = `Zq${randomBytes(20).toString('hex')}`;
    knownSecrets.add(key);
    const run = runs.createRun(new ProjectRepository(db).create('Shop').id, { specVersion: 2, name: 'Shop' }, 1);
    runs.updateRun(run.id, { status: 'generating' });
    bus.emit('pipeline.event', { kind: 'changed', runId: run.id });
    // 15 characters of the key fall before the 300-character cut.
    runs.updateRun(run.id, { status: 'failed', error: `${'x'.repeat(284)} ${key} was refused` });
    bus.emit('pipeline.event', { kind: 'changed', runId: run.id });
    await observability.flush();
    observability.close();
    db.close();
    const lines = readFileSync(join(dataDir, 'logs', 'service-creator-cli.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => [line.msg, line.status])).toEqual([
      ['generation run started', 'generating'],
      ['generation run ended', 'failed'],
    ]);
    expect(String(lines[1]?.error)).not.toContain(key.slice(0, 8));
    expect(lines[1]?.error).toBe(`${'x'.repeat(284)} [redacted] was `);
  });
});
