import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../src-shared/AppError.ts';
import type { SandboxLanguage } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { provenanceFilePath } from '../../export/prepareExportFiles.ts';

/** How to test a folder: the commands and the language (which picks the image). */
export interface DirTestPlan {
  test: string;
  install?: string;
  language: SandboxLanguage;
}

export interface DirTestOptions {
  command?: string;
  install?: string;
  language?: SandboxLanguage;
}

const maxProvenanceBytes = 16 * 1024 * 1024;

/** The parts of `.service-creator/provenance.json` (buildProvenance) a test needs; the rest is ignored. */
const provenanceSchema = z.object({
  plan: z.object({ test: z.string().optional(), install: z.string().optional() }).partial().optional(),
  spec: z.object({ target: z.object({ language: z.string().optional() }).partial().optional() }).partial().optional(),
});

/**
 * The test and install commands and the language for `service-creator test DIR`: the options
 * first, else what the export's provenance says (`plan.test`, `plan.install`, the spec's target
 * language: TypeScript runs in the Node image, anything else in the Python one), else Python.
 * Without a test command from either, the error says what to pass.
 */
export async function dirTestPlan(dir: string, options: DirTestOptions): Promise<DirTestPlan> {
  const file = join(resolve(dir), provenanceFilePath);
  const provenance = await readProvenance(file);
  const test = options.command?.trim() || provenance?.plan?.test?.trim() || undefined;
  if (test === undefined) {
    throw new AppError(
      'INVALID_INPUT',
      provenance === undefined
        ? `${resolve(dir)} has no ${provenanceFilePath} (an export writes one) to say how its tests run: pass the test command, e.g. --command "pytest -q"`
        : `${file} names no test command (plan.test): pass one, e.g. --command "pytest -q"`,
    );
  }
  const install = options.install?.trim() || (options.command === undefined ? provenance?.plan?.install?.trim() : undefined) || undefined;
  const target = provenance?.spec?.target?.language;
  const language: SandboxLanguage = options.language ?? (target === 'typescript' ? 'node' : 'python');
  return { test, ...(install ? { install } : {}), language };
}

async function readProvenance(file: string): Promise<z.infer<typeof provenanceSchema> | undefined> {
  const stats = await stat(file).catch(() => undefined);
  if (!stats) return undefined;
  if (!stats.isFile()) throw new AppError('INVALID_INPUT', `${file} is not a file`);
  if (stats.size > maxProvenanceBytes) throw new AppError('INVALID_INPUT', `${file} is ${stats.size} bytes; a provenance file is at most ${maxProvenanceBytes}`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new AppError('INVALID_INPUT', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it or pass --command`, { cause: error });
  }
  const parsed = provenanceSchema.safeParse(value);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `${file} is not a provenance file: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}
