import type { BalanceStrategy } from '../../src-shared/domain/balanceStrategy.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { ProviderConfig, RoutedTarget, Routing, TaskKind, Target } from '../../src-shared/domain/provider.ts';
import { targetKey } from './balance/targetKey.ts';

export interface Candidate {
  target: Target;
  config?: ProviderConfig;
  /** Set when this target must not be tried; says why (recorded as a skipped attempt). */
  skip?: string;
  /** Why this target is in the list at this place. */
  reason: string;
  /** Its weight in the routing (the `weighted` strategy; absent: 1). */
  weight?: number;
  /** A cloud target put after the local ones (Local first): balanced only among its own kind. */
  cloudAfterLocal?: boolean;
  /** The strategy that put it here (orderTargets), recorded with its attempt. */
  strategy?: BalanceStrategy;
}

export interface PlanInput {
  task: TaskKind;
  routing: Routing;
  providers: ProviderConfig[];
  privacyMode: PrivacyMode;
  /** 'project': local-only because the call's project is marked so (the reason says that, not the mode). */
  privacyScope?: 'project' | undefined;
  /** The model used for a provider when the task has no explicit routing. */
  defaultModel: (provider: ProviderConfig) => string | undefined;
  /** False when the provider needs a key and none is configured. */
  hasKey: (provider: ProviderConfig) => boolean;
}

/**
 * The ordered list of targets for a task under the privacy mode, with the reason for each and
 * the reason any is passed over. Pure: the router adds what only it knows (open circuits,
 * rejected keys, context sizes) when it walks the list.
 */
export function planTargets(input: PlanInput): Candidate[] {
  const byId = new Map(input.providers.map((provider) => [provider.id, provider]));
  const explicit = input.routing[input.task];
  let candidates: Candidate[];
  if (explicit && explicit.length > 0) {
    const listed = onceEach(explicit);
    candidates = listed.map(({ weight, times, ...target }, index) => {
      const config = byId.get(target.providerId);
      const twice = times > 1 ? ` (listed ${times} times, tried once)` : '';
      return { target, ...(config ? { config } : {}), ...(weight === undefined ? {} : { weight }), reason: `routing for ${input.task}, choice ${index + 1} of ${listed.length}${twice}` };
    });
  } else {
    candidates = [];
    for (const config of input.providers) {
      const model = input.defaultModel(config);
      const reason = `default order for ${input.task} (no routing set)`;
      if (model) candidates.push({ target: { providerId: config.id, model }, config, reason });
      else {
        const hint = config.type === 'llama-cpp' ? 'import a GGUF model or name one in its models' : 'name one in its models';
        candidates.push({ target: { providerId: config.id, model: '(none)' }, config, reason, skip: `provider "${config.id}" has no model: ${hint}` });
      }
    }
  }
  if (input.privacyMode === 'local-first') {
    candidates = [...candidates.filter((c) => c.config?.location !== 'cloud'), ...candidates.filter((c) => c.config?.location === 'cloud')];
    for (const c of candidates) {
      if (c.config?.location !== 'cloud') continue;
      c.reason += '; cloud after local (local-first)';
      c.cloudAfterLocal = true;
    }
  }
  return candidates.map((candidate) => {
    if (candidate.skip) return candidate;
    const skip = skipReason(candidate, input);
    return skip ? { ...candidate, skip } : candidate;
  });
}

/**
 * Each provider+model once, where it is first listed: a target listed twice would be tried again
 * in one call after it had already failed (retries and all). Its weights add up, so a weighted
 * split keeps the shares the routing shows for its entries together.
 */
function onceEach(routing: readonly RoutedTarget[]): (RoutedTarget & { times: number })[] {
  const byKey = new Map<string, RoutedTarget & { times: number }>();
  for (const target of routing) {
    const key = targetKey(target);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...target, times: 1 });
    else byKey.set(key, { ...seen, times: seen.times + 1, weight: (seen.weight ?? 1) + (target.weight ?? 1) });
  }
  return [...byKey.values()];
}

function skipReason(candidate: Candidate, input: PlanInput): string | undefined {
  const config = candidate.config;
  if (!config) return `provider "${candidate.target.providerId}" is not configured`;
  if (!config.enabled) return `provider "${config.id}" is disabled`;
  if (config.location === 'cloud' && input.privacyMode === 'local-only') {
    return input.privacyScope === 'project' ? 'cloud provider not allowed: this project is kept on this machine' : 'cloud provider not allowed in local-only mode';
  }
  if (!input.hasKey(config)) return `no API key configured for "${config.id}"`;
  return undefined;
}
