import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { planTargets, type PlanInput } from '../../../src-main/router/planTargets.ts';

const provider = (id: string, location: 'local' | 'cloud', extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id,
  type: location === 'local' ? 'llama-cpp' : 'openai',
  label: id,
  location,
  models: [`${id}-model`],
  limits: {},
  enabled: true,
  ...extra,
});

const input = (overrides: Partial<PlanInput>): PlanInput => ({
  task: 'code',
  routing: {},
  providers: [provider('cloud1', 'cloud'), provider('local1', 'local')],
  privacyMode: 'cloud-allowed',
  defaultModel: (config) => config.models[0],
  hasKey: () => true,
  ...overrides,
});

describe('planTargets', () => {
  it('carries each target weight apart from the target, and marks cloud targets put after local ones', () => {
    const plan = planTargets(
      input({ privacyMode: 'local-first', routing: { code: [{ providerId: 'cloud1', model: 'y', weight: 3 }, { providerId: 'local1', model: 'x' }] } }),
    );
    expect(plan.map((c) => [c.target, c.weight, c.cloudAfterLocal])).toEqual([
      [{ providerId: 'local1', model: 'x' }, undefined, undefined],
      [{ providerId: 'cloud1', model: 'y' }, 3, true],
    ]);
  });

  it('plans a target listed twice once, where it is first listed, with its weights added up', () => {
    const plan = planTargets(
      input({
        routing: {
          code: [
            { providerId: 'cloud1', model: 'y', weight: 2 },
            { providerId: 'local1', model: 'x' },
            { providerId: 'cloud1', model: 'y' },
            { providerId: 'cloud1', model: 'z', weight: 4 },
          ],
        },
      }),
    );
    expect(plan.map((c) => [`${c.target.providerId}/${c.target.model}`, c.weight])).toEqual([
      ['cloud1/y', 3],
      ['local1/x', undefined],
      ['cloud1/z', 4],
    ]);
    expect(plan[0]?.reason).toBe('routing for code, choice 1 of 3 (listed 2 times, tried once)');
    expect(plan[0]?.target).toEqual({ providerId: 'cloud1', model: 'y' });
  });

  it('uses the routing for the task in its order', () => {
    const plan = planTargets(input({ routing: { code: [{ providerId: 'local1', model: 'x' }, { providerId: 'cloud1', model: 'y' }] } }));
    expect(plan.map((c) => `${c.target.providerId}/${c.target.model}`)).toEqual(['local1/x', 'cloud1/y']);
    expect(plan[0]?.reason).toBe('routing for code, choice 1 of 2');
  });

  it('falls back to every provider with its default model when the task has no routing', () => {
    const plan = planTargets(input({}));
    expect(plan.map((c) => c.target.model)).toEqual(['cloud1-model', 'local1-model']);
  });

  it('local-first puts local targets first, keeping order within each group', () => {
    const plan = planTargets(input({ privacyMode: 'local-first', providers: [provider('c1', 'cloud'), provider('l1', 'local'), provider('c2', 'cloud'), provider('l2', 'local')] }));
    expect(plan.map((c) => c.target.providerId)).toEqual(['l1', 'l2', 'c1', 'c2']);
  });

  it('local-only marks every cloud target as skipped, with the reason', () => {
    const plan = planTargets(input({ privacyMode: 'local-only' }));
    expect(plan.find((c) => c.target.providerId === 'cloud1')?.skip).toBe('cloud provider not allowed in local-only mode');
    expect(plan.find((c) => c.target.providerId === 'local1')?.skip).toBeUndefined();
  });

  it('an OpenAI-compatible server marked local is allowed in local-only mode', () => {
    const plan = planTargets(input({ privacyMode: 'local-only', providers: [provider('vllm', 'local', { type: 'openai' })] }));
    expect(plan[0]?.skip).toBeUndefined();
  });

  it('skips unknown, disabled and key-less providers, saying which', () => {
    const plan = planTargets(
      input({
        providers: [provider('off', 'cloud', { enabled: false }), provider('nokey', 'cloud')],
        hasKey: (config) => config.id !== 'nokey',
        routing: { code: [{ providerId: 'ghost', model: 'm' }, { providerId: 'off', model: 'm' }, { providerId: 'nokey', model: 'm' }] },
      }),
    );
    expect(plan.map((c) => c.skip)).toEqual(['provider "ghost" is not configured', 'provider "off" is disabled', 'no API key configured for "nokey"']);
  });
});
