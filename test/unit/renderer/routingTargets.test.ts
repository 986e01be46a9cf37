import { describe, expect, it } from 'vitest';
import { isListedTarget } from '../../../src-renderer/features/providers/isListedTarget.ts';
import { routingShare } from '../../../src-renderer/features/providers/routingShare.ts';

describe('routing view: weights and targets in words', () => {
  it('gives each weighted target its share, a weight-0 target beside them as a standby, a missing weight as 1', () => {
    const targets = [{ weight: 3 }, {}, { weight: 0 }];
    expect([0, 1, 2].map((i) => routingShare(targets, i))).toEqual(['75 % of the calls', '25 % of the calls', 'only when the others fail']);
  });

  it('says a list whose every weight is 0 is tried in order, instead of calling each a standby for the others', () => {
    const targets = [{ weight: 0 }, { weight: 0 }];
    expect([0, 1].map((i) => routingShare(targets, i))).toEqual(['every weight is 0: tried in list order', 'every weight is 0: tried in list order']);
  });

  it('gives a target the router passes over (provider removed, disabled) no share: the others share its calls', () => {
    const targets = [{ weight: 2 }, { weight: 1, passedOver: true }, { weight: 2 }];
    expect([0, 1, 2].map((i) => routingShare(targets, i))).toEqual(['50 % of the calls', 'no share: passed over', '50 % of the calls']);
    expect(routingShare([{ weight: 0 }, { weight: 3, passedOver: true }], 0)).toBe('every weight is 0: tried in list order');
  });

  it('finds a provider and model already listed (the model as typed, trimmed), and only that pair', () => {
    const targets = [{ providerId: 'a', model: 'm' }, { providerId: 'b', model: 'org/model' }];
    expect(isListedTarget(targets, { providerId: 'a', model: ' m ' })).toBe(true);
    expect(isListedTarget(targets, { providerId: 'b', model: 'org/model' })).toBe(true);
    expect(isListedTarget(targets, { providerId: 'a', model: 'org/model' })).toBe(false);
    expect(isListedTarget(targets, { providerId: 'a', model: 'M' })).toBe(false);
  });
});
