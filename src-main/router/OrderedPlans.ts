import type { TaskKind } from '../../src-shared/domain/provider.ts';
import type { RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { Candidate } from './planTargets.ts';
import type { CallConfig } from './routerTypes.ts';

/**
 * Each task's last `ordered` plan and what it was made for. An `ordered` plan depends only on the
 * call's configuration and its plan version (keys, listed models, GGUFs found), so calls with the
 * same configuration object and version (and no `only` or sticky key) share one; any other call
 * is planned afresh (`make`).
 */
export class OrderedPlans {
  readonly #plans = new Map<TaskKind, { config: CallConfig; version: number; plan: Candidate[] }>();

  get(request: RouteRequest, config: CallConfig | undefined, make: () => Candidate[]): Candidate[] {
    if (!config?.planVersion || request.only !== undefined || request.stickyKey !== undefined || (config.strategies?.[request.task] ?? 'ordered') !== 'ordered') return make();
    const version = config.planVersion();
    const kept = this.#plans.get(request.task);
    if (kept && kept.config === config && kept.version === version) return kept.plan;
    const plan = make();
    this.#plans.set(request.task, { config, version, plan });
    return plan;
  }
}
