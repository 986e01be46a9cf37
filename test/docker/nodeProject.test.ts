import { beforeAll, describe, expect, it } from 'vitest';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { pythonImage, testLimits, useSandboxEngine } from './sandboxTestEngine.ts';
import { ensureStandInNodeImage, standInNodeImage } from '../support/standInNodeImage.ts';

const engine = useSandboxEngine();

/** The offline stand-in for the Node image (test/support/standInNodeImage.ts). */
const nodeImage = standInNodeImage;

describe('a node --test project (real engine)', () => {
  beforeAll(async () => ensureStandInNodeImage(engine.docker(), pythonImage), 120_000);

  it('reads the JUnit report of node --test (reporters given through NODE_OPTIONS, so npm test works too) and streams the spec reporter', async () => {
    const result = await runInSandbox(engine.docker(), {
      files: [
        { path: 'src/sum.mjs', content: 'export const sum = (a, b) => a + b;\n' },
        {
          path: 'test/sum.test.mjs',
          content: [
            "import { test, describe, it } from 'node:test';",
            "import assert from 'node:assert/strict';",
            "import { sum } from '../src/sum.mjs';",
            "test('adds', () => assert.equal(sum(1, 2), 3));",
            "describe('edge cases', () => {",
            "  it('adds negatives', () => assert.equal(sum(-1, -2), -3));",
            "  it('is wrong on purpose', () => assert.equal(sum(2, 2), 5, 'expected 5 but got 4'));",
            '});',
            '',
          ].join('\n'),
        },
      ],
      image: nodeImage,
      language: 'node',
      allowNetwork: false,
      test: 'node --test',
      limits: testLimits,
    });
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, summary: { passed: 2, failed: 1, errors: 0, skipped: 0 } });
    expect(result.cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['test::adds', 'passed'],
      ['edge cases::adds negatives', 'passed'],
      ['edge cases::is wrong on purpose', 'failed'],
    ]);
    expect(result.cases[2]?.message).toContain('expected 5 but got 4');
    expect(result.log).toMatch(/✖ is wrong on purpose/);
  });
});
