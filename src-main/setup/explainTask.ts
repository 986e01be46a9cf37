import type { Routing, TaskKind } from '../../src-shared/domain/provider.ts';
import type { TaskAnswer } from '../../src-shared/domain/setup.ts';
import type { Candidate } from '../router/planTargets.ts';
import type { SetupRecord } from '../store/SetupRepository.ts';

/**
 * Which target answers `task` now (the first its plan would try) and why, in words: chosen in
 * setup, its place in the task's routing, or the default order when the task has none; with the
 * targets passed over before it and why, and a note when a balancing strategy picks per call.
 */
export function explainTask(task: TaskKind, plan: Candidate[], routing: Routing, record: SetupRecord | null): TaskAnswer {
  const firstIndex = plan.findIndex((candidate) => !candidate.skip);
  const passed = plan.slice(0, firstIndex === -1 ? plan.length : firstIndex).filter((candidate) => candidate.skip);
  const passedText = passed.length > 0 ? `; passed over: ${passed.map((candidate) => `${candidate.target.model} on ${candidate.target.providerId} (${candidate.skip ?? ''})`).join(', ')}` : '';
  const first = plan[firstIndex];
  if (!first) {
    const why = plan.length === 0 ? 'No model is set up: run setup, or add a provider in Providers' : `Nothing can answer${passedText}`;
    return { task, target: null, why: bounded(why) };
  }
  const { target } = first;
  const listed = routing[task] ?? [];
  const place = listed.findIndex((other) => other.providerId === target.providerId && other.model === target.model);
  const kind = first.config?.location === 'cloud' ? 'cloud' : 'local';
  const reasons: string[] = [];
  if (record?.state === 'done' && record.providerId === target.providerId && record.model === target.model) reasons.push(place === 0 ? 'chosen in setup (first in its routing)' : 'chosen in setup');
  else if (place >= 0) reasons.push(place === 0 ? "first in this task's routing" : `choice ${place + 1} of ${listed.length} in this task's routing`);
  else reasons.push(`first ${kind} provider with a model (no routing set for this task)`);
  if (first.cloudAfterLocal) reasons.push('a cloud target, tried after the local ones (Local first)');
  if (first.strategy !== undefined && first.strategy !== 'ordered') reasons.push(`the ${first.strategy} strategy picks per call, so another target may answer some calls`);
  return { task, target: { providerId: target.providerId, model: target.model }, why: bounded(`${reasons.join('; ')}${passedText}`) };
}

function bounded(text: string): string {
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}
