import type { RepairService } from '../pipeline/repair/RepairService.ts';
import type { TestRunOptions, TestRunService } from '../sandbox/TestRunService.ts';
import type { Handlers } from './Handlers.ts';

type SandboxChannels = Extract<keyof Handlers, `sandbox.${string}` | `tests.${string}` | `repair.${string}`>;

function options(input: { image?: string | undefined; timeoutSeconds?: number | undefined; allowNetworkInstall?: boolean | undefined }): TestRunOptions {
  return {
    ...(input.image !== undefined ? { image: input.image } : {}),
    ...(input.timeoutSeconds !== undefined ? { timeoutMs: input.timeoutSeconds * 1000 } : {}),
    ...(input.allowNetworkInstall !== undefined ? { allowNetworkInstall: input.allowNetworkInstall } : {}),
  };
}

/** The sandbox, test-run and repair channels. */
export function createSandboxHandlers(tests: TestRunService, repairs: RepairService): Pick<Handlers, SandboxChannels> {
  return {
    'sandbox.status': () => tests.engineStatus(),
    'tests.run': (input) => tests.start(input.runId, options(input)),
    'tests.wait': ({ testRunId }) => tests.wait(testRunId),
    'tests.cancel': ({ testRunId }) => tests.cancel(testRunId),
    'tests.get': ({ testRunId }) => tests.get(testRunId),
    'tests.list': ({ runId }) => tests.list(runId),
    'repair.start': (input) => repairs.start(input.runId, { ...options(input), ...(input.rounds !== undefined ? { rounds: input.rounds } : {}) }),
    'repair.wait': ({ repairId }) => repairs.wait(repairId),
    'repair.cancel': ({ repairId }) => repairs.cancel(repairId),
    'repair.get': ({ repairId }) => repairs.get(repairId),
    'repair.list': ({ runId }) => repairs.list(runId),
  };
}
