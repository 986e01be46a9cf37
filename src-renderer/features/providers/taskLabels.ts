import type { TaskKind } from '../../../src-shared/domain/provider.ts';

export const taskLabels: Record<TaskKind, { label: string; description: string }> = {
  interview: { label: 'Interview', description: 'Asking you about the service you want' },
  plan: { label: 'Plan', description: 'Turning the conversation into a plan' },
  code: { label: 'Code', description: 'Writing the service' },
  review: { label: 'Review', description: 'Reviewing the code' },
  docs: { label: 'Docs', description: 'Writing the documentation' },
  tests: { label: 'Tests', description: 'Writing the tests' },
  fix: { label: 'Fix', description: 'Fixing what the tests found' },
};
