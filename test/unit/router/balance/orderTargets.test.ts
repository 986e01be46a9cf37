import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../../src-shared/domain/provider.ts';
import { orderTargets, type BalanceInput } from '../../../../src-main/router/balance/orderTargets.ts';
import type { TargetHealth } from '../../../../src-main/router/balance/TargetHealth.ts';
import { targetKey } from '../../../../src-main/router/balance/targetKey.ts';
import type { Candidate } from '../../../../src-main/router/planTargets.ts';
import { seededRandom } from '../../../support/seededRandom.ts';

const config = (id: string, location: 'local' | 'cloud' = 'cloud'): ProviderConfig => ({ id, type: 'openai', label: id, location, models: ['m'], limits: {}, enabled: true });
const candidate = (id: string, extra: Partial<Candidate> = {}): Candidate => ({ target: { providerId: id, model: 'm' }, config: config(id), reason: `listed ${id}`, ...extra });
const key = (id: string) => targetKey({ providerId: id, model: 'm' });

function order(input: Partial<BalanceInput> & Pick<BalanceInput, 'strategy' | 'candidates'>): Candidate[] {
  return orderTargets({ health: () => 'healthy', latencyMs: () => undefined, inFlight: () => 0, costUsd: () => undefined, random: Math.random, ...input });
}
const ids = (candidates: Candidate[]) => candidates.map((c) => c.target.providerId);

describe('orderTargets', () => {
  it('ordered keeps the listed order, open circuits and unusable targets included, and names the strategy', () => {
    const candidates = [candidate('a'), candidate('b', { skip: 'disabled' }), candidate('c')];
    const result = order({ strategy: 'ordered', candidates, health: (k) => (k === key('a') ? 'open' : 'healthy') });
    expect(ids(result)).toEqual(['a', 'b', 'c']);
    expect(result.map((c) => c.strategy)).toEqual(['ordered', 'ordered', 'ordered']);
    expect(result[0]?.reason).toBe('listed a');
  });

  it('weighted draws by weight: 3 to 1 over 1,000 draws is 75 % within 5 points, and the fallback is the other', () => {
    const random = seededRandom(7);
    const candidates = [candidate('a', { weight: 3 }), candidate('b', { weight: 1 })];
    let firstA = 0;
    for (let i = 0; i < 1_000; i++) {
      const result = order({ strategy: 'weighted', candidates, random });
      expect(ids(result).sort()).toEqual(['a', 'b']);
      if (result[0]?.target.providerId === 'a') firstA++;
    }
    expect(firstA).toBeGreaterThanOrEqual(700);
    expect(firstA).toBeLessThanOrEqual(800);
    const one = order({ strategy: 'weighted', candidates, random: () => 0.1 });
    expect(one[0]?.reason).toBe('weighted: drawn with weight 3 of 4 (75 %); listed a');
    expect(one[1]?.reason).toContain('weighted: next drawn, weight 1 of 4');
  });

  it('weighted puts a weight-0 target after the weighted ones, as a standby', () => {
    const candidates = [candidate('standby', { weight: 0 }), candidate('a', { weight: 1 })];
    for (const r of [0, 0.5, 0.999]) expect(ids(order({ strategy: 'weighted', candidates, random: () => r }))).toEqual(['a', 'standby']);
  });

  it('least-latency prefers the lowest average, tries an unmeasured target, and breaks ties by calls under way', () => {
    const candidates = [candidate('a'), candidate('b'), candidate('c')];
    const latency: Record<string, number | undefined> = { [key('a')]: 480, [key('b')]: 120 };
    const measured = order({ strategy: 'least-latency', candidates, latencyMs: (k) => latency[k] });
    expect(ids(measured)).toEqual(['c', 'b', 'a']);
    expect(measured[0]?.reason).toContain('least-latency: not measured yet vs 120 ms average to first token for b/m');
    latency[key('c')] = 300;
    const again = order({ strategy: 'least-latency', candidates, latencyMs: (k) => latency[k] });
    expect(ids(again)).toEqual(['b', 'c', 'a']);
    expect(again[0]?.reason).toMatch(/^least-latency: 120 ms average to first token vs 300 ms average to first token for c\/m/);
    const busy = order({ strategy: 'least-latency', candidates: [candidate('a'), candidate('b')], latencyMs: () => 100, inFlight: (k) => (k === key('a') ? 2 : 0) });
    expect(ids(busy)).toEqual(['b', 'a']);
    expect(busy[1]?.reason).toContain('2 calls under way');
  });

  it('least-cost prefers the cheapest, a local model first, an unknown price last', () => {
    const candidates = [candidate('unknown'), candidate('dear'), candidate('cheap'), candidate('local', { config: config('local', 'local') })];
    const prices: Record<string, number | undefined> = { dear: 0.004, cheap: 0.0012, local: 0 };
    const result = order({ strategy: 'least-cost', candidates, costUsd: (c) => prices[c.target.providerId] });
    expect(ids(result)).toEqual(['local', 'cheap', 'dear', 'unknown']);
    expect(result[0]?.reason).toContain('least-cost: no per-token price (local) vs about $0.0012 for cheap/m');
    expect(result[3]?.reason).toContain('price unknown');
  });

  it('takes a target with an open or probing circuit out of the way, keeps one whose cool-down passed, and leaves unusable ones last', () => {
    const health: Record<string, TargetHealth> = { [key('a')]: 'open', [key('b')]: 'probing', [key('c')]: 'probe-due', [key('d')]: 'healthy' };
    const candidates = [candidate('a'), candidate('b'), candidate('x', { skip: 'no key' }), candidate('c'), candidate('d')];
    const result = order({ strategy: 'least-latency', candidates, health: (k) => health[k] ?? 'healthy' });
    expect(ids(result)).toEqual(['c', 'd', 'a', 'b', 'x']);
    expect(result[0]?.reason).toContain("probes it after its circuit's cool-down");
    expect(result[2]?.reason).toContain('circuit open, tried only after the healthy targets');
    expect(result[4]?.skip).toBe('no key');
  });

  it('balances within each privacy tier: cloud targets stay after local ones in Local first', () => {
    const candidates = [candidate('l1', { config: config('l1', 'local') }), candidate('l2', { config: config('l2', 'local') }), candidate('c1', { cloudAfterLocal: true })];
    const result = order({ strategy: 'least-latency', candidates, latencyMs: (k) => (k === key('c1') ? 1 : k === key('l1') ? 900 : 500) });
    expect(ids(result)).toEqual(['l2', 'l1', 'c1']);
  });

  it('keeps a sticky target first while it is healthy, and lets the strategy choose once it is not', () => {
    const candidates = [candidate('a'), candidate('b')];
    const sticky = order({ strategy: 'least-latency', candidates, latencyMs: (k) => (k === key('a') ? 10 : 500), stickyTo: key('b') });
    expect(ids(sticky)).toEqual(['b', 'a']);
    expect(sticky[0]?.reason).toContain('sticky: the earlier calls of this run went here');
    const open = order({ strategy: 'least-latency', candidates, latencyMs: (k) => (k === key('a') ? 10 : 500), stickyTo: key('b'), health: (k) => (k === key('b') ? 'open' : 'healthy') });
    expect(ids(open)).toEqual(['a', 'b']);
  });

  it('weighted with every weight 0 keeps the listed order and says so, not that the weighted targets failed', () => {
    const candidates = [candidate('a', { weight: 0 }), candidate('b', { weight: 0 })];
    for (const r of [0, 0.7]) {
      const result = order({ strategy: 'weighted', candidates, random: () => r });
      expect(ids(result)).toEqual(['a', 'b']);
      expect(result.map((c) => c.reason)).toEqual(['weighted: every weight is 0, so the listed order; listed a', 'weighted: every weight is 0, so the listed order; listed b']);
    }
  });

  it('weighted counts a weight that is not a finite number of 0 or more as a standby, and a lone target takes every call', () => {
    const random = seededRandom(11);
    const candidates = [candidate('nan', { weight: Number.NaN }), candidate('a', { weight: 3 }), candidate('neg', { weight: -5 }), candidate('inf', { weight: Number.POSITIVE_INFINITY }), candidate('b', { weight: 1 })];
    let firstA = 0;
    for (let i = 0; i < 1_000; i++) {
      const result = ids(order({ strategy: 'weighted', candidates, random }));
      expect(result.slice(2)).toEqual(['nan', 'neg', 'inf']);
      if (result[0] === 'a') firstA++;
    }
    expect(Math.abs(firstA - 750)).toBeLessThanOrEqual(50);
    const lone = order({ strategy: 'weighted', candidates: [candidate('only', { weight: 7 })], random: () => 0.99 });
    expect(lone[0]?.reason).toBe('weighted: drawn with weight 7 of 7 (100 %); listed only');
  });

  it('least-cost calls only a model on this machine local: a cloud model priced at 0 is free, and a tiny price is not in exponent form', () => {
    const candidates = [candidate('tiny'), candidate('free'), candidate('local', { config: config('local', 'local') })];
    const prices: Record<string, number> = { tiny: 1e-7, free: 0, local: 0 };
    const result = order({ strategy: 'least-cost', candidates, costUsd: (c) => prices[c.target.providerId] });
    expect(ids(result)).toEqual(['free', 'local', 'tiny']);
    expect(result[0]?.reason).toBe('least-cost: free (priced at $0) vs no per-token price (local) for local/m; listed free');
    expect(result[2]?.reason).toBe('least-cost: next, less than $0.000001 for this call; listed tiny');
  });
});
