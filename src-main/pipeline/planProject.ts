import type { ServiceSpec } from '../../src-shared/domain/serviceSpec.ts';
import { checkPlan } from '../../src-shared/pipeline/checkPlan.ts';
import { planSchema, type Plan } from '../../src-shared/pipeline/plan.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import { chatStructured } from '../gateway/chatStructured.ts';
import type { RouteRequest, RouteResult } from '../modelCall/modelCallTypes.ts';

/** The plan schema with the plan checks as refinements, so a model's unsafe or cyclic plan gets the one repair attempt with the exact problems. */
export const checkedPlanSchema = planSchema.superRefine((plan, ctx) => {
  const checked = checkPlan(plan);
  if (checked.ok) return;
  for (const problem of checked.problems) ctx.addIssue({ code: 'custom', path: ['files'], message: problem.path ? `${problem.path}: ${problem.message}` : problem.message });
});

/**
 * Asks the model (task `plan`) for the project's plan from a complete spec. The answer is
 * validated structurally and by `checkPlan` (safe paths, no case clashes, acyclic, has tests,
 * bounded); paths come back normalised.
 */
export async function planProject(
  chat: (request: RouteRequest) => Promise<RouteResult>,
  input: { spec: ServiceSpec; promptsDir: string; signal?: AbortSignal; contextWindow?: number },
): Promise<{ plan: Plan; result: RouteResult; promptVersion: string }> {
  const template = loadPrompt(input.promptsDir, 'plan');
  const { value, result } = await chatStructured(chat, {
    task: 'plan',
    promptVersion: template.id,
    schema: checkedPlanSchema,
    schemaName: 'project_plan',
    // Half the window for the answer: the prompt (spec and instructions) takes well under half.
    maxTokens: Math.min(8192, Math.floor((input.contextWindow ?? 8192) / 2)),
    temperature: 0.2,
    ...(input.signal ? { signal: input.signal } : {}),
    messages: [
      { role: 'system', content: template.system },
      { role: 'user', content: renderPrompt(template.user ?? '', { specBlock: dataBlock('spec', JSON.stringify(input.spec, null, 2)) }) },
    ],
  });
  const checked = checkPlan(value);
  if (!checked.ok) throw new Error('unreachable: the schema checked the plan');
  return { plan: checked.plan, result, promptVersion: template.id };
}
