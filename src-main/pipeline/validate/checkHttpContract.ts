import type { FileLanguage, PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { checkPlannedRoutes } from './checkPlannedRoutes.ts';
import { checkTestRequests } from './checkTestRequests.ts';
import type { ConsistencyFinding } from './ConsistencyFinding.ts';
import { projectRoutes } from './projectRoutes.ts';
import { isPytestFile } from './relativeImportProblem.ts';
import { pythonTestRequests } from './testRequests.ts';
import { withSyntaxTree } from './withSyntaxTree.ts';

/**
 * The project's HTTP surface against the plan: promised endpoints served with their method and
 * status, and the tests' requests and expected statuses against both. Nothing to say when the
 * project serves no routes and promises none.
 */
export async function checkHttpContract(files: readonly { path: string; language: FileLanguage; content: string }[], plan: readonly PlanFile[]): Promise<ConsistencyFinding[]> {
  const table = await projectRoutes(files);
  const findings = checkPlannedRoutes(plan, table);
  const tests = new Set(plan.filter((file) => file.kind === 'test').map((file) => file.path));
  for (const file of files) {
    if (file.language !== 'python' || !(tests.has(file.path) || isPytestFile(file.path))) continue;
    const requests = await withSyntaxTree('python', file.content, pythonTestRequests);
    findings.push(...checkTestRequests(file.path, requests, plan, table));
  }
  // A router mounted twice gives one route twice: one finding each.
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.path}\n${finding.line}\n${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
