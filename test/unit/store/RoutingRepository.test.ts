import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { RoutingRepository } from '../../../src-main/store/RoutingRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('RoutingRepository', () => {
  const tempDir = useTempDirs();
  const open = () => openDatabase(join(tempDir(), 'data.db'));

  it('stores weights with the targets and a strategy per task, across a reopen', () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const routing = new RoutingRepository(db);
    routing.set({ code: [{ providerId: 'a', model: 'm', weight: 3 }, { providerId: 'b', model: 'm', weight: 1 }], plan: [{ providerId: 'a', model: 'm' }] }, { code: 'weighted' });
    db.close();
    const again = new RoutingRepository(openDatabase(path));
    expect(again.get()).toEqual({ code: [{ providerId: 'a', model: 'm', weight: 3 }, { providerId: 'b', model: 'm', weight: 1 }], plan: [{ providerId: 'a', model: 'm' }] });
    expect(again.strategies()).toEqual({ code: 'weighted', plan: 'ordered' });
  });

  it('keeps a task strategy when only its targets change, changes it alone, and forgets it with the targets', () => {
    const routing = new RoutingRepository(open());
    routing.set({ code: [{ providerId: 'a', model: 'm' }] }, { code: 'least-latency' });
    routing.set({ code: [{ providerId: 'b', model: 'm' }] });
    expect(routing.strategies()).toEqual({ code: 'least-latency' });
    routing.set({}, { code: 'least-cost' });
    expect(routing.strategies()).toEqual({ code: 'least-cost' });
    routing.set({ code: [] });
    expect(routing.strategies()).toEqual({});
    routing.set({ code: [{ providerId: 'a', model: 'm' }] });
    expect(routing.strategies()).toEqual({ code: 'ordered' });
  });

  it('reads rows edited by hand: a value that is no list is no route, and of a list only the targets that read are kept', () => {
    const db = open();
    const routing = new RoutingRepository(db);
    routing.set({ code: [{ providerId: 'a', model: 'm' }], plan: [{ providerId: 'a', model: 'm' }], docs: [{ providerId: 'a', model: 'm' }] });
    db.prepare(`UPDATE routing SET targets = '{"providerId":"b"}' WHERE task = 'code'`).run();
    db.prepare(`UPDATE routing SET targets = '[{"providerId":"b","model":"m"},{"providerId":7},"x"]' WHERE task = 'plan'`).run();
    expect(routing.get()).toEqual({ plan: [{ providerId: 'b', model: 'm' }], docs: [{ providerId: 'a', model: 'm' }] });
  });

  it('refuses an unknown strategy or a negative weight and keeps what it had', () => {
    const routing = new RoutingRepository(open());
    routing.set({ code: [{ providerId: 'a', model: 'm' }] }, { code: 'weighted' });
    expect(() => routing.set({ code: [{ providerId: 'b', model: 'm' }] }, { code: 'random' as never })).toThrow();
    expect(() => routing.set({ code: [{ providerId: 'b', model: 'm', weight: -1 }] })).toThrow();
    expect(routing.get()).toEqual({ code: [{ providerId: 'a', model: 'm' }] });
    expect(routing.strategies()).toEqual({ code: 'weighted' });
  });
});
