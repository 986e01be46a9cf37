import { defaultRepairRounds, defaultSandboxLimits, maxRepairRounds, maxTestTimeoutSeconds } from '../../../src-shared/sandbox/sandboxTypes.ts';
import type { WholeNumberBounds } from '../../ui/checkWholeNumber.ts';

/** The test timeout field: seconds, as the contract allows; the sandbox's default. */
export const timeoutBounds: WholeNumberBounds = { min: 1, max: maxTestTimeoutSeconds, label: 'Timeout' };
export const defaultTimeoutSeconds = defaultSandboxLimits.timeoutMs / 1000;
/** Repair rounds, as the contract allows, and the core's default. */
export const roundBounds: WholeNumberBounds = { min: 1, max: maxRepairRounds, label: 'Rounds' };
export const defaultRounds = defaultRepairRounds;
