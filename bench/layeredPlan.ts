import type { Plan, PlanFile } from '../src-shared/pipeline/plan.ts';

/**
 * A plan whose dependency graph is `width` wide and `layers` deep, and each file's content as a
 * scripted model would write it (for bench/pipelineParallel.ts). Layer 0 files depend on nothing;
 * file i of layer n depends on files i and i+1 (mod width) of layer n-1 and imports their
 * functions. Files are small Python modules of a namespace package `pkg/` (no __init__.py, so
 * the plan holds exactly layers × width files); the last file of the last layer is the test file
 * the plan checker asks for. Every file passes the real validators and the cross-file checks.
 */
export function layeredPlan(layers = 3, width = 4): { plan: Plan; files: Record<string, string> } {
  const letter = (layer: number) => String.fromCharCode(97 + layer);
  const name = (layer: number, index: number) => `f_${letter(layer)}${index + 1}`;
  const isTest = (layer: number, index: number) => layer === layers - 1 && index === width - 1;
  const path = (layer: number, index: number) => (isTest(layer, index) ? 'tests/test_layers.py' : `pkg/${letter(layer)}${index + 1}.py`);
  const module = (layer: number, index: number) => `pkg.${letter(layer)}${index + 1}`;

  const planFiles: PlanFile[] = [];
  const files: Record<string, string> = {};
  for (let layer = 0; layer < layers; layer++) {
    for (let index = 0; index < width; index++) {
      const deps = layer === 0 ? [] : [...new Set([index, (index + 1) % width])].map((d) => [layer - 1, d] as const);
      const imports = deps.map(([l, d]) => `from ${module(l, d)} import ${name(l, d)}\n`).join('');
      const sum = deps.map(([l, d]) => `${name(l, d)}(x)`).join(' + ');
      const test = isTest(layer, index);
      const content = test
        ? `${imports}\n\ndef test_layers():\n    x = 1\n    assert ${sum} > 0\n`
        : `${imports}${imports === '' ? '' : '\n\n'}def ${name(layer, index)}(x: int) -> int:\n    return ${sum === '' ? 'x' : sum} + 1\n`;
      planFiles.push({
        path: path(layer, index),
        purpose: test ? 'Tests of the layered functions' : `Layer ${layer + 1} function ${index + 1}`,
        language: 'python',
        kind: test ? 'test' : 'source',
        dependsOn: deps.map(([l, d]) => path(l, d)),
        exports: test ? [] : [`def ${name(layer, index)}(x: int) -> int`],
      });
      files[path(layer, index)] = content;
    }
  }
  return { plan: { files: planFiles, install: '', test: 'pytest -q' }, files };
}
