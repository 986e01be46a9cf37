import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/createCore.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('announceConfigChanges', () => {
  const tempDir = useTempDirs();

  it('announces routing, prices and budgets changed through the channels, so other windows on this core show them; a refused change says nothing', async () => {
    const core = createCore({ dataDir: tempDir(), host: 'bridge' });
    const seen: unknown[] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'routing.changed' || event === 'pricing.changed' || event === 'budgets.changed') seen.push([event, payload]);
    });
    const step = async (name: string, call: () => Promise<{ ok: boolean }>, ok = true) => {
      seen.push(name);
      expect((await call()).ok, name).toBe(ok);
    };
    try {
      await step('routing', () => core.dispatch('routing.set', { routing: { code: [{ providerId: 'a', model: 'm' }] } }));
      await step('price', () => core.dispatch('pricing.set', { model: 'corp-model', inputPerMillion: 1, outputPerMillion: 2 }));
      await step('price reset', () => core.dispatch('pricing.reset', { model: 'corp-model' }));
      await step('no price to reset', () => core.dispatch('pricing.reset', { model: 'corp-model' }), false);
      await step('budget', () => core.dispatch('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 5 }));
      await step('budget of no provider', () => core.dispatch('budgets.set', { scope: 'provider', scopeId: 'nobody', period: 'day', limitUsd: 5 }), false);
      await step('budget cleared', () => core.dispatch('budgets.clear', { scope: 'overall', scopeId: '', period: 'day' }));
      await step('no budget to clear', () => core.dispatch('budgets.clear', { scope: 'overall', scopeId: '', period: 'day' }));
      await step('zone asked', () => core.dispatch('budgets.timeZone', {}));
      await step('zone set', () => core.dispatch('budgets.timeZone', { zone: 'Asia/Tokyo' }));
    } finally {
      core.close();
    }
    expect(seen).toEqual([
      'routing',
      ['routing.changed', {}],
      'price',
      ['pricing.changed', {}],
      'price reset',
      ['pricing.changed', {}],
      'no price to reset',
      'budget',
      ['budgets.changed', {}],
      'budget of no provider',
      'budget cleared',
      ['budgets.changed', {}],
      'no budget to clear',
      'zone asked',
      'zone set',
      ['budgets.changed', {}],
    ]);
  });
});
