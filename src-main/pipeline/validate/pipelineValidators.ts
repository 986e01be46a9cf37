import type { Validators } from '../PipelineContext.ts';
import { checkConsistency } from './checkConsistency.ts';
import { exportedSignatures } from './exportedSignatures.ts';
import { validateFile } from './validateFile.ts';

/** The real checks of generated files, as the pipeline calls them. */
export const pipelineValidators: Validators = {
  validateFile: (file, project) => validateFile(file, project),
  checkConsistency: async (files) => (await checkConsistency(files)).map(({ path, line, message }) => ({ path, line, message })),
  exportedSignatures: (file) => exportedSignatures(file),
};
