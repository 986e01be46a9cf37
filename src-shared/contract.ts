import { z } from 'zod';
import { appInfoSchema } from './domain/appInfo.ts';
import { auditRowSchema, auditVerdictSchema } from './domain/audit.ts';
import { budgetRefSchema, budgetSchema, budgetStatusSchema, budgetTimeZoneSchema, cacheStatsSchema } from './domain/budget.ts';
import { projectIdSchema, projectNameSchema, projectSchema } from './domain/project.ts';
import { settingsPatchSchema, settingsSchema } from './domain/settings.ts';
import { apiKeySchema, providerIdSchema, routingSchema } from './domain/provider.ts';
import { providerConfigInputSchema } from './domain/providerConfigInput.ts';
import { routingStrategiesSchema } from './domain/balanceStrategy.ts';
import { providerTypeInfoSchema } from './domain/providerTypeInfo.ts';
import { specDraftSchema } from './domain/serviceSpec.ts';
import { slotIds } from './interview/interviewSlots.ts';
import { engineStatusSchema, imageReferenceSchema, maxRepairRounds, maxTestTimeoutSeconds, repairViewSchema, sandboxEventSchema, testRunViewSchema } from './sandbox/sandboxTypes.ts';
import { fileVersionSchema, maxConcurrency, pipelineEventSchema, runViewSchema } from './pipeline/pipelineTypes.ts';
import { answerSchema, interviewEventSchema, interviewStateSchema, specCheckSchema } from './interview/interviewTypes.ts';
import { ollamaChannels, ollamaEvents } from './domain/ollama.ts';
import { usageChannels } from './domain/usage.ts';
import { keyCheckSchema } from './domain/keyCheck.ts';
import { setupApplyResultSchema, setupChoiceSchema, setupDetectionSchema, setupStatusSchema, taskAnswerSchema } from './domain/setup.ts';
import { catalogViewSchema } from './domain/modelCatalog.ts';
import { providerHealthSchema } from './domain/providerHealth.ts';
import { attemptViewSchema, downloadProgressSchema, localModelSchema, modelRemovalSchema, priceListSchema, priceSchema, providerStatusSchema, routingViewSchema } from './domain/providerStatus.ts';

/** A request/response channel: what the caller sends and what comes back inside the envelope. */
export interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

const noInput = z.undefined({ message: 'This channel takes no input' });
const turnIdSchema = z.number().int().positive();
const runIdSchema = z.string().min(1).max(100);
const concurrencySchema = z.number().int().min(1).max(maxConcurrency);
const testRunOptions = {
  image: imageReferenceSchema.optional(),
  timeoutSeconds: z.number().int().min(1).max(maxTestTimeoutSeconds).optional(),
  allowNetworkInstall: z.boolean().optional(),
};
const specViewSchema = z.object({ spec: specDraftSchema, check: specCheckSchema });

/**
 * The one place channels are named. Electron's ipcMain, the preload, the loopback bridge and the
 * renderer client are all generated from these maps, so a channel cannot exist on one transport
 * and not the other. Names are `area.verb`.
 */
export const contract = {
  'app.info': { input: noInput, output: appInfoSchema },
  'projects.list': { input: noInput, output: z.array(projectSchema) },
  'projects.get': { input: z.object({ id: projectIdSchema }).strict(), output: projectSchema },
  'projects.create': { input: z.object({ name: projectNameSchema }).strict(), output: projectSchema },
  'projects.rename': {
    input: z.object({ id: projectIdSchema, name: projectNameSchema }).strict(),
    output: projectSchema,
  },
  'projects.delete': {
    input: z.object({ id: projectIdSchema }).strict(),
    output: z.object({ id: projectIdSchema }),
  },
  /** Keeps a project's model calls on this machine (or lets them follow the privacy mode again). */
  'projects.setLocalOnly': {
    input: z.object({ id: projectIdSchema, localOnly: z.boolean() }).strict(),
    output: projectSchema,
  },
  /** The audit trail of requests that left the machine, newest first. */
  'audit.list': { input: z.object({ limit: z.number().int().min(1).max(10_000).optional() }).strict().optional(), output: z.array(auditRowSchema) },
  /** Walks the audit trail's hash chain: ok, or the first row that was changed, deleted or moved. */
  'audit.verify': { input: noInput, output: auditVerdictSchema },
  /** Every budget with what its current period has used (settled calls and calls under way). */
  'budgets.list': { input: noInput, output: z.array(budgetStatusSchema) },
  /** Sets (or changes) one budget; the list after. */
  'budgets.set': { input: budgetSchema, output: z.array(budgetStatusSchema) },
  'budgets.clear': { input: budgetRefSchema, output: z.object({ cleared: z.boolean(), budgets: z.array(budgetStatusSchema) }) },
  /** The time zone whose midnight begins budgets' days and months (one per data folder); with `zone`, changes it first. */
  'budgets.timeZone': { input: z.object({ zone: budgetTimeZoneSchema.optional() }).strict(), output: z.object({ zone: z.string() }) },
  /** The response cache: entries, size and how often it answered. */
  'cache.stats': { input: noInput, output: cacheStatsSchema },
  /** Empties the response cache (its statistics start again). */
  'cache.clear': { input: noInput, output: z.object({ removed: z.number().int() }) },
  'settings.get': { input: noInput, output: settingsSchema },
  'settings.set': { input: settingsPatchSchema, output: settingsSchema },
  'providers.list': {
    input: noInput,
    output: z.object({ providers: z.array(providerStatusSchema), invalid: z.array(z.object({ id: z.string(), problem: z.string() })) }),
  },
  /** The provider types main knows (each descriptor's serialisable part): the form is built from it. */
  'providers.types': { input: noInput, output: z.array(providerTypeInfoSchema).max(50) },
  'providers.add': {
    input: z.object({ config: providerConfigInputSchema, apiKey: apiKeySchema.optional() }).strict(),
    output: providerStatusSchema,
  },
  'providers.update': { input: z.object({ config: providerConfigInputSchema }).strict(), output: providerStatusSchema },
  'providers.remove': { input: z.object({ id: providerIdSchema }).strict(), output: z.object({ id: providerIdSchema }) },
  'providers.setKey': { input: z.object({ id: providerIdSchema, apiKey: apiKeySchema }).strict(), output: providerStatusSchema },
  'providers.removeKey': { input: z.object({ id: providerIdSchema }).strict(), output: providerStatusSchema },
  'providers.test': { input: z.object({ id: providerIdSchema }).strict(), output: providerStatusSchema },
  /** "Check key" before saving: one model-list request with the unsaved configuration and key (refused where the privacy mode forbids contact). */
  'providers.checkKey': { input: z.object({ config: providerConfigInputSchema, apiKey: apiKeySchema.optional() }).strict(), output: keyCheckSchema },
  'models.list': { input: noInput, output: z.array(localModelSchema) },
  'models.import': { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: localModelSchema },
  'models.download': {
    input: z.object({ uri: z.string().min(1).max(2048) }).strict(),
    output: z.object({ downloadId: z.string() }),
  },
  'models.cancelDownload': { input: z.object({ downloadId: z.string().max(100) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** The shipped model catalogue with each file's fit for this machine (GGUF headers read when online; `refresh` reads them again). */
  'models.catalog': { input: z.object({ refresh: z.boolean().optional() }).strict().optional(), output: catalogViewSchema },
  /** Downloads running now and paused ones (kept across restarts), oldest first. */
  'models.downloads': { input: noInput, output: z.array(downloadProgressSchema).max(100) },
  'models.pauseDownload': { input: z.object({ downloadId: z.string().max(100) }).strict(), output: z.object({ paused: z.boolean() }) },
  'models.resumeDownload': { input: z.object({ downloadId: z.string().max(100) }).strict(), output: z.object({ downloadId: z.string() }) },
  /** Deletes a model from the app's models folder; refused (CONFLICT, naming the routes) while routing uses it unless `force`. */
  'models.remove': { input: z.object({ id: z.string().min(1).max(200), force: z.boolean().optional() }).strict(), output: modelRemovalSchema },
  ...ollamaChannels,
  'routing.get': { input: noInput, output: routingViewSchema },
  'routing.set': { input: z.object({ routing: routingSchema, strategies: routingStrategiesSchema.optional() }).strict(), output: routingViewSchema },
  /** Which model answers each task now and why, in words. */
  'routing.explain': { input: noInput, output: z.array(taskAnswerSchema) },
  /** First-run setup: whether a usable target exists (cheap, no network); detect looks at loopback servers and the hardware. */
  'setup.status': { input: noInput, output: setupStatusSchema },
  'setup.detect': { input: noInput, output: setupDetectionSchema },
  'setup.apply': { input: z.object({ choice: setupChoiceSchema }).strict(), output: setupApplyResultSchema },
  'setup.skip': { input: noInput, output: setupStatusSchema },
  'pricing.list': { input: noInput, output: priceListSchema },
  'pricing.set': { input: priceSchema.strict(), output: priceListSchema },
  'pricing.reset': { input: z.object({ model: z.string().min(1).max(200) }).strict(), output: priceListSchema },
  /** Each target's latency (p50/p95), error rate and breaker over the last hour and day. */
  'providers.health': { input: noInput, output: providerHealthSchema },
  'usage.attempts': {
    /** `kind`: only calls that reached a provider, or only the targets the router skipped (each with its own limit). */
    input: z.object({ limit: z.number().int().min(1).max(1000), kind: z.enum(['calls', 'skipped']).optional() }).strict().optional(),
    output: z.array(attemptViewSchema),
  },
  ...usageChannels,
  'interview.get': { input: z.object({ projectId: projectIdSchema }).strict(), output: interviewStateSchema },
  /** Asks the model for the next question (or returns the pending one); streams `interview.event`. */
  'interview.next': { input: z.object({ projectId: projectIdSchema }).strict(), output: interviewStateSchema },
  'interview.answer': {
    input: z.object({ projectId: projectIdSchema, turnId: turnIdSchema, answer: answerSchema }).strict(),
    output: interviewStateSchema,
  },
  /** Changes an earlier answer; what builds on it is cleared (listed in `cleared`) and asked again. */
  'interview.edit': {
    input: z.object({ projectId: projectIdSchema, turnId: turnIdSchema, answer: answerSchema }).strict(),
    output: z.object({ state: interviewStateSchema, cleared: z.array(z.enum(slotIds)) }),
  },
  'interview.cancel': { input: z.object({ projectId: projectIdSchema }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'interview.reset': { input: z.object({ projectId: projectIdSchema }).strict(), output: interviewStateSchema },
  'spec.get': { input: z.object({ projectId: projectIdSchema }).strict(), output: specViewSchema },
  'spec.set': { input: z.object({ projectId: projectIdSchema, spec: specDraftSchema }).strict(), output: specViewSchema },
  /** A spec file's text (any known version; older ones are migrated). */
  'spec.import': {
    input: z.object({ projectId: projectIdSchema, json: z.string().max(1_000_000, 'A spec file is at most 1 MB') }).strict(),
    output: specViewSchema.extend({ migratedFrom: z.number().int().optional(), dropped: z.array(z.string()) }),
  },
  'spec.export': {
    input: z.object({ projectId: projectIdSchema }).strict(),
    output: z.object({ fileName: z.string(), json: z.string(), check: specCheckSchema }),
  },
  /** A new run: the model plans the project from the (complete) spec; the run then waits for review and `pipeline.start`. */
  'pipeline.plan': {
    /** `fresh`: a regenerate, every call of the run asks the model again (never answered from the response cache). */
    input: z.object({ projectId: projectIdSchema, spec: specDraftSchema.optional(), concurrency: concurrencySchema.optional(), fresh: z.boolean().optional() }).strict(),
    output: runViewSchema,
  },
  /** The user's edit of the plan (add, remove, rename, change purpose); checked like the model's. */
  'pipeline.updatePlan': { input: z.object({ runId: runIdSchema, plan: z.unknown() }).strict(), output: runViewSchema },
  /** Starts generating in the background; progress streams as `pipeline.event`. */
  'pipeline.start': { input: z.object({ runId: runIdSchema, concurrency: concurrencySchema.optional() }).strict(), output: runViewSchema },
  /** Resolves when the run stops working (done, failed, paused, cancelled). */
  'pipeline.wait': { input: z.object({ runId: runIdSchema }).strict(), output: runViewSchema },
  'pipeline.pause': { input: z.object({ runId: runIdSchema }).strict(), output: runViewSchema },
  'pipeline.resume': { input: z.object({ runId: runIdSchema, concurrency: concurrencySchema.optional() }).strict(), output: runViewSchema },
  'pipeline.cancel': { input: z.object({ runId: runIdSchema }).strict(), output: runViewSchema },
  'pipeline.get': { input: z.object({ runId: runIdSchema }).strict(), output: runViewSchema },
  /** The project's runs, newest first. */
  'pipeline.list': { input: z.object({ projectId: projectIdSchema }).strict(), output: z.array(runViewSchema) },
  /** Every version of one file (drafts, formatting, fixes), oldest first, for the diff view. */
  'pipeline.fileVersions': { input: z.object({ runId: runIdSchema, path: z.string().min(1).max(400) }).strict(), output: z.array(fileVersionSchema) },
  /** Writes a finished run to a folder (or a zip) with its provenance. */
  'pipeline.export': {
    input: z
      .object({
        runId: runIdSchema,
        outDir: z.string().trim().min(1, 'choose a folder').max(4096),
        zip: z.boolean().optional(),
        force: z.boolean().optional(),
        gitInit: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ path: z.string(), files: z.number().int(), bytes: z.number().int(), commit: z.string().optional(), leftoverBackup: z.string().optional() }),
  },
  /** The folder an export goes to unless the user picks another: Documents/Service Creator/<project name made safe>, in the core's home folder. */
  'pipeline.exportFolder': { input: z.object({ projectName: z.string().min(1).max(200) }).strict(), output: z.object({ path: z.string() }) },
  /** The system's folder picker: the desktop app only; elsewhere `available: false` (type the path instead). */
  'pipeline.pickExportFolder': {
    input: z.object({ defaultPath: z.string().max(4096).optional() }).strict(),
    output: z.object({ available: z.boolean(), path: z.string().nullable() }),
  },
  /** Shows a folder (or zip) this app exported to in this session in the system's file manager: the desktop app only; elsewhere `available: false`. */
  'pipeline.openExportFolder': { input: z.object({ path: z.string().min(1).max(4096) }).strict(), output: z.object({ available: z.boolean() }) },
  /** Whether a container engine answers, with its version (never fails: a stopped engine is a status). */
  'sandbox.status': { input: noInput, output: engineStatusSchema },
  /** Runs a finished run's tests in the sandbox, in the background; the log streams as `sandbox.event`. */
  'tests.run': { input: z.object({ runId: runIdSchema, ...testRunOptions }).strict(), output: testRunViewSchema },
  'tests.wait': { input: z.object({ testRunId: runIdSchema }).strict(), output: testRunViewSchema },
  'tests.cancel': { input: z.object({ testRunId: runIdSchema }).strict(), output: testRunViewSchema },
  'tests.get': { input: z.object({ testRunId: runIdSchema }).strict(), output: testRunViewSchema },
  /** A run's test runs, newest first, without their logs. */
  'tests.list': { input: z.object({ runId: runIdSchema }).strict(), output: z.array(testRunViewSchema) },
  /** Runs the tests, then asks for fixes of what fails, in bounded rounds, in the background. */
  'repair.start': { input: z.object({ runId: runIdSchema, rounds: z.number().int().min(1).max(maxRepairRounds).optional(), ...testRunOptions }).strict(), output: repairViewSchema },
  'repair.wait': { input: z.object({ repairId: runIdSchema }).strict(), output: repairViewSchema },
  'repair.cancel': { input: z.object({ repairId: runIdSchema }).strict(), output: repairViewSchema },
  'repair.get': { input: z.object({ repairId: runIdSchema }).strict(), output: repairViewSchema },
  'repair.list': { input: z.object({ runId: runIdSchema }).strict(), output: z.array(repairViewSchema) },
} as const satisfies Record<`${string}.${string}`, ChannelSpec>;

/** Streams from the core to every connected UI. Names are `area.event`. */
export const events = {
  'projects.changed': z.object({
    kind: z.enum(['created', 'renamed', 'updated', 'deleted']),
    id: projectIdSchema,
  }),
  'settings.changed': settingsSchema,
  /** A provider's status moved (health checked, circuit opened/closed, key rejected, config changed). */
  'providers.changed': z.object({ id: z.string() }),
  /** Which task goes where changed (targets, weights, strategies), here or by another process (the CLI): ask `routing.get` again. */
  'routing.changed': z.object({}),
  /** A budget was set, changed or cleared, or the budgets' time zone changed, here or by another process: ask `budgets.list` again. */
  'budgets.changed': z.object({}),
  /** A user's price was set or reset, here or by another process: ask `pricing.list` again. */
  'pricing.changed': z.object({}),
  /**
   * Model calls were recorded (`calls`: ask `usage.attempts`, `usage.summary` and `providers.health` again), or
   * what budgets have used moved (`spend`: a call's cost written, a reservation taken or given back: ask
   * `budgets.list` again), here or by another process (the CLI, another `serve`).
   */
  'usage.changed': z.object({ calls: z.boolean(), spend: z.boolean() }),
  /** The response cache's figures moved (answers kept, looked up, evicted, cleared), here or by another process: ask `cache.stats` again. */
  'cache.changed': z.object({}),
  /** A budget passed 80 % of its limit in this period (said once per budget and period by each process). */
  'budgets.warning': budgetStatusSchema,
  'models.downloadProgress': downloadProgressSchema,
  ...ollamaEvents,
  /** Interview progress of one project: streamed explanation text, restarts, and "state changed". */
  'interview.event': interviewEventSchema,
  /** Another process (the CLI's `interview --answers`) asked or answered a question of this project's interview: ask `interview.get` again. */
  'interview.turnsChanged': z.object({ projectId: z.string() }),
  /** Generation progress of one run: file text as it is written, file outcomes, "state changed". */
  'pipeline.event': pipelineEventSchema,
  /** Another process (the CLI's `plan`, `generate`) created a run, or moved it on (a file written, its status, its plan): ask `pipeline.list` again. */
  'pipeline.runChanged': z.object({ projectId: z.string(), runId: z.string() }),
  /** Sandbox output and state: test-run log text as it comes, test runs and repairs that changed. */
  'sandbox.event': sandboxEventSchema,
} as const satisfies Record<`${string}.${string}`, z.ZodType>;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const channelNames = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
