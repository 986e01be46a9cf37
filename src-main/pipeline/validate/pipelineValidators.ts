import type { Validators } from '../PipelineContext.ts';
// Small (no checker is loaded or started by importing it): the checkers start on first need.
import { prepareProjectCheck, projectCheckWarm, releaseProjectCheck } from '../typecheck/projectChecker.ts';

/**
 * The real checks of generated files, as the pipeline calls them. Each check's module (with
 * prettier, the tree-sitter runtime and the YAML/TOML parsers behind it) is imported on the first
 * check, not when the core is built: a face that validates nothing (`projects list`, the app
 * showing its projects) never loads them.
 */
export const pipelineValidators: Validators = {
  validateFile: async (file, project) => (await import('./validateFile.ts')).validateFile(file, project),
  checkConsistency: async (files, plan) => (await (await import('./checkConsistency.ts')).checkConsistency(files, plan)).map(({ path, line, message }) => ({ path, line, message })),
  exportedSignatures: async (file) => (await import('./exportedSignatures.ts')).exportedSignatures(file),
  checkProject: async (files, options) => (await import('../typecheck/projectCheckProblems.ts')).projectCheckProblems(files, options),
  prepareProjectCheck: (runId, languages, planned) => prepareProjectCheck(runId, languages, planned),
  projectCheckWarm: (runId, languages) => projectCheckWarm(runId, languages),
  releaseProjectCheck: (runId) => releaseProjectCheck(runId),
};
