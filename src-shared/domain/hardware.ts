import { z } from 'zod';

/**
 * What this machine offers a local model: the GPU backend llama.cpp would use, its memory and the
 * system's. Measured in main (src-main/providers/hardware/detectHardware.ts); shared so the setup
 * screen, the catalogue and the CLI's JSON say the same thing.
 */
export const gpuTypes = ['cuda', 'vulkan', 'metal'] as const;
export type GpuType = (typeof gpuTypes)[number];

/** Where the numbers came from: node-llama-cpp's binding, the OS only (no binding), or an override. */
export const hardwareSources = ['node-llama-cpp', 'os', 'override'] as const;
export type HardwareSource = (typeof hardwareSources)[number];

const bytes = z.number().int().nonnegative();

export const hardwareInfoSchema = z
  .object({
    /** `false`: no GPU llama.cpp can use; models run on the CPU. */
    gpu: z.union([z.enum(gpuTypes), z.literal(false)]),
    /** The GPU's total memory; 0 without a GPU. */
    vramBytes: bytes,
    ramBytes: bytes,
    freeRamBytes: bytes,
    cores: z.number().int().positive(),
    source: z.enum(hardwareSources),
    /** In words, when detection fell back (e.g. why the GPU could not be asked). */
    note: z.string().max(400).optional(),
  })
  .strict();
export type HardwareInfo = z.infer<typeof hardwareInfoSchema>;

/**
 * An override (tests, or a user pretending to be a smaller machine): any subset of the measured
 * fields. Given as JSON in SC_HARDWARE_OVERRIDE or as detectHardware's `override` option.
 */
export const hardwareOverrideSchema = hardwareInfoSchema.pick({ gpu: true, vramBytes: true, ramBytes: true, freeRamBytes: true, cores: true }).partial().strict();
export type HardwareOverride = z.infer<typeof hardwareOverrideSchema>;
