import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { planSchema, type Plan } from '../../src-shared/pipeline/plan.ts';

/** The defect corpus (test/fixtures/defects): one folder per defect kind over a base project per language. */
export const defectCorpusDir = fileURLToPath(new URL('../fixtures/defects/', import.meta.url));

const defectSchema = z
  .object({
    base: z.enum(['python', 'typescript']),
    path: z.string().min(1),
    kind: z.string().min(1),
    description: z.string().min(1),
    /** Where a good pipeline catches it: its checks before the sandbox, or only the project's tests. */
    expected: z.enum(['pre-sandbox', 'sandbox']),
  })
  .strict();

export interface DefectKind {
  kind: string;
  language: 'python' | 'typescript';
  /** The one defective file. */
  path: string;
  description: string;
  expected: 'pre-sandbox' | 'sandbox';
  plan: Plan;
  /** The correct project: what the perfect fixer answers for every file. */
  good: Record<string, string>;
  /** The defective version of `path`. */
  bad: string;
}

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(root, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return files;
}

function readPlan(path: string): Plan {
  return planSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * Every defect kind of the corpus, sorted by name. A kind's good project is its language's base
 * (`_base/<language>/files` and `plan.json`) with the kind's own `good/` files and `plan.json`
 * over it, when it has them; `bad/<path>` is the one defective file.
 */
export function loadDefectCorpus(only?: readonly string[]): DefectKind[] {
  const kinds = readdirSync(defectCorpusDir)
    .filter((name) => !name.startsWith('_') && existsSync(join(defectCorpusDir, name, 'defect.json')))
    .filter((name) => only === undefined || only.length === 0 || only.includes(name))
    .sort();
  return kinds.map((name) => {
    const folder = join(defectCorpusDir, name);
    const defect = defectSchema.parse(JSON.parse(readFileSync(join(folder, 'defect.json'), 'utf8')));
    if (defect.kind !== name) throw new Error(`${name}/defect.json names the kind ${defect.kind}`);
    const base = join(defectCorpusDir, '_base', defect.base);
    const plan = readPlan(existsSync(join(folder, 'plan.json')) ? join(folder, 'plan.json') : join(base, 'plan.json'));
    const good = { ...readTree(join(base, 'files')), ...readTree(join(folder, 'good')) };
    const bad = readTree(join(folder, 'bad'));
    const planned = new Set(plan.files.map((file) => file.path));
    for (const path of Object.keys(good)) if (!planned.has(path)) throw new Error(`${name}: ${path} is not in the plan`);
    for (const path of planned) if (good[path] === undefined) throw new Error(`${name}: the plan's ${path} has no good version`);
    const badContent = bad[defect.path];
    if (badContent === undefined || Object.keys(bad).length !== 1) throw new Error(`${name}: bad/ must hold exactly ${defect.path}`);
    if (badContent === good[defect.path]) throw new Error(`${name}: the bad ${defect.path} is the good one`);
    return { kind: name, language: defect.base, path: defect.path, description: defect.description, expected: defect.expected, plan, good, bad: badContent };
  });
}
