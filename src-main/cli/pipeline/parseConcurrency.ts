import { maxConcurrency } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { wholeNumberOption } from '../wholeNumberOption.ts';

/** `--concurrency N`: how many files are written at once, a whole number from 1 to 16. */
export const parseConcurrency = wholeNumberOption(1, maxConcurrency);
