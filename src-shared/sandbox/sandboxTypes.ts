import { z } from 'zod';

/** Languages the sandbox has an image for. */
export const sandboxLanguages = ['python', 'node'] as const;
export type SandboxLanguage = (typeof sandboxLanguages)[number];

/** The image each language runs in; `service-creator sandbox build-image` makes the Python one offline. */
export const defaultSandboxImages: Record<SandboxLanguage, string> = {
  python: 'service-creator/sandbox-python:dev',
  node: 'node:24-bookworm-slim',
};

// An image reference as Docker reads it: [registry[:port]/]path[:tag][@digest], lower-case path.
const registry = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?/)?`;
const pathComponent = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const imageReferencePattern = new RegExp(String.raw`^${registry}${pathComponent}(?:/${pathComponent})*(?::\w[\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/**
 * A container image name (`service-creator/sandbox-python:dev`, `registry:5000/team/node:24`,
 * `name@sha256:...`), checked before it reaches the engine or a command line, so a value such as
 * `--help` or one with spaces is refused with a clear message.
 */
export const imageReferenceSchema = z
  .string()
  .trim()
  .min(1, 'an image name is empty')
  .max(300, 'an image name is at most 300 characters')
  .regex(imageReferencePattern, 'not an image name (expected e.g. service-creator/sandbox-python:dev or registry:5000/team/image:tag)');

/** A test run's wall-clock limit in seconds, as people set it: 1 to this. */
export const maxTestTimeoutSeconds = 3600;
/** Fix rounds of a repair: 1 to max, default when not given. */
export const defaultRepairRounds = 3;
export const maxRepairRounds = 10;

export const sandboxLimitsSchema = z.object({
  memoryBytes: z.number().int().min(64 * 1024 * 1024).max(16 * 1024 * 1024 * 1024),
  cpus: z.number().min(0.1).max(16),
  pids: z.number().int().min(16).max(4096),
  timeoutMs: z.number().int().min(1000).max(maxTestTimeoutSeconds * 1000),
  /** Bytes of stdout + stderr kept; the rest is dropped and the cut is said in the log. */
  logBytes: z.number().int().min(1024).max(64 * 1024 * 1024),
});
export type SandboxLimits = z.infer<typeof sandboxLimitsSchema>;

export const defaultSandboxLimits: SandboxLimits = {
  memoryBytes: 512 * 1024 * 1024,
  cpus: 1,
  pids: 256,
  timeoutMs: 5 * 60 * 1000,
  logBytes: 1024 * 1024,
};

export const engineStatusSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), version: z.string(), apiVersion: z.string(), os: z.string(), endpoint: z.string() }),
  z.object({ ok: z.literal(false), message: z.string(), endpoint: z.string() }),
]);
export type EngineStatus = z.infer<typeof engineStatusSchema>;

export const testCaseStatuses = ['passed', 'failed', 'error', 'skipped'] as const;
export const testCaseSchema = z.object({
  /** `classname::name` as the report gives them. */
  name: z.string(),
  classname: z.string().optional(),
  file: z.string().optional(),
  status: z.enum(testCaseStatuses),
  durationMs: z.number(),
  message: z.string().optional(),
  /** The failure's details (traceback), capped. */
  details: z.string().optional(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

/**
 * The test that was running when a limit (time, memory, processes) stopped the run, as the
 * sandbox's probe saw it: its name, its file (project path), and the threads' stacks at the last
 * dump before the stop (pytest only; project paths relative, most recent call first).
 */
export const runawayTestSchema = z.object({
  name: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  stacks: z.string().optional(),
});
export type RunawayTest = z.infer<typeof runawayTestSchema>;

/**
 * How a sandbox run ended. `passed`/`failed`: a test report was read; `no-report`: the command
 * ended without one (see exitCode and the log); `timeout`, `oom`, `pids`: the limit that stopped
 * it; `error`: the run could not be made (no image, engine gone).
 */
export const sandboxOutcomes = ['passed', 'failed', 'no-report', 'timeout', 'oom', 'pids', 'error'] as const;
export type SandboxOutcome = (typeof sandboxOutcomes)[number];

export const sandboxResultSchema = z.object({
  outcome: z.enum(sandboxOutcomes),
  exitCode: z.number().int().nullable(),
  cases: z.array(testCaseSchema),
  summary: z.object({ passed: z.number().int(), failed: z.number().int(), errors: z.number().int(), skipped: z.number().int() }),
  /** stdout and stderr interleaved as they came, capped at logBytes. */
  log: z.string(),
  logTruncated: z.boolean(),
  durationMs: z.number(),
  image: z.string(),
  /** Whether the install step ran (it needs network, which policy may forbid). */
  installed: z.boolean(),
  /** Why the install step was skipped, when it was. */
  installNote: z.string().optional(),
  /**
   * The install step, when it ended the run before the tests ran (it exited non-zero, ran past the
   * time limit or out of memory): the project's doing, not the engine's.
   */
  failedStep: z.literal('install').optional(),
  message: z.string().optional(),
  /** The test that was running when a limit stopped the run, when the probe saw one. */
  runaway: runawayTestSchema.optional(),
  /** The limits the run had (absent in results stored before they were recorded). */
  limits: sandboxLimitsSchema.optional(),
});
export type SandboxResult = z.infer<typeof sandboxResultSchema>;

/** Live output of a sandbox run. */
export const sandboxEventSchema = z.discriminatedUnion('kind', [
  z.object({ testRunId: z.string(), kind: z.literal('log'), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  z.object({ testRunId: z.string(), kind: z.literal('changed') }),
  z.object({ testRunId: z.string(), kind: z.literal('pull'), status: z.string(), current: z.number().optional(), total: z.number().optional() }),
  /** A repair moved on (a round started or ended, or it finished). */
  z.object({ repairId: z.string(), kind: z.literal('repair-changed') }),
]);
export type SandboxEvent = z.infer<typeof sandboxEventSchema>;

export const testRunStatuses = ['running', 'finished', 'cancelled', 'interrupted'] as const;

/** One sandbox run of a generated project's tests. `result` is null while it runs or when it could not finish. */
export const testRunViewSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  pipelineRunId: z.string(),
  repairId: z.string().optional(),
  status: z.enum(testRunStatuses),
  image: z.string(),
  result: sandboxResultSchema.omit({ log: true }).nullable(),
  /** The capped log; empty in lists. */
  log: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type TestRunView = z.infer<typeof testRunViewSchema>;

export const repairStatuses = ['running', 'green', 'stopped', 'failed', 'cancelled', 'interrupted'] as const;

export const repairRoundSchema = z.object({
  round: z.number().int(),
  /** Each file a fix was asked for, and what became of the answer. */
  changed: z.array(
    z.object({
      path: z.string(),
      outcome: z.enum(['changed', 'unchanged', 'invalid', 'failed']),
      note: z.string().optional(),
      /** Why this file was chosen: the evidence from the failures, in words. */
      why: z.string().optional(),
    }),
  ),
  testRunId: z.string().optional(),
  passed: z.number().int(),
  failed: z.number().int(),
  note: z.string().optional(),
  createdAt: z.string(),
});
export type RepairRound = z.infer<typeof repairRoundSchema>;

export const repairViewSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  pipelineRunId: z.string(),
  status: z.enum(repairStatuses),
  maxRounds: z.number().int(),
  note: z.string().optional(),
  rounds: z.array(repairRoundSchema),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export type RepairView = z.infer<typeof repairViewSchema>;
