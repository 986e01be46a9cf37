import type { Plan } from '../../../src-shared/pipeline/plan.ts';

/**
 * The plan for people, one line per file in plan order: path, kind, purpose, and the files it
 * builds on; then the install and test commands.
 */
export function describePlan(plan: Plan): string[] {
  const width = Math.min(48, Math.max(...plan.files.map((file) => file.path.length)));
  const kindWidth = Math.max(...plan.files.map((file) => file.kind.length));
  const lines = plan.files.map((file) => {
    const after = file.dependsOn.length > 0 ? `  (uses ${file.dependsOn.join(', ')})` : '';
    return `  ${file.path.padEnd(width)}  ${file.kind.padEnd(kindWidth)}  ${oneLine(file.purpose)}${after}`;
  });
  return [...lines, ...(plan.install ? [`Install: ${plan.install}`] : []), `Test: ${plan.test}`];
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}
