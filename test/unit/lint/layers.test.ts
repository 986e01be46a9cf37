import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of eslint.config.js, run through ESLint's own API on snippets placed (by
// filePath) in the folder under test: each rule fires on a forbidden import, at any depth, static,
// re-exported, type-only or dynamic, and stays quiet on an allowed one.
const eslint = new ESLint({ overrideConfigFile: 'eslint.config.js' });

async function layerMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

interface Case {
  rule: string;
  file: string;
  forbidden: string;
  allowed: string;
}

const cases: Case[] = [
  { rule: 'layer: core is below the entry points', file: 'src-main/core/X.ts', forbidden: '../cli/runCli.ts', allowed: '../pipeline/PipelineService.ts' },
  { rule: 'layer: services import no entry point and no core', file: 'src-main/pipeline/X.ts', forbidden: '../core/createCore.ts', allowed: '../store/PipelineRepository.ts' },
  { rule: 'layer: services import no entry point and no core', file: 'src-main/interview/X.ts', forbidden: '../bridge/startBridge.ts', allowed: '../events/EventBus.ts' },
  { rule: 'layer: services call a model only through the gateway', file: 'src-main/pipeline/X.ts', forbidden: '../router/chatStructured.ts', allowed: '../gateway/ModelGateway.ts' },
  { rule: 'layer: services call a model only through the gateway', file: 'src-main/pipeline/repair/X.ts', forbidden: '../../providers/LlmProvider.ts', allowed: '../../modelCall/modelCallTypes.ts' },
  { rule: 'layer: services call a model only through the gateway', file: 'src-main/interview/X.ts', forbidden: '../router/Router.ts', allowed: '../gateway/ModelGateway.ts' },
  { rule: 'layer: sandbox only runs containers', file: 'src-main/sandbox/X.ts', forbidden: '../router/Router.ts', allowed: '../store/SandboxRepository.ts' },
  { rule: 'layer: sandbox only runs containers', file: 'src-main/sandbox/X.ts', forbidden: '../pipeline/PipelineContext.ts', allowed: './containerScript.ts' },
  { rule: 'layer: sandbox only runs containers', file: 'src-main/sandbox/X.ts', forbidden: '../gateway/Gateway.ts', allowed: '../events/EventBus.ts' },
  { rule: 'layer: export writes files and calls no model', file: 'src-main/export/X.ts', forbidden: '../providers/ProviderService.ts', allowed: '../paths/appPaths.ts' },
  { rule: 'layer: gateway imports no service', file: 'src-main/gateway/X.ts', forbidden: '../pipeline/PipelineService.ts', allowed: '../router/Router.ts' },
  { rule: 'layer: observability only watches', file: 'src-main/observability/X.ts', forbidden: '../gateway/ModelGateway.ts', allowed: '../store/AttemptHealthRepository.ts' },
  { rule: 'layer: observability only watches', file: 'src-main/observability/X.ts', forbidden: '../pipeline/PipelineService.ts', allowed: '../events/EventBus.ts' },
  { rule: 'layer: services import no entry point and no core', file: 'src-main/observability/X.ts', forbidden: '../core/createCore.ts', allowed: '../secrets/scrubSecrets.ts' },
  { rule: 'layer: store imports no service', file: 'src-main/store/X.ts', forbidden: '../observability/AppLog.ts', allowed: '../secrets/knownSecrets.ts' },
  { rule: 'layer: router and providers import no service', file: 'src-main/router/X.ts', forbidden: '../pipeline/answerLimits.ts', allowed: '../tokens/countTokens.ts' },
  { rule: 'layer: router and providers import no service', file: 'src-main/router/X.ts', forbidden: '../pipeline/PipelineService.ts', allowed: '../providers/ProviderError.ts' },
  { rule: 'layer: router and providers import no service', file: 'src-main/providers/X.ts', forbidden: '../gateway/Gateway.ts', allowed: '../modelCall/modelCallTypes.ts' },
  { rule: 'layer: router and providers import no service', file: 'src-main/providers/X.ts', forbidden: '../core/EventBus.ts', allowed: '../store/ProviderRepository.ts' },
  { rule: 'layer: store imports no service', file: 'src-main/store/X.ts', forbidden: '../pipeline/PipelineService.ts', allowed: '../paths/appPaths.ts' },
  { rule: 'layer: store imports no service', file: 'src-main/store/X.ts', forbidden: '../providers/ProviderService.ts', allowed: '../modelCall/modelCallTypes.ts' },
  { rule: 'layer: store imports no service', file: 'src-main/store/migrations/X.ts', forbidden: '../../interview/InterviewService.ts', allowed: '../Migration.ts' },
  { rule: 'layer: leaves (events, modelCall, paths, prompts, secrets, tokens) import no layer above them', file: 'src-main/events/X.ts', forbidden: '../core/createCore.ts', allowed: '../secrets/scrubSecrets.ts' },
  { rule: 'layer: leaves (events, modelCall, paths, prompts, secrets, tokens) import no layer above them', file: 'src-main/modelCall/X.ts', forbidden: '../store/AttemptRepository.ts', allowed: '../../src-shared/domain/provider.ts' },
];

describe('layer rules (eslint.config.js)', () => {
  for (const c of cases) {
    it(`${c.file}: '${c.forbidden}' breaks "${c.rule}", '${c.allowed}' does not`, async () => {
      for (const code of [`import { a } from '${c.forbidden}';`, `import type { A } from '${c.forbidden}';`, `export { a } from '${c.forbidden}';`, `await import('${c.forbidden}');`]) {
        const messages = await layerMessages(c.file, code);
        expect(messages, code).toHaveLength(1);
        expect(messages[0], code).toContain(c.rule);
      }
      expect(await layerMessages(c.file, `import { a } from '${c.allowed}';\nawait import('${c.allowed}');`)).toEqual([]);
    });
  }

  it('resolves relative paths by depth: a subfolder named like a layer is not that layer', async () => {
    // pipeline/repair/ reaching ../countTokens.ts stays inside pipeline; ../../sandbox/ is the sandbox folder.
    expect(await layerMessages('src-main/pipeline/repair/X.ts', `import { a } from '../countTokens.ts';\nimport { b } from '../../sandbox/TestRunService.ts';`)).toEqual([]);
    // From two folders deep, ../core/ is a subfolder of store (none exists), not src-main/core: only ../../core/ is.
    expect(await layerMessages('src-main/store/migrations/X.ts', `import { a } from '../core/thing.ts';`)).toEqual([]);
    const deep = await layerMessages('src-main/store/a/b/c/X.ts', `import { a } from '../../../../core/createCore.ts';`);
    expect(deep).toHaveLength(1);
    expect(deep[0]).toContain('layer: store imports no service');
  });

  it('keeps the top-level layers in every src-main folder: main never imports the renderer or preload', async () => {
    const messages = await layerMessages('src-main/store/X.ts', `import { a } from '../../src-renderer/App.tsx';`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('The core never imports the UI or the preload');
    expect(await layerMessages('src-renderer/X.ts', `import { a } from '../src-main/core/createCore.ts';`)).toHaveLength(1);
    expect(await layerMessages('src-preload/X.ts', `import { a } from '../src-main/core/createCore.ts';`)).toHaveLength(1);
  });

  it('lets the entry points and the composition root import what they wire', async () => {
    expect(await layerMessages('src-main/cli/commands/X.ts', `import { a } from '../../core/createCore.ts';\nimport { b } from '../sandbox/TestLog.ts';\nimport { c } from '../../router/Router.ts';`)).toEqual([]);
    expect(await layerMessages('src-main/core/X.ts', `import { a } from '../providers/ProviderService.ts';\nimport { b } from '../sandbox/TestRunService.ts';`)).toEqual([]);
  });
});
