import { AppError } from '../../../src-shared/AppError.ts';
import type { Project } from '../../../src-shared/domain/project.ts';
import { serviceSpecSchema, type ServiceSpec } from '../../../src-shared/domain/serviceSpec.ts';
import type { CliContext } from '../CliContext.ts';
import { problemLines } from '../describeSpec.ts';
import { projectFlag } from './runStoppedError.ts';

/**
 * The project's spec when it is complete (as a run stores it); else a user error listing every
 * problem and how to finish the spec, before any model is asked.
 */
export async function requireCompleteSpec(ctx: CliContext, project: Project): Promise<ServiceSpec> {
  const { spec, check } = await ctx.call('spec.get', { projectId: project.id });
  const parsed = serviceSpecSchema.safeParse(spec);
  if (check.valid && parsed.success) return parsed.data;
  ctx.output.event('check', { projectId: project.id, ...check });
  const problems = problemLines(check);
  const count = problems.length;
  const flag = projectFlag(project.name);
  throw new AppError(
    'INVALID_INPUT',
    `The spec of "${project.name}" is not complete, so there is nothing to generate (${count} problem${count === 1 ? '' : 's'}): ${problems.join('; ')}. ` +
      `Finish it with "service-creator interview ${flag}" or "service-creator spec import FILE ${flag}".`,
  );
}
