import { availableParallelism, freemem, totalmem } from 'node:os';
import { AppError } from '../../../src-shared/AppError.ts';
import { hardwareOverrideSchema, type GpuType, type HardwareInfo, type HardwareOverride } from '../../../src-shared/domain/hardware.ts';

/** The part of node-llama-cpp's `Llama` this reads (a stand-in can be passed in tests). */
export interface HardwareProbe {
  readonly gpu: GpuType | false;
  getVramState(): Promise<{ total: number }>;
  dispose(): Promise<void>;
}

export interface DetectHardwareOptions {
  /** Fields that win over what is measured; when gpu, vramBytes and ramBytes are all given, nothing is measured. */
  override?: HardwareOverride;
  /** Read for SC_HARDWARE_OVERRIDE (JSON of the override); default process.env. An explicit `override` wins. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Loads the binding; default node-llama-cpp's getLlama with gpu 'auto' and no build. */
  loadProbe?: () => Promise<HardwareProbe>;
  /** Measure again instead of using this process's cached result. */
  refresh?: boolean;
}

export const hardwareOverrideEnv = 'SC_HARDWARE_OVERRIDE';

let cached: Promise<HardwareInfo> | undefined;

/**
 * This machine's GPU backend, VRAM, RAM and cores, as llama.cpp sees them: node-llama-cpp picks
 * the GPU backend it can load ('auto') and reports its memory; the OS reports RAM and cores. When
 * the binding cannot be loaded the answer is CPU-only from the OS, with a note saying why.
 * Measured once per process (loading the binding takes a second or more); an override (option or
 * SC_HARDWARE_OVERRIDE) replaces the fields it names, so tests can be a 16 GB laptop.
 * Throws AppError INVALID_INPUT when SC_HARDWARE_OVERRIDE is not a valid override.
 */
export async function detectHardware(options: DetectHardwareOptions = {}): Promise<HardwareInfo> {
  const override = options.override ?? overrideFromEnv(options.env ?? process.env);
  if (override !== undefined && override.gpu !== undefined && override.vramBytes !== undefined && override.ramBytes !== undefined) {
    return {
      gpu: override.gpu,
      vramBytes: override.gpu === false ? 0 : override.vramBytes,
      ramBytes: override.ramBytes,
      // A pretend machine is an idle one: all its memory is free unless the override says otherwise.
      freeRamBytes: Math.min(override.freeRamBytes ?? override.ramBytes, override.ramBytes),
      cores: override.cores ?? availableParallelism(),
      source: 'override',
    };
  }
  if (options.refresh === true || options.loadProbe !== undefined || cached === undefined) {
    const measuring = measure(options.loadProbe ?? loadLlamaProbe);
    if (options.loadProbe === undefined) cached = measuring;
    const measured = await measuring;
    return override === undefined ? measured : applyOverride(measured, override);
  }
  const measured = await cached;
  return override === undefined ? measured : applyOverride(measured, override);
}

function applyOverride(measured: HardwareInfo, override: HardwareOverride): HardwareInfo {
  const result: HardwareInfo = { ...measured, ...override, source: 'override' };
  if (result.gpu === false) result.vramBytes = 0;
  result.freeRamBytes = Math.min(result.freeRamBytes, result.ramBytes);
  return result;
}

function overrideFromEnv(env: Readonly<Record<string, string | undefined>>): HardwareOverride | undefined {
  const text = env[hardwareOverrideEnv];
  if (text === undefined || text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${hardwareOverrideEnv} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = hardwareOverrideSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_INPUT', `${hardwareOverrideEnv} is not a hardware override: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || 'value'}: ${issue.message}`}`);
  }
  return parsed.data;
}

async function loadLlamaProbe(): Promise<HardwareProbe> {
  // node-llama-cpp is slow to import: only a process that asks about the hardware pays for it.
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  return getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error });
}

async function measure(loadProbe: () => Promise<HardwareProbe>): Promise<HardwareInfo> {
  const ram = { ramBytes: totalmem(), freeRamBytes: Math.min(freemem(), totalmem()), cores: Math.max(1, availableParallelism()) };
  let probe: HardwareProbe;
  try {
    probe = await loadProbe();
  } catch (error) {
    return { gpu: false, vramBytes: 0, ...ram, source: 'os', note: `the llama.cpp binding could not be loaded, so no GPU was looked for: ${firstLine(error)}` };
  }
  try {
    const gpu = probe.gpu;
    const vramBytes = gpu === false ? 0 : Math.max(0, Math.floor((await probe.getVramState()).total));
    return { gpu, vramBytes, ...ram, source: 'node-llama-cpp' };
  } catch (error) {
    return { gpu: false, vramBytes: 0, ...ram, source: 'os', note: `the GPU's memory could not be read: ${firstLine(error)}` };
  } finally {
    // The app's llama.cpp provider loads its own when it runs a model; this one would only hold
    // a GPU context open.
    await probe.dispose().catch(() => undefined);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
